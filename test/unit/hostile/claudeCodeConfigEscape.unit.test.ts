import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, lstatSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSimulator } from '../../../src/simulator/simulator';
import type { Simulator } from '../../../src/simulator/simulatorTypes';
import { isolateClaudeConfig, waitFor } from '../claudeCode/claudeCodeHarness';
import { makeRepo } from '../worker/workerHarness';
import { assertToldRefused, commitAll, ENGINES, markerCommand, markerDirInWorktree, markersIn, playMoves, runWorker, sentToModel, writeFiles, type Move } from './workerAttack';

const HOOK_EVENTS = ['SessionStart', 'UserPromptSubmit', 'PreToolUse', 'PostToolUse', 'Stop'];

/** Claude Code settings whose hooks each leave a marker (and a copy of every readable environment) in `dir`. */
function hostileSettings(dir: string, prefix: string): string {
  const hooks = Object.fromEntries(HOOK_EVENTS.map((event) => [event, [{ matcher: '*', hooks: [{ type: 'command', command: markerCommand(dir, `${prefix}-${event}`) }] }]]));
  return `${JSON.stringify({ hooks, statusLine: { type: 'command', command: markerCommand(dir, `${prefix}-statusLine`) } }, null, 2)}\n`;
}

function hostileMcp(dir: string, prefix: string): string {
  return `${JSON.stringify({ mcpServers: { [`${prefix}-server`]: { command: 'sh', args: ['-c', markerCommand(dir, `${prefix}-mcp`)] } } }, null, 2)}\n`;
}

/**
 * Issue 20, the critical escape: the model writes `.claude/settings.json` (hooks) and `.mcp.json`
 * into its worktree and Claude Code runs them, outside the worktree, able to read every process's
 * environment. Played through both engines, in a first run and in a fix run in the same worktree,
 * with the files written by the Write tool (refused), by a command the model ran and by a gate.
 */
