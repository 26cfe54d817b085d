import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runGates, tail } from '../../../src/core/review/runGates';

/** A gate command line running a Node script; the script goes in single quotes, so no shell is needed. */
const node = (script: string) => `'${process.execPath}' -e '${script}'`;

describe('runGates', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'flotilla-gates-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('reports a passing and a failing command, and skips tests at the minimal level', async () => {
    const result = await runGates(
      'minimal',
      {
        build: node('console.log("built ok")'),
        lint: node('console.error("src/a.ts:3 no-unused-vars"); process.exit(2)'),
        test: node('process.exit(0)'),
      },
      dir,
    );
    assert.equal(result.verdict, 'FAIL');
    const [build, lint, test] = result.gates;
    assert.deepEqual([build?.name, build?.status, build?.exitCode], ['build', 'pass', 0]);
    assert.match(build?.output ?? '', /built ok/);
    assert.deepEqual([lint?.name, lint?.status, lint?.exitCode, lint?.reason], ['lint', 'fail', 2, 'exit code 2']);
    assert.match(lint?.output ?? '', /no-unused-vars/);
    assert.equal(test?.status, 'skipped');
    assert.match(test?.reason ?? '', /not part of a minimal review/);
  });

  it('runs build, lint and test at the same time', async () => {
    // Each command marks itself started, then waits for the other two: run one after another, they would time out.
    const script = (me: string) =>
      `const fs=require("fs");fs.writeFileSync("${me}","");const others=["build","lint","test"].filter(n=>n!=="${me}");` +
      `const t=setInterval(()=>{if(others.every(n=>fs.existsSync(n))){clearInterval(t);process.exit(0)}},20)`;
    const result = await runGates('standard', { build: node(script('build')), lint: node(script('lint')), test: node(script('test')) }, dir, { timeoutMs: 10_000 });
    assert.deepEqual(result.gates.map((g) => g.status), ['pass', 'pass', 'pass']);
    assert.equal(result.verdict, 'PASS');
  });

  it('with sequentialTests, runs no tests after a failing build', async () => {
    const result = await runGates('standard', { build: node('process.exit(1)'), test: node('require("fs").writeFileSync("tested","")') }, dir, {
      sequentialTests: true,
    });
    const test = result.gates.find((g) => g.name === 'test');
    assert.equal(test?.status, 'skipped');
    assert.equal(test?.reason, 'not run: the build failed');
    assert.equal(existsSync(join(dir, 'tested')), false);
    assert.equal(result.verdict, 'FAIL');
  });

  it('with sequentialTests, runs the tests once the build passes', async () => {
    const result = await runGates('standard', { build: node('require("fs").writeFileSync("dist","")'), test: node('process.exit(require("fs").existsSync("dist")?0:1)') }, dir, {
      sequentialTests: true,
    });
    assert.deepEqual(result.gates.map((g) => g.status), ['pass', 'skipped', 'pass']);
    assert.equal(result.verdict, 'PASS');
  });

  it('skips a missing command with a reason instead of failing', async () => {
    const result = await runGates('standard', { build: node('0'), test: '  ' }, dir);
    assert.equal(result.verdict, 'PASS');
    assert.deepEqual(
      result.gates.map((g) => [g.name, g.status, g.reason ?? null]),
      [
        ['build', 'pass', null],
        ['lint', 'skipped', 'no lint command configured'],
        ['test', 'skipped', 'no test command configured'],
      ],
    );
  });

  it('stops a command that hangs at the time limit', async () => {
    const result = await runGates('minimal', { build: node('console.log("starting"); setInterval(() => {}, 1000)') }, dir, { timeoutMs: 1000 });
    const build = result.gates[0];
    assert.equal(build?.status, 'timeout');
    assert.equal(build?.exitCode, null);
    assert.match(build?.reason ?? '', /1000 ms time limit/);
    assert.match(build?.output ?? '', /starting/);
    assert.equal(result.verdict, 'FAIL');
  });

  it('keeps only the tail of a command that prints megabytes', async () => {
    const script = 'const line="x".repeat(1023)+"\\n";for(let i=0;i<4096;i++)process.stdout.write(line);console.log("THE END")';
    const result = await runGates('minimal', { build: node(script) }, dir, { outputTailBytes: 4096 });
    const build = result.gates[0];
    assert.equal(build?.status, 'pass');
    assert.ok((build?.output.length ?? Infinity) < 4096 + 100, `output is ${build?.output.length} characters`);
    assert.match(build?.output ?? '', /^\[… \d+ earlier bytes omitted …\]\n/);
    assert.match(build?.output ?? '', /THE END$/);
  });

  it('fails a command line that needs a shell, and one whose program does not exist', async () => {
    const result = await runGates('minimal', { build: 'npm run build && npm run lint', lint: 'flotilla-no-such-program-xyz --check' }, dir);
    const [build, lint] = result.gates;
    assert.equal(build?.status, 'fail');
    assert.match(build?.reason ?? '', /cannot run without a shell.*"&"/);
    assert.equal(lint?.status, 'fail');
    assert.match(lint?.reason ?? '', /executable not found: flotilla-no-such-program-xyz/);
  });

  it('reports cancellation', async () => {
    const controller = new AbortController();
    const pending = runGates('minimal', { build: node('setInterval(() => {}, 1000)') }, dir, { signal: controller.signal });
    setTimeout(() => controller.abort(), 100);
    const result = await pending;
    assert.equal(result.gates[0]?.status, 'cancelled');
    assert.equal(result.verdict, 'FAIL');
  });

  it('measures duration with the injected clock', async () => {
    let now = 1000;
    const result = await runGates('minimal', { build: node('0') }, dir, { clock: () => (now += 250) });
    assert.equal(result.gates[0]?.durationMs, 250);
  });
});

describe('tail', () => {
  it('returns short text unchanged and never splits a UTF-8 character', () => {
    assert.equal(tail('short', 10), 'short');
    const cut = tail('ééééé', 5);
    assert.equal(cut.split('\n')[1], 'éé');
  });
});
