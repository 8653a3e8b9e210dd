// Starts the real wijkpost binary on a free port with its own SQLite file and demo data.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

export const ROOT = path.resolve(import.meta.dirname, '..', '..');
export const DEMO_PASSWORD = 'wijkpost-demo';

// `port`, `siteRoot` and `database` (a SQLite file path, left in place at stop) let a
// test restart the server on the same address and data, e.g. with another bundle;
// `bin`, another build of the server (a benchmark's baseline).
export async function startServer({
  env = {}, port = 0, siteRoot = path.join(ROOT, 'target/site'), database,
  bin = process.env.WIJKPOST_BIN ?? path.join(ROOT, 'target/debug/wijkpost'),
} = {}) {
  const dir = mkdtempSync(path.join(tmpdir(), 'wijkpost-e2e-'));
  const child = spawn(bin, [], {
    cwd: dir,
    env: {
      ...process.env,
      WIJKPOST_LISTEN: `127.0.0.1:${port}`,
      WIJKPOST_DATABASE_URL: `sqlite://${database ?? `${dir}/e2e.db`}`,
      WIJKPOST_SITE_ROOT: siteRoot,
      WIJKPOST_DEMO_DATA: 'true',
      RUST_LOG: 'warn',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const url = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start within 60 s:\n${output}`)), 60_000);
    const onData = (chunk) => {
      output += chunk;
      const match = output.match(/open (http:\/\/[^\s/]+)\//);
      if (match) { clearTimeout(timer); resolve(match[1]); }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', (chunk) => { output += chunk; });
    child.on('exit', (code) => { clearTimeout(timer); reject(new Error(`server exited (${code}):\n${output}`)); });
  });
  return {
    url,
    output: () => output,
    async stop() {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        const [code, signal] = await once(child, 'exit');
        rmSync(dir, { recursive: true, force: true });
        // SIGTERM must end the server gracefully: requests finished, exit code 0.
        if (code !== 0) throw new Error(`server did not stop cleanly (code ${code}, signal ${signal}):\n${output}`);
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
