import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { storedBatchSchema, type StoredBatch } from '../../../src/core/store/batchState';
import { foldLedger } from '../../../src/core/store/ledgerReader';
import { demoResponder } from '../../../src/simulator/demo/demoResponder';
import { startSimulator } from '../../../src/simulator/simulator';
import type { Simulator } from '../../../src/simulator/simulatorTypes';
import { makeDemoRepo, tempDir } from '../cli/cliHarness';
import { CLI, ensureCliBuilt } from './cliProcess';

interface SmallDiskRun {
  /** The exit code of the script, which is the CLI's (or, where the script says so, a chosen one). */
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  /** The batch's state.json as the run left it, if it had written one. */
  readonly state?: StoredBatch;
  /** Billed requests the ledger holds (records with a request id). */
  readonly recorded: number;
  /**
   * Attempts the stop cut off before the answer's headers (recorded with zero tokens and no request
   * id): the simulator may have billed them. Covering those is the ledger's reservations (issue 20
   * item 4), not this test's; a record lost to the fault would show as a billed call in neither count.
   */
  readonly cutOff: number;
  /** Bytes in use on the small disk once the script had ended. */
  readonly usedBytes: number;
  /** The folder the script copied things out to ($OUT). */
  readonly out: string;
}

/**
 * `script` (sh, with $CLI, $REPO, $STORAGE, $MOUNT, $API) with the storage on a tmpfs of `sizeBytes`,
 * made by bubblewrap (`--size`; no root needed where user namespaces are allowed, and the sandbox may
 * bind a folder read-only over itself: CAP_SYS_ADMIN in its own user namespace). Everything else — node, the
 * repository — is the real file system, so only the storage can fill up or turn read-only. What the
 * run left (state, ledger) is copied out before the tmpfs goes away.
 */
function onSmallDisk(sizeBytes: number, repo: string, sim: Simulator, script: string): Promise<SmallDiskRun> {
  const mount = tempDir('tmpfs');
  const out = tempDir('tmpfs-out');
  const storage = join(mount, 'storage');
  const wrapped = `${script}\ncode=$?; cp "$STORAGE"/batches/*/state.json "$OUT"/ 2>/dev/null; cp -r "$STORAGE/ledger" "$OUT"/ 2>/dev/null; stat -f -c "%b %f %S" "$MOUNT" > "$OUT/df"; exit $code`;
  const args = ['--dev-bind', '/', '/', '--unshare-user', '--cap-add', 'CAP_SYS_ADMIN', '--size', String(sizeBytes), '--tmpfs', mount, 'sh', '-c', wrapped];
  return new Promise((resolve, reject) => {
    const child = spawn('bwrap', args, {
      env: { ...process.env, ANTHROPIC_API_KEY: 'sk-ant-test-full-disk-0123456789', CLI, REPO: repo, STORAGE: storage, OUT: out, MOUNT: mount, API: sim.url },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d));
    child.stderr.on('data', (d: Buffer) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => {
      void (async () => {
        if (!existsSync(join(out, 'df'))) throw new Error(`bubblewrap could not make a ${sizeBytes}-byte tmpfs here (it needs user namespaces, or root): ${stderr}`);
        const [blocks, free, blockSize] = readFileSync(join(out, 'df'), 'utf8').trim().split(' ').map(Number) as [number, number, number];
        const stateFile = join(out, 'state.json');
        let recorded = 0;
        let cutOff = 0;
        const scan = await foldLedger(out, (r) => {
          if (r.requestId !== null) recorded += 1;
          else if (r.error === 'CallCancelledError') cutOff += 1;
        });
        assert.deepEqual(scan.problems, [], 'no torn or corrupt ledger line');
        return { code, stdout, stderr, recorded, cutOff, out, usedBytes: (blocks - free) * blockSize, ...(existsSync(stateFile) ? { state: storedBatchSchema.parse(JSON.parse(readFileSync(stateFile, 'utf8'))) } : {}) };
      })().then(resolve, reject);
    });
  });
}

/** Requests the simulator billed, once a call the client gave up on has finished billing. */
async function billedSettled(sim: Simulator): Promise<number> {
  let now = sim.billed().requests;
  for (;;) {
    await new Promise((r) => setTimeout(r, 300));
    const again = sim.billed().requests;
    if (again === now) return now;
    now = again;
  }
}

const RUN = 'node "$CLI" run --repo "$REPO" --all --mode direct --api-base "$API" --storage "$STORAGE"';
const FINAL_TICKET = new Set(['done', 'failed', 'blocked', 'cancelled']);

