import assert from 'node:assert/strict';
import { chmodSync, existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sandboxAvailability } from '../../../src/core/process/sandboxProbe';
import { executeTool } from '../../../src/core/worker/tools/executeTool';
import { sandboxFixture, type SandboxFixture } from './sandboxFixture';

/** Issue 20 item 2: where no sandbox can be built, model-written code runs only if a setting allows it. */
describe('hostile gates without a sandbox (bubblewrap missing or unusable)', function () {
  this.timeout(60_000);
  let fx: SandboxFixture;
  beforeEach(() => {
    fx = sandboxFixture();
    fx.write('ran.js', "require('fs').writeFileSync('RAN', 'yes');\n");
  });
  afterEach(() => fx.dispose());

  it('a gate fails with the reason, how to install bubblewrap and the setting; with allowUnsandboxed it runs', async () => {
    const missing = join(fx.base, 'no-such-bwrap');
    const refused = await fx.gate(`${process.execPath} ran.js`, { sandbox: { bwrapPath: missing } });
    assert.equal(refused.status, 'fail');
    assert.equal(refused.exitCode, null);
    assert.match(refused.reason ?? '', new RegExp(`runs only in a sandbox, and none is available: bubblewrap is not installed \\(no ${missing}\\)`));
    assert.match(refused.reason ?? '', /apt-get install bubblewrap/);
    assert.match(refused.reason ?? '', /flotilla\.sandbox\.allowUnsandboxed \(CLI: FLOTILLA_ALLOW_UNSANDBOXED=1\)/);
    assert.ok(!existsSync(join(fx.worktree, 'RAN')), 'nothing ran');

    const allowed = await fx.gate(`${process.execPath} ran.js`, { sandbox: { bwrapPath: missing, allowUnsandboxed: true } });
    assert.equal(allowed.status, 'pass', allowed.output);
    assert.ok(existsSync(join(fx.worktree, 'RAN')));
  });

  it('run_command tells the model the same and runs nothing', async () => {
    const sandbox = fx.policy({ bwrapPath: join(fx.base, 'no-such-bwrap') });
    const ctx = { root: fx.worktree, allowCommands: [process.execPath], commandTimeoutMs: 10_000, maxReadBytes: 1024, maxWriteBytes: 1024, maxOutputBytes: 4096, sandbox };
    const result = await executeTool('run_command', { command: `${process.execPath} ran.js` }, ctx);
    assert.equal(result.isError, true);
    assert.match(result.content, /^The command was not run\. .*runs only in a sandbox/);
    assert.ok(!existsSync(join(fx.worktree, 'RAN')));
  });

  it('a bubblewrap that cannot build the sandbox here (no user namespaces) is reported with what it said', async () => {
    const broken = join(fx.base, 'bwrap');
    writeFileSync(broken, '#!/bin/sh\necho "bwrap: setting up uid map: Permission denied" >&2\nexit 1\n');
    chmodSync(broken, 0o755);
    assert.deepEqual(await sandboxAvailability(broken), { available: false, reason: `bubblewrap (${broken}) cannot build a sandbox here: bwrap: setting up uid map: Permission denied` });
    const gate = await fx.gate(`${process.execPath} ran.js`, { sandbox: { bwrapPath: broken } });
    assert.equal(gate.status, 'fail');
    assert.match(gate.reason ?? '', /cannot build a sandbox here: bwrap: setting up uid map: Permission denied/);
    assert.ok(!existsSync(join(fx.worktree, 'RAN')));
  });
});
