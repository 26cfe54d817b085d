import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { sandboxLayout } from '../../../src/core/process/sandboxLayout';
import { sandboxFixture, type SandboxFixture } from '../hostile/sandboxFixture';

describe('sandboxLayout (what one run hides and keeps readable, from what is on disk)', () => {
  let fx: SandboxFixture;
  beforeEach(() => {
    fx = sandboxFixture();
  });
  afterEach(() => fx.dispose());

  it("hides the home, the storage and the main repository's files; keeps its git metadata readable and the worktree writable", () => {
    const { profile, home } = sandboxLayout({ cwd: fx.worktree, env: { HOME: fx.home, PATH: '/usr/bin' }, network: false, hidden: [fx.storage] });
    assert.equal(profile.worktree, fx.worktree);
    assert.equal(home, fx.home);
    for (const dir of [fx.home, fx.storage, fx.repo]) assert.ok(profile.hidden.includes(dir), `${dir} hidden: ${profile.hidden.join(' ')}`);
    assert.ok(profile.readable.includes(join(fx.repo, '.git')), profile.readable.join(' '));
    assert.ok(!profile.hidden.includes(fx.worktree));
  });

  it('keeps tools on PATH under the hidden home readable: a Node installation with its lib, a bin folder alone', () => {
    const node = join(fx.home, '.nvm', 'versions', 'node', 'v20');
    mkdirSync(join(node, 'bin'), { recursive: true });
    mkdirSync(join(node, 'lib', 'node_modules', 'npm'), { recursive: true });
    mkdirSync(join(fx.home, '.local', 'bin'), { recursive: true });
    const PATH = [join(node, 'bin'), join(fx.home, '.local', 'bin'), join(fx.home, 'missing', 'bin'), 'relative/bin', '/usr/bin'].join(':');
    const { profile } = sandboxLayout({ cwd: fx.worktree, env: { HOME: fx.home, PATH }, network: false });
    assert.ok(profile.readable.includes(node), 'the Node prefix (npm in bin links into lib)');
    assert.ok(profile.readable.includes(join(fx.home, '.local', 'bin')));
    assert.ok(!profile.readable.includes(join(fx.home, '.local')), 'not the folder around a plain bin');
    assert.ok(!profile.readable.some((dir) => dir.includes('missing') || dir === '/usr/bin'), profile.readable.join(' '));
  });
});