/**
 * What is wrong with how a run met the fault: an exit other than 2, a trace, no line naming the path
 * with `words`, a batch or ticket left unfinished or without a reason, a billed call not in the ledger.
 */
function problemsOf(r: SmallDiskRun, words: RegExp, billed: number): string[] {
  const problems: string[] = [];
  if (r.code !== 2) problems.push(`exit ${r.code}`);
  if (/internal error|^\s+at .*:\d+:\d+\)?$|^Node\.js v/m.test(r.stderr)) problems.push('a trace');
  const line = r.stderr.trim().split('\n').at(-1) ?? '';
  if (!new RegExp(`^flotilla run: \\D*?/\\S+.*${words.source}`).test(line)) problems.push(`last line does not name the path and the fault: ${line}`);
  if (r.state) {
    const state = r.state;
    if (state.status === 'running') problems.push('batch left running');
    for (const id of state.ticketIds) {
      const ticket = state.tickets[id];
      if (!ticket || !FINAL_TICKET.has(ticket.status)) problems.push(`${id} left ${ticket?.status ?? 'missing'}`);
      else if (ticket.status !== 'done' && !ticket.reason) problems.push(`${id} ${ticket.status} without a reason`);
    }
  }
  if (r.recorded > billed || r.recorded + r.cutOff < billed) problems.push(`${billed} billed calls, ${r.recorded} in the ledger (${r.cutOff} cut off by the stop)`);
  return problems;
}

