import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentLogger } from '../../../src/core/logger';
import { defaultSettings } from '../../../src/core/settings/settingsSchema';
import { findClaudeCode } from '../../../src/core/worker/claudeCode/findClaudeCode';
import { chooseEngine, ClaudeCodeNotFoundError, openWorkerEngine } from '../../../src/core/worker/workerEngine';
import { cli, makeDemoRepo, tempDir } from '../cli/cliHarness';

function executable(path: string): string {
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, '#!/bin/sh\n');
  chmodSync(path, 0o755);
  return path;
}

const NOTHING = { resolvePackage: () => undefined, env: { PATH: '' }, home: mkdtempSync(join(tmpdir(), 'flotilla-home-')) };
const meter = { beforeCall: () => undefined, recordUsage: async () => undefined };

describe('worker engine choice', () => {
  it('auto takes Claude Code when found on a real API, the built-in engine otherwise; claude-code without an executable says what to do', () => {
    const found = { path: '/x/claude', source: 'path' as const };
    assert.equal(chooseEngine('auto', found, [], false).name, 'claude-code');
    assert.equal(chooseEngine('auto', found, [], true).name, 'builtin');
    assert.equal(chooseEngine('auto', undefined, ['PATH'], false).name, 'builtin');
    assert.equal(chooseEngine('builtin', found, [], false).name, 'builtin');
    assert.equal(chooseEngine('claude-code', found, [], true).name, 'claude-code');
    assert.throws(() => chooseEngine('claude-code', undefined, ['claude on PATH'], false), (e: unknown) => e instanceof ClaudeCodeNotFoundError && /claude on PATH/.test(e.message) && /--engine builtin/.test(e.nextStep));
  });

  it('finds the executable from the setting, the SDK platform package, PATH, then the newest Claude Code VS Code extension', async () => {
    const home = mkdtempSync(join(tmpdir(), 'flotilla-home-'));
    const old = executable(join(home, '.vscode/extensions/anthropic.claude-code-2.1.9-linux-x64/resources/native-binary/claude'));
    const newer = executable(join(home, '.vscode-server/extensions/anthropic.claude-code-2.1.10-linux-x64/resources/native-binary/claude'));
    assert.deepEqual((await findClaudeCode({ settingPath: '', ...NOTHING, home, platform: 'linux' })).found, { path: newer, source: 'vscode-extension' });
    void old;
    const bin = mkdtempSync(join(tmpdir(), 'flotilla-bin-'));
    const onPath = executable(join(bin, 'claude'));
    assert.deepEqual((await findClaudeCode({ settingPath: '', ...NOTHING, home, env: { PATH: bin }, platform: 'linux' })).found, { path: onPath, source: 'path' });
    const pkg = mkdtempSync(join(tmpdir(), 'flotilla-pkg-'));
    executable(join(pkg, 'claude'));
    const fromPackage = await findClaudeCode({ settingPath: '', ...NOTHING, resolvePackage: (name) => (name === '@anthropic-ai/claude-agent-sdk-linux-x64' ? pkg : undefined), env: { PATH: bin }, platform: 'linux', arch: 'x64' });
    assert.equal(fromPackage.found?.source, 'sdk-package');
    assert.deepEqual((await findClaudeCode({ settingPath: onPath, ...NOTHING })).found, { path: onPath, source: 'setting' });
    const wrong = await findClaudeCode({ settingPath: join(bin, 'nope'), ...NOTHING, env: { PATH: bin } });
    assert.equal(wrong.found, undefined, 'a wrong setting is reported, not replaced by another executable');
    assert.match(wrong.tried.join(), /claudeCodePath/);
  });

  it('opens the built-in engine under auto when nothing is found, and refuses claude-code with the next step', async () => {
    const settings = defaultSettings();
    const base = { settings, simulated: false, upstream: { baseURL: 'http://127.0.0.1:9', apiKey: 'k' }, meter, logger: silentLogger, find: NOTHING };
    const auto = await openWorkerEngine({ ...base, choice: 'auto' });
    assert.equal(auto.name, 'builtin');
    assert.match(auto.reason, /not found/);
    await assert.rejects(openWorkerEngine({ ...base, choice: 'claude-code' }), ClaudeCodeNotFoundError);
  });

  it("auto does not switch to Claude Code for the SDK's platform package of Flotilla's own checkout; claude-code uses it", async () => {
    const pkg = mkdtempSync(join(tmpdir(), 'flotilla-pkg-'));
    executable(join(pkg, process.platform === 'win32' ? 'claude.exe' : 'claude'));
    const find = { ...NOTHING, resolvePackage: () => pkg };
    const base = { settings: defaultSettings(), simulated: false, upstream: { baseURL: 'http://127.0.0.1:9', apiKey: 'k' }, meter, logger: silentLogger, find };
    assert.equal((await openWorkerEngine({ ...base, choice: 'auto' })).name, 'builtin');
    const chosen = await openWorkerEngine({ ...base, choice: 'claude-code' });
    assert.equal(chosen.name, 'claude-code');
    await chosen.close();
  });

  it('the CLI takes --engine on run, resume and demo and refuses an unknown one with exit 2', async () => {
    const repo = makeDemoRepo();
    const r = await cli('run', '--repo', repo, '--all', '--simulate', '--engine', 'fastest', '--storage', tempDir('engine'));
    assert.equal(r.code, 2);
    assert.match(r.err.join('\n'), /--engine fastest: use one of auto, claude-code, builtin/);
    const resume = await cli('resume', '--storage', tempDir('engine'), '--engine', 'nope');
    assert.equal(resume.code, 2);
    assert.match(resume.err.join('\n'), /--engine nope/);
  });
});
