// Child process for the crash test: starts a batch, finishes one ticket, starts another, then waits
// to be killed with SIGKILL (so nothing it could do on exit runs).
import { BatchStateStore } from '../../../src/core/store/batchStateStore';

async function main(): Promise<void> {
  const [storage, id] = process.argv.slice(2);
  if (storage === undefined || id === undefined) throw new Error('usage: batchChild STORAGE ID');
  const store = new BatchStateStore({ storage });
  await store.create({ id, mode: 'orchestrated', ticketIds: ['T1', 'T2', 'T3'], baseCommit: 'abc123' });
  const started = '2025-06-15T10:00:00.000Z';
  await store.update(id, (s) => {
    s.tickets.T1 = {
      ...s.tickets.T1!,
      status: 'done',
      branch: 'flotilla/b/T1',
      costUsd: 0.42,
      tierHistory: [{ tier: 'fast', model: 'm-fast', startedAt: started, endedAt: started, fixLoops: 0, result: 'passed', costUsd: 0.42 }],
    };
    s.tickets.T2 = {
      ...s.tickets.T2!,
      status: 'running',
      branch: 'flotilla/b/T2',
      costUsd: 0.1,
      tierHistory: [{ tier: 'fast', model: 'm-fast', startedAt: started, endedAt: null, fixLoops: 1, result: null, costUsd: 0.1 }],
    };
    return s;
  });
  process.stdout.write('ready\n');
  setInterval(() => undefined, 1000);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
