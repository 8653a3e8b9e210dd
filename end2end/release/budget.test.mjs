// The browser bundle a phone downloads on its first visit. Issue 10's budget is at most
// 400 KiB of WASM after gzip, in the release build that scripts/run.sh serves; it is not
// met yet (740 KiB by this gzip on 5 December 2026, after erase_components took 823 to
// 660 and the new field screens added 80). Until it is, the test command holds the line
// where the bundle stands: it fails when the WASM grows past CEILING_KIB, prints how far
// it is from the target, and the ceiling only ever comes down towards TARGET_KIB.
// A phone on a slow network waits for every KiB before the page comes alive (see
// end2end/bench/hydration.mjs). Run by scripts/test.sh with WIJKPOST_SITE_ROOT pointing
// at the release site; WIJKPOST_BUNDLE_BUDGET_KIB overrides the ceiling (to see it fail).
import assert from 'node:assert/strict';
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { gzipSync } from 'node:zlib';

const TARGET_KIB = 400;
const CEILING_KIB = Number(process.env.WIJKPOST_BUNDLE_BUDGET_KIB ?? 750);

test(`the release WASM stays under ${CEILING_KIB} KiB gzip (target: ${TARGET_KIB} KiB)`, () => {
  const siteRoot = process.env.WIJKPOST_SITE_ROOT;
  assert.ok(siteRoot, 'WIJKPOST_SITE_ROOT names the release site');
  const wasm = readFileSync(path.join(siteRoot, 'pkg/wijkpost_bg.wasm'));
  // Compressed here, not read from the .gz beside it: a stale file must not pass.
  const gzip = gzipSync(wasm, { level: 9 }).length;
  const kib = (n) => (n / 1024).toFixed(1);
  // Brotli (what browsers get) for the record: the build's own file.
  const br = path.join(siteRoot, 'pkg/wijkpost_bg.wasm.br');
  const brotli = existsSync(br) ? `, ${kib(statSync(br).size)} KiB brotli` : '';
  const over = gzip - TARGET_KIB * 1024;
  const target = over > 0 ? `${kib(over)} KiB over the ${TARGET_KIB} KiB target` : `within the ${TARGET_KIB} KiB target`;
  console.log(`release WASM: ${kib(wasm.length)} KiB raw, ${kib(gzip)} KiB gzip${brotli}; ${target}`);
  assert.ok(gzip <= CEILING_KIB * 1024, `the release WASM is ${kib(gzip)} KiB gzip, over the ceiling of ${CEILING_KIB} KiB`);
});
