import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { batchCostUsd } from '../../../src/core/store/batchState';
import { BatchStateStore } from '../../../src/core/store/batchStateStore';
import type { ProcessProbe } from '../../../src/core/store/processLiveness';
import { BatchExistsError, BatchNotFoundError, InvalidBatchIdError, StorageNotWritableError } from '../../../src/core/store/storageErrors';
import { batchStateFile } from '../../../src/core/store/storagePaths';
import { fakeClock, useTempDir } from './storeTestKit';

const T0 = Date.parse('2025-06-15T10:00:00Z');

function probe(overrides: Partial<ProcessProbe> = {}, alive: ReadonlySet<number> = new Set()): ProcessProbe {
  return { hostname: 'host-a', pid: 100, startedAtMs: T0 - 60_000, isAlive: (pid) => alive.has(pid), ...overrides };
}

const newBatch = (id = 'b1') => ({ id, mode: 'orchestrated' as const, ticketIds: ['T1', 'T2', 'T3'], baseCommit: 'abc123' });

describe('batch state store', () => {
  const dir = useTempDir();

  it('creates a running batch owned by this process and loads it back as not interrupted', async () => {
    const clock = fakeClock(T0);
    const store = new BatchStateStore({ storage: dir.path, clock: clock.now, probe: probe() });
    const created = await store.create(newBatch());
    assert.equal(created.status, 'running');
    assert.deepEqual(created.owner, { pid: 100, hostname: 'host-a', processStartedAt: new Date(T0 - 60_000).toISOString(), heartbeatAt: new Date(T0).toISOString() });
    const loaded = await store.load('b1');
    assert.equal(loaded?.interrupted, false);
    assert.deepEqual(loaded?.state, created);
    await assert.rejects(store.create(newBatch()), BatchExistsError);
    assert.equal(await store.load('nope'), null);
    await assert.rejects(store.update('nope', (s) => s), BatchNotFoundError);
  });

  it('serialises concurrent updates of one batch so none is lost', async () => {
    const store = new BatchStateStore({ storage: dir.path, probe: probe() });
    await store.create(newBatch());
    await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        store.update('b1', (s) => {
          const id = `T${(i % 3) + 1}`;
          s.tickets[id]!.costUsd += 0.25;
          return s;
        }),
      ),
    );
    const loaded = await store.load('b1');
    assert.equal(batchCostUsd(loaded!.state), 10);
  });

  it('rejects an update that breaks the schema and keeps the previous state', async () => {
    const store = new BatchStateStore({ storage: dir.path, probe: probe() });
    await store.create(newBatch());
    await assert.rejects(store.update('b1', (s) => ({ ...s, ticketIds: [...s.ticketIds, 'T9'] })));
    assert.deepEqual((await store.load('b1'))?.state.ticketIds, ['T1', 'T2', 'T3']);
  });

  it('after a real kill -9 mid-batch shows the batch interrupted: finished tickets keep branch and cost, the rest resumable', async function () {
    this.timeout(30_000);
    const child = spawn(process.execPath, ['--import', 'tsx', join(__dirname, 'batchChild.ts'), dir.path, 'crash'], { stdio: ['ignore', 'pipe', 'inherit'] });
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (d: Buffer) => d.toString().includes('ready') && resolve());
      child.once('exit', (code) => reject(new Error(`child exited early with ${String(code)}`)));
    });
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;

    const store = new BatchStateStore({ storage: dir.path });
    const seen = await store.load('crash');
    assert.equal(seen?.state.status, 'running', 'the file still says running');
    assert.equal(seen?.interrupted, true, 'but its owner is gone');

    const { batches } = await store.recoverInterrupted();
    assert.equal(batches.length, 1);
    const state = batches[0]!.state;
    assert.equal(state.status, 'interrupted');
    assert.equal(state.owner, null);
    assert.deepEqual([state.tickets.T1!.status, state.tickets.T1!.branch, state.tickets.T1!.costUsd], ['done', 'flotilla/b/T1', 0.42]);
    assert.deepEqual([state.tickets.T2!.status, state.tickets.T2!.branch, state.tickets.T2!.interruptions], ['queued', 'flotilla/b/T2', 1]);
    assert.notEqual(state.tickets.T2!.tierHistory[0]!.endedAt, null, 'the cut-off attempt is closed');
    assert.deepEqual(state.ticketIds.map((id) => state.tickets[id]!.status), ['done', 'queued', 'queued'], 'a resume finds T2 and T3 still to run');
    assert.equal(batchCostUsd(state), 0.52);

    const resumed = await store.claim('crash');
    assert.equal(resumed.status, 'running');
    assert.equal((await store.load('crash'))?.interrupted, false);
  });

  it('treats a live pid with a stale heartbeat (a reused pid) and our own pid with another start time as gone', async () => {
    const clock = fakeClock(T0);
    const owner = new BatchStateStore({ storage: dir.path, clock: clock.now, probe: probe({ pid: 7 }) });
    await owner.create(newBatch());
    const observer = new BatchStateStore({ storage: dir.path, clock: clock.now, probe: probe({}, new Set([7])), staleAfterMs: 60_000 });
    assert.equal((await observer.load('b1'))?.interrupted, false, 'alive and fresh');
    clock.advance(61_000);
    assert.equal((await observer.load('b1'))?.interrupted, true, 'alive but silent for too long');
    await owner.heartbeat('b1');
    assert.equal((await observer.load('b1'))?.interrupted, false, 'the heartbeat brings it back');

    const restartedSamePid = new BatchStateStore({ storage: dir.path, clock: clock.now, probe: probe({ pid: 7, startedAtMs: T0 + 5_000 }) });
    assert.equal((await restartedSamePid.load('b1'))?.interrupted, true);
    const otherHost = new BatchStateStore({ storage: dir.path, clock: clock.now, probe: probe({ hostname: 'host-b' }) });
    assert.equal((await otherHost.load('b1'))?.interrupted, false, 'another host can only go by the heartbeat');
  });

  it('survives a clock that jumps back: updatedAt never moves backwards and a future heartbeat counts as fresh', async () => {
    const clock = fakeClock(T0);
    const store = new BatchStateStore({ storage: dir.path, clock: clock.now, probe: probe({ pid: 7 }) });
    await store.create(newBatch());
    clock.set(T0 - 3_600_000);
    const updated = await store.update('b1', (s) => s);
    assert.equal(updated.updatedAt, new Date(T0).toISOString());
    const observer = new BatchStateStore({ storage: dir.path, clock: clock.now, probe: probe({}, new Set([7])), staleAfterMs: 1 });
    assert.equal((await observer.load('b1'))?.interrupted, false);
  });

  it('quarantines a corrupt state file with a message and still lists the other batches', async () => {
    const clock = fakeClock(T0);
    const store = new BatchStateStore({ storage: dir.path, clock: clock.now, probe: probe() });
    await store.create(newBatch('good'));
    await store.create(newBatch('bad'));
    await writeFile(batchStateFile(dir.path, 'bad'), '{"v": 1, "id": "bad", "status": "runn');
    const { batches, problems } = await store.list();
    assert.deepEqual(batches.map((b) => b.state.id), ['good']);
    assert.equal(problems.length, 1);
    assert.match(problems[0]!.message, /not valid JSON/);
    assert.equal(problems[0]!.movedTo, `${batchStateFile(dir.path, 'bad')}.corrupt-2025-06-15T10-00-00-000Z-${problems[0]!.movedTo!.slice(-4)}`);
    const files = await readdir(join(dir.path, 'batches', 'bad'));
    assert.equal(files.length, 1);
    assert.match(await readFile(problems[0]!.movedTo!, 'utf8'), /runn$/, 'the evidence is kept');
    // A schema-invalid (hand-edited) file is quarantined the same way.
    await store.create(newBatch('edited'));
    await writeFile(batchStateFile(dir.path, 'edited'), JSON.stringify({ v: 1, id: 'edited' }));
    assert.equal(await store.load('edited'), null);
  });

  it('will not start a batch in storage it cannot write, and refuses unsafe ids', async () => {
    const blocker = join(dir.path, 'file');
    await writeFile(blocker, '');
    const store = new BatchStateStore({ storage: join(blocker, 'storage'), probe: probe() });
    const error = await store.create(newBatch()).catch((e: unknown) => e);
    assert.ok(error instanceof StorageNotWritableError);
    assert.match(error.message, /cannot write/);
    const ok = new BatchStateStore({ storage: dir.path, probe: probe() });
    await assert.rejects(ok.create(newBatch('../escape')), InvalidBatchIdError);
  });
});
