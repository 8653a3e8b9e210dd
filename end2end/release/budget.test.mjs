// The browser bundle a phone downloads on its first visit stays within issue 10's budget:
// at most 400 KiB of WASM after gzip, in the release build that scripts/run.sh serves.
// A phone on a slow network waits for every KiB before the page comes alive (see
// end2end/bench/hydration.mjs). Run by scripts/test.sh with WIJKPOST_SITE_ROOT pointing
// at the release site; WIJKPOST_BUNDLE_BUDGET_KIB changes the budget (to see it fail).
import assert from 'node:assert/strict';
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { gzipSync } from 'node:zlib';

const BUDGET_KIB = Number(process.env.WIJKPOST_BUNDLE_BUDGET_KIB ?? 400);

test(`the release WASM is at most ${BUDGET_KIB} KiB gzip`, () => {
  const siteRoot = process.env.WIJKPOST_SITE_ROOT;
  assert.ok(siteRoot, 'WIJKPOST_SITE_ROOT names the release site');
  const wasm = readFileSync(path.join(siteRoot, 'pkg/wijkpost_bg.wasm'));
  // Compressed here, not read from the .gz beside it: a stale file must not pass.
  const gzip = gzipSync(wasm, { level: 9 }).length;
  const kib = (n) => (n / 1024).toFixed(1);
  // Brotli (what browsers get) for the record: the build's own file.
  const br = path.join(siteRoot, 'pkg/wijkpost_bg.wasm.br');
  const brotli = existsSync(br) ? `, ${kib(statSync(br).size)} KiB brotli` : '';
  console.log(`release WASM: ${kib(wasm.length)} KiB raw, ${kib(gzip)} KiB gzip${brotli}`);
  assert.ok(gzip <= BUDGET_KIB * 1024, `the release WASM is ${kib(gzip)} KiB gzip, over the budget of ${BUDGET_KIB} KiB`);
});
