import assert from 'node:assert/strict';
import { parse } from 'yaml';
import type { CliIo } from '../../../src/cli/cliIo';
import { runCli } from '../../../src/cli/main';
import { reportCommand } from '../../../src/cli/reportCommand';
import { UsageError } from '../../../src/cli/usageError';
import { tempStorage, writeFinishedBatch } from './reportFixtures';

function capture(): CliIo & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return { stdout, stderr, out: (l) => stdout.push(l), err: (l) => stderr.push(l) };
}

describe('flotilla report', () => {
  const storage = tempStorage();
  before(() => {
    writeFinishedBatch(storage, 'b-1', '2026-03-01T10:00:00.000Z', [{ id: 'T1', title: 'One', tiers: ['fast'], costUsd: 0.1 }]);
    writeFinishedBatch(storage, 'b-2', '2026-03-02T10:00:00.000Z', [{ id: 'T2', title: 'Two', tiers: ['balanced'], costUsd: 0.3 }]);
  });

  it('prints the newest batch as Markdown by default', async () => {
    const io = capture();
    assert.equal(await reportCommand(['--storage', storage], io), 0);
    assert.match(io.stdout.join('\n'), /^# Flotilla batch b-2\n/);
  });

  it('prints a chosen batch in the chosen format', async () => {
    const io = capture();
    assert.equal(await reportCommand(['--storage', storage, '--batch', 'b-1', '--format', 'yaml'], io), 0);
    const doc = parse(io.stdout.join('\n')) as { batch: { id: string; tickets: { id: string }[] } };
    assert.equal(doc.batch.id, 'b-1');
    assert.deepEqual(doc.batch.tickets.map((t) => t.id), ['T1']);
  });

  it('rejects an unknown batch or format as bad usage (exit 2) with one line and no output', async () => {
    for (const args of [['--batch', 'b-9'], ['--format', 'pdf'], ['--format', 'pdf', '--batch', 'b-9']]) {
      const io = capture();
      await assert.rejects(reportCommand(['--storage', storage, ...args], io), (e: unknown) => e instanceof UsageError && !e.message.includes('\n'));
      assert.deepEqual(io.stdout, []);
    }
  });

  it('is wired into the CLI: exit 0 with the report, exit 2 with one line on stderr for bad input', async () => {
    const ok = capture();
    assert.equal(await runCli(['report', '--storage', storage, '--format', 'json'], ok), 0);
    assert.equal((JSON.parse(ok.stdout.join('\n')) as { batch: { id: string } }).batch.id, 'b-2');
    const bad = capture();
    assert.equal(await runCli(['report', '--storage', storage, '--batch', 'nope'], bad), 2);
    assert.deepEqual(bad.stdout, []);
    assert.equal(bad.stderr.length, 1);
    assert.match(bad.stderr[0]!, /^flotilla report: unknown batch "nope"/);
  });
});
