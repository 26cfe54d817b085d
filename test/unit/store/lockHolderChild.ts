// Child process for the leftover-worker test: holds a batch lock and runs one gate-like worker
// process (its group has a background child, and a grandchild that left for a session of its own),
// then waits to be killed with SIGKILL, so nothing it could do on exit runs.
import { readFileSync } from 'node:fs';
import { runProcess } from '../../../src/core/process/processRunner';
import { acquireBatchLock, batchLockFile } from '../../../src/core/store/batchLock';

async function main(): Promise<void> {
  const [storage, id, marker] = process.argv.slice(2);
  if (storage === undefined || id === undefined || marker === undefined) throw new Error('usage: lockHolderChild STORAGE ID MARKER');
  await acquireBatchLock(storage, id, { purpose: 'run' });
  // The marker in the environment lets the test find every process of the tree, wherever it went.
  void runProcess('sh', ['-c', 'sleep 300 & setsid sleep 301 & sleep 302; wait'], { cwd: storage, worker: 'gate', env: { PATH: process.env.PATH, FLOTILLA_TEST_MARKER: marker } });
  for (;;) {
    const lock = JSON.parse(readFileSync(batchLockFile(storage, id), 'utf8')) as { workers?: unknown[] };
    if ((lock.workers ?? []).length > 0) break;
    await new Promise((r) => setTimeout(r, 20));
  }
  process.stdout.write('ready\n');
  setInterval(() => undefined, 1000);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
