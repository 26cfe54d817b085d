import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { matchAllowlist } from '../../../src/core/worker/tools/commandAdmission';
import { splitCommandLine } from '../../../src/core/worker/tools/commandLine';
import { executeTool } from '../../../src/core/worker/tools/executeTool';
import { commandEnvironment } from '../../../src/core/worker/tools/runCommandTool';
import { ToolFailure } from '../../../src/core/worker/tools/toolTypes';
import { processesWith } from '../claudeCode/claudeCodeHarness';
import { createToolWorkspace, type ToolWorkspace } from './toolWorkspace';

const node = process.execPath;

/**
 * Whether every process whose command line carries `marker` is gone within the limit. Commands run
 * in the sandbox's own PID namespace, so the pids they print are not the host's: the marker finds them.
 */
async function goneWithin(marker: string, limitMs: number): Promise<boolean> {
  const end = Date.now() + limitMs;
  while (processesWith(marker).length > 0 && Date.now() < end) await new Promise((r) => setTimeout(r, 25));
  return processesWith(marker).length === 0;
}

describe('command line splitting and the allowlist', () => {
  it('splits words and respects quotes and escapes', () => {
    assert.deepEqual(splitCommandLine('npm test -- --grep "two words"'), ['npm', 'test', '--', '--grep', 'two words']);
    assert.deepEqual(splitCommandLine(`echo 'a | b' "c \\"d\\"" e\\ f ''`), ['echo', 'a | b', 'c "d"', 'e f', '']);
  });

  it('refuses shell operators, newlines and unclosed quotes', () => {
    for (const line of ['npm test | tee log', 'npm test && rm -rf /', 'a; b', 'echo > out', 'echo $HOME', 'echo `id`', 'a\nb', 'echo "open', "echo 'open"]) {
      assert.throws(() => splitCommandLine(line), ToolFailure, line);
    }
  });

  it('allows a command whose argv starts with an allowlist entry, and nothing else', () => {
    const allow = ['npm test', 'npx eslint', 'node'];
    assert.equal(matchAllowlist(['npm', 'test', '--', '--grep', 'x'], allow), 'npm test');
    assert.equal(matchAllowlist(['npm', 'install'], allow), undefined);
    assert.equal(matchAllowlist(['npm'], allow), undefined);
    assert.equal(matchAllowlist(['npm-test'], allow), undefined);
    assert.equal(matchAllowlist(['rm', '-rf', '.'], allow), undefined);
  });

  it('keeps API keys and tokens out of a command\'s environment', () => {
    const env = commandEnvironment({ PATH: '/bin', ANTHROPIC_API_KEY: 'sk', GITHUB_TOKEN: 't', HOME: '/h' });
    assert.deepEqual(env, { PATH: '/bin', HOME: '/h' });
  });
});

describe('run_command', () => {
  let ws: ToolWorkspace;
  beforeEach(() => (ws = createToolWorkspace()));
  afterEach(() => ws.dispose());

  it('runs an allowed command in the worktree without a shell and reports exit code and output', async () => {
    const ctx = ws.ctx({ allowCommands: [`${node} *`] });
    const ok = await executeTool('run_command', { command: `${node} -e "console.log(process.cwd()); console.error('warn')"` }, ctx);
    assert.equal(ok.isError, false);
    assert.equal(ok.content, `exit code 0\n--- stdout ---\n${ws.root}\n--- stderr ---\nwarn`);
    const failed = await executeTool('run_command', { command: `${node} -e "process.exit(4)"` }, ctx);
    assert.equal(failed.isError, true);
    assert.equal(failed.content, 'exit code 4\n(no output)');
  });

  it('refuses commands that are not on the allowlist, listing what is allowed', async () => {
    const refused = await executeTool('run_command', { command: 'rm -rf src' }, ws.ctx({ allowCommands: ['npm test'] }));
    assert.equal(refused.isError, true);
    assert.match(refused.content, /"rm -rf src" is not allowed\. Allowed commands .*"npm test"/);
    const none = await executeTool('run_command', { command: 'npm test' }, ws.ctx());
    assert.match(none.content, /flotilla\.commands\.allow setting is empty/);
    const shell = await executeTool('run_command', { command: 'npm test && rm -rf .' }, ws.ctx({ allowCommands: ['npm test'] }));
    assert.match(shell.content, /without a shell/);
  });

  it('reports a missing program as a tool error', async () => {
    const result = await executeTool('run_command', { command: 'flotilla-no-such-tool --help' }, ws.ctx({ allowCommands: ['flotilla-no-such-tool *'] }));
    assert.equal(result.isError, true);
    assert.match(result.content, /was not found/);
  });

  it('caps the output it returns', async () => {
    const ctx = ws.ctx({ allowCommands: [`${node} *`], maxOutputBytes: 2000 });
    const result = await executeTool('run_command', { command: `${node} -e "process.stdout.write('A' + 'x'.repeat(200000) + 'Z')"` }, ctx);
    assert.equal(result.isError, false);
    assert.ok(result.content.length < 2500, `length ${result.content.length}`);
    assert.match(result.content, /stdout \(middle omitted\)/);
    assert.match(result.content, /Z$/);
  });

  it('stops a command at its time limit, with its children, and says so', async () => {
    const marker = `flotilla-timeout-${process.pid}-${Date.now()}`;
    const script = `const c=require('child_process').spawn(process.execPath,['-e','setTimeout(()=>{},60000)','${marker}'],{stdio:'ignore'});console.log(c.pid);setTimeout(()=>{},60000)`;
    const ctx = ws.ctx({ allowCommands: [`${node} *`], commandTimeoutMs: 800 });
    const result = await executeTool('run_command', { command: `${node} -e "${script}"` }, ctx);
    assert.equal(result.isError, true);
    assert.match(result.content, /stopped after the 800 ms time limit/);
    const pid = Number(/stdout ---\n(\d+)/.exec(result.content)?.[1]);
    assert.ok(pid > 0);
    assert.equal(await goneWithin(marker, 5000), true, 'no orphan left behind');
  });

  it('cancels a running command through the signal and leaves no process behind', async () => {
    const controller = new AbortController();
    const ctx = ws.ctx({ allowCommands: [`${node} *`], signal: controller.signal });
    const marker = `flotilla-cancel-${process.pid}-${Date.now()}`;
    const script = `const c=require('child_process').spawn(process.execPath,['-e','setTimeout(()=>{},60000)','${marker}'],{stdio:'ignore'});console.log(c.pid);require('fs').writeFileSync('started','');setTimeout(()=>{},60000)`;
    const pending = executeTool('run_command', { command: `${node} -e "${script}"` }, ctx);
    // Abort once the grandchild exists (a fixed delay is too short on a busy machine).
    const deadline = Date.now() + 15_000;
    while (!existsSync(join(ws.root, 'started')) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 25));
    assert.ok(processesWith(marker).length > 0, 'the grandchild runs before the cancel');
    controller.abort();
    const result = await pending;
    assert.equal(result.isError, true);
    assert.match(result.content, /cancelled/);
    const pid = Number(/stdout ---\n(\d+)/.exec(result.content)?.[1]);
    assert.ok(pid > 0);
    assert.equal(await goneWithin(marker, 5000), true, 'no orphan left behind');
    const after = await executeTool('write_file', { path: 'late.txt', content: 'x' }, ctx);
    assert.equal(after.isError, true, 'no tool runs once the run is cancelled');
    assert.throws(() => readFileSync(join(ws.root, 'late.txt')));
  });
});
