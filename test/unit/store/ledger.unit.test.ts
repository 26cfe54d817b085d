import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { appendFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { UsageRecord } from '../../../src/core/llm/usageRecord';
import { foldLedger, listLedgerMonths, monthSpend, readLedgerFile } from '../../../src/core/store/ledgerReader';
import { UsageLedger } from '../../../src/core/store/ledgerWriter';
import { InvalidUsageRecordError, StorageNotWritableError } from '../../../src/core/store/storageErrors';
import { ledgerFile, monthOf } from '../../../src/core/store/storagePaths';
import { usageRecord, useTempDir } from './storeTestKit';

const run = promisify(execFile);

async function readAll(storage: string): Promise<{ records: UsageRecord[]; problems: string[] }> {
  const records: UsageRecord[] = [];
  const scan = await foldLedger(storage, (r) => records.push(r));
  return { records, problems: scan.problems.map((p) => `${p.line}: ${p.message}`) };
}

describe('usage ledger', () => {
  const dir = useTempDir();

  it('files each record by the UTC month of its own ts and reads it back', async () => {
    const ledger = new UsageLedger({ globalStorage: dir.path });
    await ledger.append(usageRecord({ ts: '2025-06-30T23:59:59.999Z', ticketId: 'A' }));
    // 01:00 on July 1st in UTC+2 is still June 30th in UTC.
    await ledger.append(usageRecord({ ts: '2025-07-01T01:00:00+02:00', ticketId: 'B' }));
    await ledger.append(usageRecord({ ts: '2025-07-01T00:00:00.000Z', ticketId: 'C' }));
    await ledger.close();
    assert.deepEqual(await listLedgerMonths(dir.path), ['2025-06', '2025-07']);
    const june = await readFile(ledgerFile(dir.path, '2025-06'), 'utf8');
    assert.equal(june.split('\n').filter(Boolean).length, 2);
    const { records, problems } = await readAll(dir.path);
    assert.deepEqual(records.map((r) => r.ticketId), ['A', 'B', 'C']);
    assert.deepEqual(problems, []);
    assert.equal(monthOf('2025-07-01T01:00:00+02:00'), '2025-06');
  });

  it('never interleaves lines from 300 concurrent in-process appends', async () => {
    const ledger = new UsageLedger({ globalStorage: dir.path });
    await Promise.all(Array.from({ length: 300 }, (_, i) => ledger.append(usageRecord({ ticketId: `T${i}`, requestId: 'x'.repeat(500) }))));
    await ledger.close();
    const { records, problems } = await readAll(dir.path);
    assert.deepEqual(problems, []);
    assert.equal(new Set(records.map((r) => r.ticketId)).size, 300);
  });

  it('never interleaves lines from two child processes and this one writing at once', async function () {
    this.timeout(30_000);
    const child = join(__dirname, 'ledgerChild.ts');
    const spawnChild = (tag: string) => run(process.execPath, ['--import', 'tsx', child, dir.path, tag, '150', '4']);
    const local = new UsageLedger({ globalStorage: dir.path });
    const mine = Promise.all(Array.from({ length: 150 }, (_, i) => local.append(usageRecord({ ticketId: `Z-${i}`, requestId: 'Z'.repeat(200) }))));
    await Promise.all([spawnChild('P'), spawnChild('Q'), mine]);
    await local.close();
    const { records, problems } = await readAll(dir.path);
    assert.deepEqual(problems, []);
    assert.equal(records.length, 450);
    for (const tag of ['P', 'Q', 'Z']) {
      const mineOnly = records.filter((r) => r.ticketId?.startsWith(`${tag}-`));
      assert.equal(new Set(mineOnly.map((r) => r.ticketId)).size, 150, tag);
      assert.ok(mineOnly.every((r) => r.requestId === tag.repeat(200)), `${tag} lines intact`);
    }
  });

  it('reports a corrupt line and a torn last line with file:line, skips them, and never glues the next append onto them', async () => {
    const path = ledgerFile(dir.path, '2025-06');
    await mkdir(join(dir.path, 'ledger'), { recursive: true });
    const good = JSON.stringify(usageRecord({ ticketId: 'ok1' }));
    await writeFile(path, `${good}\n{"hand": "edited"}\nnot json at all\n${good.slice(0, 40)}`);
    const before = await readLedgerFile(path, () => undefined);
    assert.equal(before.records, 1);
    assert.deepEqual(
      before.problems.map((p) => [p.line, p.file]),
      [
        [2, path],
        [3, path],
        [4, path],
      ],
    );
    assert.match(before.problems[2]!.message, /torn last line/);

    const ledger = new UsageLedger({ globalStorage: dir.path });
    await ledger.append(usageRecord({ ticketId: 'after-torn' }));
    await ledger.append(usageRecord({ ticketId: 'after-torn-2' }));
    await ledger.close();
    const after = await readAll(dir.path);
    assert.deepEqual(after.records.map((r) => r.ticketId), ['ok1', 'after-torn', 'after-torn-2']);
    assert.equal(after.problems.length, 3, 'the torn fragment is now a complete bad line, still reported');
  });

  it('reports a record written by a newer Flotilla instead of misreading it', async () => {
    const path = ledgerFile(dir.path, '2025-06');
    await mkdir(join(dir.path, 'ledger'), { recursive: true });
    await appendFile(path, `${JSON.stringify({ ...usageRecord(), v: 2 })}\n`);
    const { records, problems } = await readAll(dir.path);
    assert.equal(records.length, 0);
    assert.match(problems[0]!, /^1: record version 2 is newer/);
  });

  it('refuses to write an invalid record', async () => {
    const ledger = new UsageLedger({ globalStorage: dir.path });
    await assert.rejects(ledger.append(usageRecord({ inputTokens: -1 })), InvalidUsageRecordError);
    await ledger.close();
    assert.deepEqual(await listLedgerMonths(dir.path), []);
  });

  it('rejects with StorageNotWritableError when the ledger folder cannot be created', async () => {
    const blocker = join(dir.path, 'a-file');
    await writeFile(blocker, '');
    const ledger = new UsageLedger({ globalStorage: join(blocker, 'global') });
    const error = await ledger.append(usageRecord()).catch((e: unknown) => e);
    assert.ok(error instanceof StorageNotWritableError);
    assert.equal(error.path, join(blocker, 'global', 'ledger'));
    assert.match(error.nextStep, /writable/);
    await ledger.close();
  });

  it('sums month-to-date spend by record ts, leaving out cache hits and counting unpriced calls', async () => {
    const ledger = new UsageLedger({ globalStorage: dir.path });
    await ledger.append(usageRecord({ costUsd: 0.5 }));
    await ledger.append(usageRecord({ costUsd: 0.25, ts: '2025-06-01T00:00:00Z' }));
    await ledger.append(usageRecord({ costUsd: 0, cached: true }));
    await ledger.append(usageRecord({ costUsd: null, model: 'unknown-model' }));
    await ledger.append(usageRecord({ costUsd: 9, ts: '2025-05-31T23:59:59Z' }));
    await ledger.close();
    const spend = await monthSpend(dir.path, '2025-06');
    assert.equal(spend.spentUsd, 0.75);
    assert.equal(spend.unpricedCalls, 1);
    assert.equal((await monthSpend(dir.path, '2025-05')).spentUsd, 9);
    assert.equal((await monthSpend(dir.path, '2024-01')).spentUsd, 0);
  });
});
