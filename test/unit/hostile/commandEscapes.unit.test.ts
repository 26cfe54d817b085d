import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { executeTool } from '../../../src/core/worker/tools/executeTool';
import type { ToolResult } from '../../../src/core/worker/tools/toolTypes';
import { createToolWorkspace, type ToolWorkspace } from '../workerTools/toolWorkspace';

/**
 * Issue 11 item 8: with `node --test` allowed (the demo's setting), none of these may run code or
 * write a file outside the worktree. Each attack writes a marker outside if it works.
 */
describe('hostile commands: an allowed prefix admits no escape from the worktree', function () {
  this.timeout(30_000);
  let ws: ToolWorkspace;
  let marker: string;
  const evilCode = () => `require('fs').writeFileSync(${JSON.stringify(marker)}, 'escaped')`;

  beforeEach(() => {
    ws = createToolWorkspace();
    marker = join(ws.outside, 'ESCAPED');
    ws.write('test/ok.test.js', "require('node:test')('ok', () => {});\n");
    writeFileSync(join(ws.outside, 'evil.js'), `${evilCode()};\n`);
    writeFileSync(join(ws.outside, 'evil.test.js'), `${evilCode()};\nrequire('node:test')('x', () => {});\n`);
  });
  afterEach(() => ws.dispose());

  /** A data: URL that needs no quoting (encodeURIComponent leaves ' ( ) alone). */
  const dataUrl = () => `data:text/javascript,${encodeURIComponent(evilCode()).replace(/'/g, '%27').replace(/\(/g, '%28').replace(/\)/g, '%29')}`;
  const run = (command: string, allow: string[] = ['node --test']): Promise<ToolResult> => executeTool('run_command', { command }, ws.ctx({ allowCommands: allow }));
  const refused = async (command: string, reason: RegExp, allow?: string[]) => {
    const result = await run(command, allow);
    assert.equal(result.isError, true, `${command} ran:\n${result.content}`);
    assert.match(result.content, reason, command);
    assert.ok(!existsSync(marker), `${command} wrote outside the worktree`);
  };

  it('refuses the listed attacks on `node --test`', async () => {
    await refused(`node --test --import ${dataUrl()}`, /options after "node --test" are not allowed/);
    await refused(`node --test "${dataUrl()}"`, /is a URL \(data:\)/);
    await refused(`node --test --require ${join(ws.outside, 'evil.js')}`, /options after "node --test" are not allowed/);
    await refused(`node --test ${join(ws.outside, 'evil.test.js')}`, /is outside the worktree/);
    await refused(`node --test --test-reporter-destination=${marker}`, /options after "node --test" are not allowed/);
    await refused(`node --test ../outside/evil.test.js`, /"\.\." may not be used/);
  });

  it('an entry ending in " *" admits options, but not URLs, outside paths or packages as code', async () => {
    const allow = ['node --test *'];
    await refused(`node --test --import=${dataUrl()}`, /code may only be loaded from a file inside the worktree/, allow);
    await refused(`node --test --experimental-test-coverage ${dataUrl()}`, /is a URL \(data:\)/, allow);
    await refused(`node --test --import ${join(ws.outside, 'evil.js')}`, /code may only be loaded from a file inside the worktree/, allow);
    await refused(`node --test --require ./../outside/evil.js`, /"\.\." may not be used/, allow);
    await refused(`node --test -r evil-package`, /code may only be loaded from a file inside the worktree/, allow);
    await refused(`node --test --test-reporter-destination=${marker}`, /the value of --test-reporter-destination is outside the worktree/, allow);
    await refused(`node --test --test-reporter=spec --test-reporter-destination=~/x`, /home folder/, allow);
    // What stays inside is fine.
    ws.write('test/setup.js', '');
    const ok = await run('node --test --require ./test/setup.js --test-reporter=tap --test-reporter-destination=report.tap test/ok.test.js', allow);
    assert.equal(ok.isError, false, ok.content);
    assert.ok(existsSync(join(ws.root, 'report.tap')));
  });

  it('--test-reporter takes only node\'s built-in reporters, never a package from a node_modules above the worktree', async () => {
    // A package where node's resolution finds it from the worktree: in a node_modules of a parent folder.
    const pkg = join(ws.base, 'node_modules', 'evil-reporter');
    mkdirSync(pkg, { recursive: true });
    writeFileSync(join(pkg, 'package.json'), JSON.stringify({ name: 'evil-reporter', main: 'index.js' }));
    writeFileSync(join(pkg, 'index.js'), `${evilCode()};\nmodule.exports = async function* (source) { for await (const _ of source) yield ''; };\n`);
    const allow = ['node --test *'];
    const reason = /only node's built-in reporters may be used \(spec, tap, dot, junit, lcov\)/;
    await refused('node --test --test-reporter=evil-reporter test/ok.test.js', reason, allow);
    await refused('node --test --test-reporter evil-reporter test/ok.test.js', reason, allow);
    await refused('node --test --test-reporter=./test/ok.test.js', reason, allow);
    await refused('node --test --test-reporter', /--test-reporter needs a value/, allow);
    for (const builtIn of ['spec', 'tap', 'dot', 'junit', 'lcov']) {
      const ok = await run(`node --test --test-reporter=${builtIn} test/ok.test.js`, allow);
      assert.equal(ok.isError, false, `${builtIn}: ${ok.content}`);
    }
  });

  it('a path inside the worktree that is a symbolic link to the outside is refused', async () => {
    symlinkSync(join(ws.outside, 'evil.test.js'), join(ws.root, 'linked.test.js'));
    await refused('node --test linked.test.js', /symbolic link/);
  });

  it('without a sandbox (allowed by the setting), a test file the worker wrote runs with a private, temporary HOME and TMPDIR (removed afterwards)', async () => {
    // Running the project's tests on model-written code is running untrusted code; where no sandbox
    // can be built this limits what Flotilla itself hands it: the worktree and a private folder, not
    // the user's home. (In the sandbox the home is an empty tmpfs: test/unit/hostile/sandbox*.)
    ws.write('test/where.test.js', "const os = require('os'); require('node:test')('where', () => { console.log('HOME=' + os.homedir()); console.log('TMP=' + os.tmpdir()); require('fs').writeFileSync(require('path').join(os.homedir(), 'left-behind'), 'x'); });\n");
    const sandbox = { allowNetwork: false, allowUnsandboxed: true, bwrapPath: join(ws.base, 'no-bwrap-here') };
    const result = await executeTool('run_command', { command: 'node --test test/where.test.js' }, ws.ctx({ allowCommands: ['node --test'], sandbox }));
    assert.doesNotMatch(result.content, /runs only in a sandbox/, 'allowUnsandboxed runs the command');
    assert.equal(result.isError, false, result.content);
    const home = /HOME=(\S+)/.exec(result.content)?.[1] ?? '';
    const tmp = /TMP=(\S+)/.exec(result.content)?.[1] ?? '';
    assert.ok(home && home !== homedir() && !home.startsWith(`${homedir()}/`), `HOME was ${home}`);
    assert.equal(tmp, home, 'TMPDIR is the same private folder');
    assert.ok(home.startsWith(tmpdir()), home);
    assert.ok(!existsSync(home), 'the private folder is removed after the command');
    assert.ok(!readFileSync(join(ws.outside, 'evil.js'), 'utf8').includes('left-behind'));
  });
});
