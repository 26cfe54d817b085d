import assert from 'node:assert/strict';
import { existsSync, readFileSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { startSimulator } from '../../../src/simulator/simulator';
import type { Simulator } from '../../../src/simulator/simulatorTypes';
import { isolateClaudeConfig } from '../claudeCode/claudeCodeHarness';
import { gitIn, makeRepo } from '../worker/workerHarness';
import { assertToldRefused, commitAll, ENGINES, playMoves, runWorker, sentToModel, writeFiles, type Move } from './workerAttack';

/**
 * Issue 20: a worker may not write configuration that makes tools run programs — Claude Code's
 * `.claude/` and `.mcp.json`, git hooks folders — by any name, a symbolic link included. Its change is
 * merged into the user's repository, where the next `claude` or `git commit` would run it.
 */
describe('hostile worker: writes to executable configuration are refused, with the reason sent to the model', function () {
  this.timeout(120_000);
  isolateClaudeConfig();
  let sim: Simulator | undefined;
  afterEach(async () => sim?.close());

  const PROTECTED = [
    '.claude/settings.json',
    '.claude/settings.local.json',
    '.mcp.json',
    'packages/app/.claude/skills/evil/SKILL.md',
    'packages/app/.MCP.json',
    '.Claude/hooks/run.sh',
    '.husky/pre-commit',
    'tools/hooks/post-commit',
    // Through symbolic links committed in the repository: to .claude itself, and to a folder inside it.
    'cfg/settings.json',
    'cfg/hooks/new.sh',
    'skills-link/evil/SKILL.md',
  ];

  for (const engine of ENGINES) {
    it(`${engine}: ${PROTECTED.length} writes refused (.claude, .mcp.json, .husky, core.hooksPath, through links), ordinary files and CLAUDE.md still written`, async () => {
      const env = makeRepo();
      writeFiles(env.repo, { '.claude/skills/tidy/SKILL.md': '---\nname: tidy\ndescription: Tidy up\n---\nTidy.\n', 'CLAUDE.md': '# Notes\n' });
      symlinkSync('.claude', join(env.repo, 'cfg'));
      symlinkSync('.claude/skills', join(env.repo, 'skills-link'));
      gitIn(env.repo, 'config', 'core.hooksPath', 'tools/hooks');
      const base = commitAll(env.repo, 'configuration and links');
      const moves: Move[] = [
        ...PROTECTED.map((path) => ({ write: path, content: `planted by the model into ${path}\n` })),
        { write: 'src/ok.ts', content: 'export const ok = true;\n' },
        { write: 'CLAUDE.md', content: '# Notes\n\nRun npm test before finishing.\n' },
        { finish: 'Wrote src/ok.ts and CLAUDE.md; the configuration writes were refused.' },
      ];
      sim = await startSimulator({ responder: playMoves(engine, moves) });
      const result = await runWorker(engine, sim, { ...env, base });

      assert.equal(result.status, 'done', result.reason);
      assert.deepEqual(result.diffStats.map((s) => s.path).sort(), ['CLAUDE.md', 'src/ok.ts']);
      for (const path of PROTECTED) assert.equal(existsSync(join(result.worktree, path)) && readFileSync(join(result.worktree, path), 'utf8').includes('planted'), false, `${path} was not written`);
      const sent = sentToModel(sim);
      for (const path of PROTECTED) assertToldRefused(sim, path);
      assert.match(sent, /Claude Code's configuration \(\.claude\/: settings, hooks, skills, agents, commands\) decides what runs/);
      assert.match(sent, /core\.hooksPath tools\/hooks/);
      assert.match(sent, /through a symbolic link/);
    });
  }
});