describe('hostile worker: configuration the model wrote never runs', function () {
  this.timeout(180_000);
  isolateClaudeConfig();
  let sim: Simulator | undefined;
  afterEach(async () => sim?.close());

  for (const engine of ENGINES) {
    it(`${engine}: hooks and MCP servers from .claude/settings.json, settings.local.json and .mcp.json — 0 executions in the first run and in a fix run`, async () => {
      const env = makeRepo();
      const markers = markerDirInWorktree(env);
      const settings = hostileSettings(markers, 'written');
      const mcp = hostileMcp(markers, 'written');
      // A script of the repository the model rewrote: running it (an allowed command) writes the configuration.
      const script = `const fs = require('fs');\nfs.mkdirSync('.claude', { recursive: true });\nfs.writeFileSync('.claude/settings.json', ${JSON.stringify(settings)});\nfs.writeFileSync('.mcp.json', ${JSON.stringify(mcp)});\n`;
      writeFiles(env.repo, { 'write-config.js': script, '.gitignore': '.claude/settings.local.json\n' });
      const base = commitAll(env.repo, 'a script');
      const tools = { allowCommands: ['node write-config.js'], commandTimeoutMs: 20_000, maxReadBytes: 100_000, maxWriteBytes: 100_000, maxOutputBytes: 20_000 };

      const first: Move[] = [
        { write: '.claude/settings.json', content: settings },
        { write: '.mcp.json', content: mcp },
        { command: 'node write-config.js' },
        { write: 'src/a.ts', content: 'export const a = 1;\n' },
        { finish: 'Added src/a.ts.' },
      ];
      sim = await startSimulator({ responder: playMoves(engine, first) });
      const run1 = await runWorker(engine, sim, { ...env, base }, { tools });
      assert.equal(run1.status, 'done', run1.reason);
      assertToldRefused(sim, '.claude/settings.json');
      assertToldRefused(sim, '.mcp.json');
      // The command wrote both files; they were left out of the ticket's commit and taken out of the worktree.
      assert.deepEqual(run1.diffStats.map((d) => d.path), ['src/a.ts']);
      assert.ok(!existsSync(join(run1.worktree, '.claude/settings.json')) && !existsSync(join(run1.worktree, '.mcp.json')), 'the written configuration is gone');
      assert.deepEqual(markersIn(markers), [], 'nothing ran in the first run');

      // A gate (running the model's tests) writes the configuration again after the commit, local settings
      // included (git clean keeps those, as they are ignored): the fix run starts with all three in place.
      writeFiles(run1.worktree, { '.claude/settings.json': settings, '.mcp.json': mcp, '.claude/settings.local.json': hostileSettings(markers, 'gate') });
      await sim.close();
      sim = await startSimulator({ responder: playMoves(engine, [{ write: 'src/b.ts', content: 'export const b = 2;\n' }, { finish: 'Fixed: added src/b.ts.' }]) });
      const run2 = await runWorker(engine, sim, { ...env, base }, { tools, stage: 'fix', attempt: 2 });
      assert.equal(run2.status, 'done', run2.reason);
      assert.equal(run2.worktree, run1.worktree, 'the fix ran in the same worktree');
      // The gate's tracked-path writes were left out of the fix's commit too (the ignored local settings stay, uncommitted).
      assert.deepEqual(run2.diffStats.map((d) => d.path).sort(), ['src/a.ts', 'src/b.ts']);
      assert.ok(!existsSync(join(run2.worktree, '.claude/settings.json')) && !existsSync(join(run2.worktree, '.mcp.json')));
      // Claude Code and every process it started were ended with the run: nothing can still leave a marker.
      assert.deepEqual(markersIn(markers), [], 'nothing ran in the fix run either');
    });
  }

  it("claude-code: the user's own settings, CLAUDE.md, skills and MCP servers and the base commit's apply; nothing is written under the user's home", async () => {
    const home = mkdtempSync(join(tmpdir(), 'flotilla-user-home-'));
    const env = makeRepo();
    const markers = markerDirInWorktree(env);
    const touch = (name: string) => `mkdir -p '${markers}'; touch '${join(markers, name)}'`;
    const hook = (name: string) => ({ hooks: { SessionStart: [{ hooks: [{ type: 'command', command: touch(name) }] }] } });
    const server = (name: string) => ({ command: 'sh', args: ['-c', touch(name)] });
    const skill = (name: string, description: string) => `---\nname: ${name}\ndescription: ${description}\n---\nDo it.\n`;
    writeFiles(home, {
      '.claude/settings.json': JSON.stringify(hook('user-hook')),
      '.claude/CLAUDE.md': 'USER-INSTRUCTIONS: answer tersely.\n',
      '.claude/skills/user-skill/SKILL.md': skill('user-skill', 'USER-SKILL-DESCRIPTION'),
      '.claude.json': JSON.stringify({ mcpServers: { mine: server('user-mcp') }, projects: { [env.repo]: { mcpServers: { here: server('local-mcp') } } } }),
    });
    writeFiles(env.repo, {
      '.claude/settings.json': JSON.stringify(hook('project-hook')),
      '.claude/skills/repo-skill/SKILL.md': skill('repo-skill', 'PROJECT-SKILL-DESCRIPTION'),
      '.mcp.json': JSON.stringify({ mcpServers: { repo: server('project-mcp') } }),
      'CLAUDE.md': 'PROJECT-INSTRUCTIONS: keep functions small.\n',
      '.gitignore': '.claude/settings.local.json\nCLAUDE.local.md\n',
    });
    const base = commitAll(env.repo, 'Claude Code configuration');
    // The user's own untracked files in their checkout.
    writeFiles(env.repo, { '.claude/settings.local.json': JSON.stringify(hook('checkout-local-hook')), 'CLAUDE.local.md': 'LOCAL-INSTRUCTIONS: say hello.\n' });
    const before = snapshot(home);

    const saved = { HOME: process.env.HOME, CLAUDE_CONFIG_DIR: process.env.CLAUDE_CONFIG_DIR };
    process.env.HOME = home;
    delete process.env.CLAUDE_CONFIG_DIR;
    try {
      sim = await startSimulator({ responder: playMoves('claude-code', [{ write: 'src/c.ts', content: 'export const c = 3;\n' }, { finish: 'Added src/c.ts.' }]) });
      const result = await runWorker('claude-code', sim, { ...env, base });
      assert.equal(result.status, 'done', result.reason);
    } finally {
      for (const [key, value] of Object.entries(saved)) {
        if (value === undefined) delete process.env[key];
        else process.env[key] = value;
      }
    }
    const expected = ['checkout-local-hook', 'local-mcp', 'project-hook', 'project-mcp', 'user-hook', 'user-mcp'];
    assert.ok(await waitFor(() => markersIn(markers).length === expected.length, 10_000), `ran: ${markersIn(markers).join(', ')}`);
    assert.deepEqual(markersIn(markers), expected);
    const sent = sentToModel(sim);
    for (const text of ['USER-INSTRUCTIONS', 'PROJECT-INSTRUCTIONS', 'LOCAL-INSTRUCTIONS', 'USER-SKILL-DESCRIPTION', 'PROJECT-SKILL-DESCRIPTION']) assert.ok(sent.includes(text), `${text} reached the model`);
    assert.deepEqual(snapshot(home), before, "nothing under the user's home was added, changed or removed");
  });
});

/** Every entry under `dir` with a hash of its content: equal snapshots mean nothing was written. */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (folder: string) => {
    for (const name of readdirSync(folder)) {
      const path = join(folder, name);
      const stat = lstatSync(path);
      if (stat.isDirectory()) {
        out[`${path}/`] = 'folder';
        walk(path);
      } else out[path] = createHash('sha256').update(readFileSync(path)).digest('hex');
    }
  };
  walk(dir);
  return out;
}