/** Issue 20 item 5: a disk that fills up or turns read-only during a batch is the user's to fix, not a crash. */
describe('hostile storage: the disk fills up or turns read-only in the middle of flotilla run', function () {
  this.timeout(900_000);
  let repo: string;
  let sim: Simulator;
  before(async () => {
    ensureCliBuilt();
    repo = makeDemoRepo();
    sim = await startSimulator({ responder: demoResponder() });
  });
  after(async () => sim.close());
  /** Runs `script` on a small disk; the billed calls it made are measured against the simulator's bill. */
  const measured = async (size: number, script: string): Promise<SmallDiskRun & { readonly billed: number }> => {
    const before = await billedSettled(sim);
    const r = await onSmallDisk(size, repo, sim, script);
    return { ...r, billed: (await billedSettled(sim)) - before };
  };
  let whole: { bytes: number; calls: number } | undefined;
  /** How much the whole batch leaves on disk and how many calls it makes, measured once on a disk large enough for it. */
  const wholeBatch = async (): Promise<{ bytes: number; calls: number }> => {
    if (whole === undefined) {
      const roomy = await measured(64 * 1024 * 1024, RUN);
      assert.equal(roomy.code, 0, roomy.stderr);
      assert.equal(roomy.recorded, roomy.billed);
      whole = { bytes: roomy.usedBytes, calls: roomy.recorded };
    }
    return whole;
  };

  it('10 runs on disks too small for the batch, each filling at a different write: exit 2 with one line naming the path, no trace, every ticket final with a reason, every billed call recorded', async () => {
    const { bytes } = await wholeBatch();
    const seen: string[] = [];
    const paths = new Set<string>();
    let midBatch = 0;
    for (let i = 0; i < 10; i++) {
      // From a third of what the batch needs to just over all of it (the batch also holds a reserve while it runs).
      const size = Math.round(bytes * (0.3 + 0.085 * i));
      const r = await measured(size, RUN);
      const problems = problemsOf(r, /no space left on the device \(ENOSPC\)/, r.billed);
      seen.push(`${size} bytes: exit ${r.code}, ${r.billed} billed, state ${r.state?.status ?? 'none'}${problems.length ? ` — ${problems.join('; ')}` : ''}${problems.length ? `\n${r.stderr.split('\n').slice(-12).join('\n')}` : ''}`);
      paths.add((/^flotilla run: \D*?(\/[^\s:]+)/m.exec(r.stderr.trim().split('\n').at(-1) ?? '')?.[1] ?? '').replace(/b\d{8}-\d{6}-[0-9a-f]+/g, 'B'));
      if (r.state) midBatch += 1;
    }
    const failed = seen.filter((s) => s.includes(' — '));
    assert.deepEqual(failed, [], `${failed.length} of 10 runs went wrong (exit 70: ${seen.filter((s) => s.includes('exit 70,')).length}, a trace: ${seen.filter((s) => s.includes('a trace')).length}):\n${seen.join('\n')}`);
    assert.ok(midBatch >= 5, `most runs got into the batch before the disk filled (${midBatch} of 10):\n${seen.join('\n')}`);
    assert.ok(paths.size >= 2, `the disk filled at different writes: ${[...paths].join(', ')}`);
  });

  it('5 runs whose storage turns read-only after 1 to all of the batch’s calls: exit 2 naming the path, no trace, nothing left running, then resume finishes the batch', async () => {
    const { bytes, calls } = await wholeBatch();
    const seen: string[] = [];
    for (let i = 0; i < 5; i++) {
      const after = 1 + Math.floor(((calls - 1) * i) / 4);
      // The read-only remount waits for a condition (so many ledger lines, or the run's end), not for a time.
      const script = [
        `${RUN} & pid=$!`,
        `while [ "$(cat "$STORAGE"/ledger/*.jsonl 2>/dev/null | wc -l)" -lt ${after} ] && kill -0 $pid 2>/dev/null; do sleep 0.02; done`,
        // A read-only bind mount over the storage folder: what the run opens from now on is read-only
        // (a tmpfs cannot be remounted read-only while files on it are open for writing).
        // (The mount is tried again while it answers busy, as it can while the run is renaming a file.)
        'tries=0; until mount --bind "$STORAGE" "$STORAGE" 2>/dev/null && mount -o remount,ro,bind "$STORAGE"; do umount "$STORAGE" 2>/dev/null; tries=$((tries+1)); [ $tries -lt 200 ] || exit 99; sleep 0.01; done',
        'wait $pid; code=$?',
        // Every layer: a bind mount whose read-only remount answered busy can stay stacked below the one
        // that took, and one left read-only made the resume fail (seen once on a clean clone).
        'while umount -l "$STORAGE" 2>/dev/null; do :; done',
        'node "$CLI" status --storage "$STORAGE" > "$OUT/status" 2>&1',
        'node "$CLI" resume --storage "$STORAGE" --api-base "$API" >/dev/null 2>"$OUT/resume" || echo "resume exit $?" >> "$OUT/resume"',
        '(exit $code)',
      ].join('\n');
      const r = await measured(bytes * 3, script);
      // A read-only disk keeps no final state and no record of a call billed after it turned: resume
      // (with the disk writable again) is what must finish the batch, and the ledger must hold every call.
      const problems = problemsOf({ ...r, state: undefined }, /the file system is read-only \(EROFS\)/, r.billed).filter((p) => !/billed calls/.test(p));
      const status = readFileSync(join(r.out, 'status'), 'utf8');
      if (!/ · (interrupted|failed) · /.test(status.split('\n')[0] ?? '')) problems.push(`status after the fault: ${status}`);
      if (r.state?.status !== 'done') problems.push(`after resume the batch is ${r.state?.status ?? 'missing'}: ${readFileSync(join(r.out, 'resume'), 'utf8')}`);
      seen.push(`after ${after} calls: exit ${r.code}, ${r.billed} billed, ${r.recorded} recorded${problems.length ? ` — ${problems.join('; ')}\n${r.stderr.split('\n').slice(-8).join('\n')}` : ''}`);
    }
    const failed = seen.filter((s) => s.includes(' — '));
    assert.deepEqual(failed, [], `${failed.length} of 5 runs went wrong:\n${seen.join('\n')}`);
  });

  it('space freed after the stop: flotilla resume finishes the batch from the state the full disk left', async () => {
    const { bytes } = await wholeBatch();
    const size = bytes + 4 * 1024 * 1024;
    // A file that leaves a bit over half of what the batch needs, removed once the run has stopped.
    const filler = size - Math.round(bytes * 0.55);
    const r = await measured(size, `head -c ${filler} /dev/zero > "$MOUNT/filler" && ${RUN}; echo "run exit $?"; rm "$MOUNT/filler"; node "$CLI" resume --storage "$STORAGE" --api-base "$API"`);
    assert.match(r.stdout, /^run exit 2$/m, r.stderr);
    assert.equal(r.code, 0, `resume: ${r.stderr}`);
    assert.ok(r.state, 'the batch has a state');
    assert.equal(r.state.status, 'done', r.stderr);
    assert.deepEqual(r.state.ticketIds.filter((id) => r.state?.tickets[id]?.status !== 'done'), [], 'every ticket done');
    assert.ok(r.recorded <= r.billed && r.recorded + r.cutOff >= r.billed, `every billed call, before and after the stop, is in the ledger: ${r.billed} billed, ${r.recorded} recorded, ${r.cutOff} cut off`);
  });
});
