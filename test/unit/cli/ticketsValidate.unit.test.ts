import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '../../../src/cli/main';

const FIXTURE = join(__dirname, '../../fixtures/workspace');

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (l: string) => out.push(l), err: (l: string) => err.push(l) }, out, err };
}

describe('flotilla tickets validate', () => {
  it('prints file:line:col problems and exits 2 when a file has an error', async () => {
    const { io, out, err } = capture();
    const code = await runCli(['tickets', 'validate', '--repo', FIXTURE], io);
    assert.equal(code, 2);
    assert.ok(err.some((l) => /broken\.md:5:9: error: status must be one of open, in-progress, review, done \(it is "finished"\)/.test(l)), err.join('\n'));
    assert.ok(err.some((l) => /R05\.md:5:1: warning: unknown field "owner"/.test(l)), err.join('\n'));
    assert.match(out.join('\n'), /5 valid tickets .*; 1 error, 1 warning/);
  });

  it('exits 0 for a folder of valid tickets and emits JSON on request', async () => {
    const { io, out } = capture();
    const code = await runCli(['tickets', 'validate', '--repo', FIXTURE, '--folder', '.flotilla/tickets/archive', '--json'], io);
    assert.equal(code, 0);
    const parsed = JSON.parse(out.join('')) as { tickets: string[] };
    assert.deepEqual(parsed.tickets, ['R04']);
  });

  it('exits 2 with a one-line reason for bad usage', async () => {
    for (const argv of [['tickets', 'validate'], ['tickets', 'validate', '--repo', '/no/such/dir'], ['tickets', 'validate', '--bogus'], ['frobnicate']]) {
      const { io, err } = capture();
      assert.equal(await runCli(argv, io), 2, argv.join(' '));
      assert.ok(err.length > 0);
    }
  });

  it('runs as the built dist/cli.js with the same exit code', function () {
    if (!existsSync(join(__dirname, '../../../dist/cli.js'))) execFileSync('node', ['esbuild.mjs'], { cwd: join(__dirname, '../../..') });
    const result = spawnSync('node', ['dist/cli.js', 'tickets', 'validate', '--repo', FIXTURE], { cwd: join(__dirname, '../../..'), encoding: 'utf8' });
    assert.equal(result.status, 2);
    assert.match(result.stderr, /broken\.md:5:9: error/);
  });
});
