import assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeDemoRepo, tempDir } from '../cli/cliHarness';
import { ensureCliBuilt, runCliProcess } from './cliProcess';

/** A `bwrap` first on PATH that fails as bubblewrap does on a kernel without user namespaces. */
function brokenBwrapPath(): string {
  const bin = join(tempDir('broken-bwrap'), 'bin');
  mkdirSync(bin);
  writeFileSync(join(bin, 'bwrap'), '#!/bin/sh\necho "bwrap: setting up uid map: Permission denied" >&2\nexit 1\n');
  chmodSync(join(bin, 'bwrap'), 0o755);
  return `${bin}:${process.env.PATH ?? ''}`;
}

/** Issue 20 item 2 in the CLI: `plan` and `run` say when gates would run unsandboxed; FLOTILLA_ALLOW_UNSANDBOXED allows it. */
describe('hostile CLI without a sandbox', function () {
  this.timeout(120_000);
  before(() => ensureCliBuilt());
  const env = (extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv => {
    const base = { ...process.env };
    delete base.ANTHROPIC_API_KEY;
    delete base.FLOTILLA_ALLOW_UNSANDBOXED;
    return { ...base, ...extra };
  };

  it('plan says whether gates run in the sandbox, without one, or not at all', async () => {
    const repo = makeDemoRepo();
    const plan = (extra: NodeJS.ProcessEnv, json = false) => runCliProcess(['plan', '--repo', repo, '--all', ...(json ? ['--json'] : [])], env(extra));
    const sandboxed = await plan({});
    assert.equal(sandboxed.code, 0, sandboxed.stderr);
    assert.match(sandboxed.stdout, /^sandbox: gates and allowed commands run in the bubblewrap sandbox$/m);

    const broken = brokenBwrapPath();
    const refused = await plan({ PATH: broken });
    assert.match(refused.stdout, /^sandbox: Gates and allowed commands will not run: there is no sandbox \(bubblewrap \(.*\/bwrap\) cannot build a sandbox here: bwrap: setting up uid map: Permission denied\)\. Install bubblewrap, or allow running without one with FLOTILLA_ALLOW_UNSANDBOXED=1\.$/m);
    const allowed = await plan({ PATH: broken, FLOTILLA_ALLOW_UNSANDBOXED: '1' });
    assert.match(allowed.stdout, /^sandbox: Gates and allowed commands run WITHOUT a sandbox, with your user's rights \(.*; allowed by FLOTILLA_ALLOW_UNSANDBOXED=1\)\.$/m);
    const json = JSON.parse((await plan({ PATH: broken, FLOTILLA_ALLOW_UNSANDBOXED: '1' }, true)).stdout) as { sandbox: { kind: string; reason: string } };
    assert.equal(json.sandbox.kind, 'unsandboxed');
    assert.match(json.sandbox.reason, /setting up uid map/);
  });

  it('a batch with gates does not start (exit 2, nothing spent) unless FLOTILLA_ALLOW_UNSANDBOXED=1, which it then announces', async () => {
    const storage = join(tempDir('no-sandbox'), 'storage');
    const refused = await runCliProcess(['demo', '--simulate', '--storage', storage], env({ PATH: brokenBwrapPath() }));
    assert.equal(refused.code, 2, refused.stderr);
    assert.match(refused.stderr, /^flotilla demo: the test gate cannot run on this machine\. .*runs only in a sandbox, and none is available: .*setting up uid map.*apt-get install bubblewrap.*FLOTILLA_ALLOW_UNSANDBOXED=1/m);
    assert.doesNotMatch(refused.stderr, /^\s+at /m, 'no stack trace');
    assert.ok(!existsSync(join(storage, 'ledger')), 'nothing was spent or recorded');

    const allowed = await runCliProcess(['demo', '--simulate', '--storage', storage], env({ PATH: brokenBwrapPath(), FLOTILLA_ALLOW_UNSANDBOXED: '1' }));
    assert.equal(allowed.code, 0, allowed.stderr);
    assert.match(allowed.stderr, /^warning: Gates and allowed commands run WITHOUT a sandbox/m);
  });
});
