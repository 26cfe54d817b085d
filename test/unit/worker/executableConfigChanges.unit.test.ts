import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { GitClient } from '../../../src/core/git/gitClient';
import { dropExecutableConfigChanges } from '../../../src/core/worker/executableConfigChanges';
import { commitAll, writeFiles } from '../hostile/workerAttack';
import { gitIn, makeRepo } from './workerHarness';

/**
 * Issue 20 item 1: a command or gate running the model's code can write executable configuration the
 * write tools refuse; it must not reach the ticket's commit (and from there the user's repository).
 */
describe('dropExecutableConfigChanges', () => {
  it('restores tracked configuration, removes new configuration, and leaves every other change', async () => {
    const { repo } = makeRepo();
    writeFiles(repo, { '.claude/settings.json': '{}\n', 'tools/hooks/keep.sh': 'true\n', 'src/a.ts': 'a\n' });
    gitIn(repo, 'config', 'core.hooksPath', 'tools/hooks');
    commitAll(repo, 'base');
    writeFiles(repo, {
      '.claude/settings.json': '{"hooks":{}}\n',
      '.claude/skills/x/SKILL.md': 'x\n',
      '.mcp.json': '{}\n',
      'pkg/.MCP.json': '{}\n',
      '.husky/pre-commit': 'evil\n',
      'tools/hooks/post-commit': 'evil\n',
      'src/a.ts': 'changed\n',
      'src/[b].ts': 'new\n',
    });

    const dropped = await dropExecutableConfigChanges(new GitClient(), repo, { hooksPath: 'tools/hooks' });

    assert.deepEqual(dropped.map((d) => d.path).sort(), ['.claude/settings.json', '.claude/skills/x/SKILL.md', '.husky/pre-commit', '.mcp.json', 'pkg/.MCP.json', 'tools/hooks/post-commit']);
    assert.ok(dropped.every((d) => d.reason.length > 0));
    assert.equal(readFileSync(join(repo, '.claude/settings.json'), 'utf8'), '{}\n');
    for (const gone of ['.claude/skills/x/SKILL.md', '.mcp.json', 'pkg/.MCP.json', '.husky/pre-commit', 'tools/hooks/post-commit']) assert.equal(existsSync(join(repo, gone)), false, gone);
    assert.equal(readFileSync(join(repo, 'src/a.ts'), 'utf8'), 'changed\n');
    const left = gitIn(repo, 'status', '--porcelain', '--untracked-files=all').split('\n').map((line) => line.trim());
    assert.deepEqual(left.sort(), ['?? src/[b].ts', 'M src/a.ts']);
  });

  it('takes back a deleted configuration file and changes nothing when there is none', async () => {
    const { repo } = makeRepo();
    writeFiles(repo, { '.mcp.json': '{"mcpServers":{}}\n' });
    commitAll(repo, 'base');
    gitIn(repo, 'rm', '-q', '.mcp.json');
    const dropped = await dropExecutableConfigChanges(new GitClient(), repo, {});
    assert.deepEqual(dropped.map((d) => d.path), ['.mcp.json']);
    assert.equal(readFileSync(join(repo, '.mcp.json'), 'utf8'), '{"mcpServers":{}}\n');
    assert.deepEqual(await dropExecutableConfigChanges(new GitClient(), repo, {}), []);
  });
});
