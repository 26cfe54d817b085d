import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { confinePath, PathRefusedError } from '../../../src/core/worker/pathConfinement';
import { confineWritePath } from '../../../src/core/worker/writeConfinement';
import { executeTool } from '../../../src/core/worker/tools/executeTool';
import { createToolWorkspace, type ToolWorkspace } from './toolWorkspace';

describe('path confinement', () => {
  let ws: ToolWorkspace;
  beforeEach(() => {
    ws = createToolWorkspace();
    ws.write('src/app.ts', 'export const a = 1;\n');
    ws.write('.git/config', '[core]\n');
    symlinkSync(join(ws.outside, 'secret.txt'), join(ws.root, 'secret-link.txt'));
    symlinkSync(ws.outside, join(ws.root, 'outside-dir'));
    symlinkSync(join(ws.outside, 'missing.txt'), join(ws.root, 'dangling.txt'));
    symlinkSync('.git', join(ws.root, 'gitlink'));
    symlinkSync('src/app.ts', join(ws.root, 'inside-link.ts'));
  });
  afterEach(() => ws.dispose());

  const refused = async (path: string, reason: RegExp): Promise<void> => {
    await assert.rejects(confinePath(ws.root, path), (e: unknown) => {
      assert.ok(e instanceof PathRefusedError, `expected PathRefusedError for ${path}`);
      assert.match(e.message, reason);
      assert.match(e.message, /relative to the repository root, e\.g\. src\/app\.ts/);
      return true;
    });
  };

  it('resolves ordinary paths, new paths and symlinks that stay inside', async () => {
    assert.deepEqual(await confinePath(ws.root, 'src/app.ts'), { absolute: join(ws.root, 'src/app.ts'), relative: 'src/app.ts' });
    assert.equal((await confinePath(ws.root, './src//new/file.ts')).relative, 'src/new/file.ts');
    assert.equal((await confinePath(ws.root, '.')).relative, '.');
    assert.equal((await confinePath(ws.root, 'inside-link.ts')).relative, 'src/app.ts');
  });

  it('refuses ../ and absolute paths', async () => {
    await refused('../outside/secret.txt', /"\.\."/);
    await refused('src/../../outside/secret.txt', /"\.\."/);
    await refused(join(ws.outside, 'secret.txt'), /absolute/);
    await refused('/etc/passwd', /absolute/);
    await refused('C:\\Windows\\win.ini', /absolute/);
  });

  it('refuses .git anywhere, including through a symlink', async () => {
    await refused('.git/config', /\.git folder/);
    await refused('src/.GIT/hooks/pre-commit', /\.git folder/);
    await refused('gitlink/config', /into the \.git folder/);
  });

  it('refuses symlinks that point outside: a file, a folder, a new file under it, a dangling link', async () => {
    await refused('secret-link.txt', /outside the repository/);
    await refused('outside-dir/secret.txt', /outside the repository/);
    await refused('outside-dir/new/file.txt', /outside the repository/);
    await refused('dangling.txt', /target does not exist/);
  });

  it('keeps every tool inside: reads, writes, edits and listings through escapes are tool errors', async () => {
    const ctx = ws.ctx();
    const attempts: [string, unknown][] = [
      ['read_file', { path: '../outside/secret.txt' }],
      ['read_file', { path: 'secret-link.txt' }],
      ['read_file', { path: join(ws.outside, 'secret.txt') }],
      ['read_file', { path: '.git/config' }],
      ['list_dir', { path: 'outside-dir' }],
      ['list_dir', { path: '..' }],
      ['write_file', { path: 'outside-dir/planted.txt', content: 'x' }],
      ['write_file', { path: 'dangling.txt', content: 'x' }],
      ['write_file', { path: '.git/hooks/post-checkout', content: '#!/bin/sh\n' }],
      ['edit_file', { path: 'secret-link.txt', oldText: 'TOP', newText: 'NOT' }],
      ['search_text', { pattern: 'SECRET', path: 'outside-dir' }],
    ];
    for (const [tool, input] of attempts) {
      const result = await executeTool(tool, input, ctx);
      assert.equal(result.isError, true, `${tool} ${JSON.stringify(input)}`);
      assert.match(result.content, /Refused path/, `${tool} ${JSON.stringify(input)}`);
      assert.doesNotMatch(result.content, /TOP SECRET/);
    }
    assert.equal(readFileSync(join(ws.outside, 'secret.txt'), 'utf8'), 'TOP SECRET\n');
    assert.equal(existsSync(join(ws.outside, 'planted.txt')), false);
    assert.equal(existsSync(join(ws.outside, 'missing.txt')), false);
    assert.equal(existsSync(join(ws.root, '.git/hooks')), false);
  });

  it('does not follow a symlink out of the tree while searching', async () => {
    mkdirSync(join(ws.root, 'docs'));
    const result = await executeTool('search_text', { pattern: 'SECRET' }, ws.ctx());
    assert.equal(result.isError, false);
    assert.match(result.content, /No matches/);
  });

  describe('writes to executable configuration', () => {
    const writeRefused = async (path: string, reason: RegExp, hooksPath?: string): Promise<void> => {
      await assert.rejects(confineWritePath(ws.root, path, { hooksPath }), (e: unknown) => {
        assert.ok(e instanceof PathRefusedError, `expected PathRefusedError for ${path}`);
        assert.match(e.message, reason);
        assert.match(e.message, /may not write it/);
        return true;
      });
    };

    it('refuses .claude at any depth and in any case, .mcp.json, .husky and the configured hooks folder', async () => {
      await writeRefused('.claude/settings.json', /Claude Code's configuration/);
      await writeRefused('packages/web/.claude/commands/deploy.md', /Claude Code's configuration/);
      await writeRefused('.CLAUDE/settings.json', /Claude Code's configuration/);
      await writeRefused('.claude', /Claude Code's configuration/);
      await writeRefused('.mcp.json', /starts MCP servers/);
      await writeRefused('tools/.Mcp.Json', /starts MCP servers/);
      await writeRefused('.husky/pre-commit', /git hooks/);
      await writeRefused('.husky/_/husky.sh', /git hooks/);
      await writeRefused('config/git-hooks/pre-push', /core\.hooksPath config\/git-hooks/, 'config/git-hooks');
      await writeRefused('config/git-hooks/pre-push', /core\.hooksPath/, './config/git-hooks/');
      await writeRefused('config/git-hooks/pre-push', /core\.hooksPath/, join(ws.root, 'config/git-hooks'));
    });

    it('refuses them through a symbolic link to the folder or to a parent of it', async () => {
      mkdirSync(join(ws.root, '.claude/skills'), { recursive: true });
      symlinkSync('.claude', join(ws.root, 'settings-dir'));
      symlinkSync('.claude/skills', join(ws.root, 'skills'));
      symlinkSync('.', join(ws.root, 'here'));
      await writeRefused('settings-dir/settings.json', /through a symbolic link/);
      await writeRefused('skills/evil/SKILL.md', /\.claude\/skills\/evil\/SKILL\.md through a symbolic link/);
      await writeRefused('here/.mcp.json', /starts MCP servers/);
    });

    it('allows everything else, CLAUDE.md and look-alike names included', async () => {
      for (const path of ['CLAUDE.md', 'docs/CLAUDE.local.md', '.claude-plugin.md', 'src/mcp.json', 'docs/.mcp.json.md', 'husky.config.js', 'config/git-hooks-docs/a.md']) {
        assert.equal((await confineWritePath(ws.root, path, { hooksPath: 'config/git-hooks' })).relative, path);
      }
      // A hooks folder outside the worktree (a user's global one) protects nothing inside it.
      assert.equal((await confineWritePath(ws.root, 'hooks/pre-commit', { hooksPath: join(ws.outside, 'hooks') })).relative, 'hooks/pre-commit');
    });
  });
});
