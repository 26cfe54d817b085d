import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ExecutableNotFoundError, ProcessStartError, runProcess } from '../../../src/core/process/processRunner';

const node = process.execPath;

/** A zombie (killed, not yet reaped by init) counts as gone: it runs nothing and holds nothing open. */
function isAlive(pid: number): boolean {
  try {
    const state = readFileSync(`/proc/${pid}/stat`, 'utf8').split(' ')[2];
    return state !== 'Z';
  } catch {
    // No /proc (macOS) or the process is gone: fall back to the signal probe.
  }
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function waitUntil(check: () => boolean, limitMs: number): Promise<boolean> {
  const end = Date.now() + limitMs;
  while (Date.now() < end) {
    if (check()) return true;
    await new Promise((r) => setTimeout(r, 25));
  }
  return check();
}

// A parent that starts a long-lived grandchild, prints its pid (or writes it to pidFile), then keeps running (or exits).
const spawnGrandchild = (parentExits: boolean, pidFile?: string): string => `
const { spawn } = require('node:child_process');
const c = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { stdio: 'ignore' });
${pidFile === undefined ? "process.stdout.write(String(c.pid) + '\\n');" : `require('node:fs').writeFileSync(${JSON.stringify(pidFile)}, String(c.pid));`}
${parentExits ? 'setTimeout(() => process.exit(0), 50);' : 'setTimeout(() => {}, 60000);'}
`;

describe('runProcess', () => {
  it('runs without a shell: metacharacters reach the program as plain text', async () => {
    const result = await runProcess(node, ['-e', 'process.stdout.write(process.argv[1])', '$(echo hi) | cat; ls'], { cwd: tmpdir() });
    assert.equal(result.exitCode, 0);
    assert.equal(result.stdout, '$(echo hi) | cat; ls');
  });

  it('reports a non-zero exit code and stderr', async () => {
    const result = await runProcess(node, ['-e', 'process.stderr.write("bad"); process.exit(3)'], { cwd: tmpdir() });
    assert.equal(result.exitCode, 3);
    assert.equal(result.stderr, 'bad');
    assert.equal(result.timedOut, false);
  });

  it('passes stdin input', async () => {
    const script = 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>process.stdout.write(s.toUpperCase()))';
    const result = await runProcess(node, ['-e', script], { cwd: tmpdir(), input: 'abc' });
    assert.equal(result.stdout, 'ABC');
  });

  it('caps output, keeping the start and the end', async () => {
    const script = 'process.stdout.write("START" + "x".repeat(100000) + "END")';
    const result = await runProcess(node, ['-e', script], { cwd: tmpdir(), maxOutputBytes: 1000 });
    assert.equal(result.stdoutTruncated, true);
    assert.ok(result.stdout.startsWith('START'));
    assert.ok(result.stdout.endsWith('END'));
    assert.match(result.stdout, /bytes omitted/);
    assert.ok(result.stdout.length < 1200);
  });

  it('kills the whole process group on timeout, grandchildren included', async () => {
    let grandchild = 0;
    // Long enough for node to start and spawn the grandchild on a busy machine; the timeout still fires.
    const result = await runProcess(node, ['-e', spawnGrandchild(false)], { cwd: tmpdir(), timeoutMs: 3000 });
    grandchild = Number(result.stdout.trim());
    assert.equal(result.timedOut, true);
    assert.equal(result.exitCode, null);
    assert.ok(grandchild > 0, 'grandchild pid printed');
    assert.ok(await waitUntil(() => !isAlive(grandchild), 5000), 'grandchild is gone');
  });

  it('kills the whole process group on abort', async () => {
    const controller = new AbortController();
    // The parent writes the grandchild's pid to a file; abort once it is there (not after a fixed delay).
    const pidFile = join(mkdtempSync(join(tmpdir(), 'flotilla-abort-')), 'pid');
    const pending = runProcess(node, ['-e', spawnGrandchild(false, pidFile)], { cwd: tmpdir(), signal: controller.signal });
    assert.ok(await waitUntil(() => existsSync(pidFile), 30_000), 'the grandchild started');
    controller.abort();
    const result = await pending;
    const grandchild = Number(readFileSync(pidFile, 'utf8'));
    assert.equal(result.aborted, true);
    assert.ok(grandchild > 0);
    assert.ok(await waitUntil(() => !isAlive(grandchild), 5000), 'grandchild is gone');
  });

  it('leaves nothing running after the command exits on its own', async () => {
    const result = await runProcess(node, ['-e', spawnGrandchild(true)], { cwd: tmpdir(), timeoutMs: 15000 });
    const grandchild = Number(result.stdout.trim());
    assert.equal(result.exitCode, 0);
    assert.equal(result.timedOut, false);
    assert.ok(await waitUntil(() => !isAlive(grandchild), 5000), 'grandchild is gone');
  });

  it('does not start when the signal is already aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    const result = await runProcess(node, ['-e', 'require("fs").writeFileSync("never", "")'], { cwd: tmpdir(), signal: controller.signal });
    assert.equal(result.aborted, true);
    assert.equal(result.exitCode, null);
  });

  it('rejects with typed errors for a missing executable and a missing folder', async () => {
    await assert.rejects(runProcess('flotilla-no-such-program', [], { cwd: tmpdir() }), ExecutableNotFoundError);
    await assert.rejects(runProcess(node, ['-v'], { cwd: '/definitely/not/here' }), ProcessStartError);
  });
});
