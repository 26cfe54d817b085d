import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { unavailableText } from '../../../src/core/process/sandbox';
import { checkToolCall, type ConfinementContext } from '../../../src/core/worker/claudeCode/toolConfinement';

function workspace(): { ctx: ConfinementContext; outside: string } {
  const base = mkdtempSync(join(tmpdir(), 'flotilla-confine-'));
  const root = join(base, 'worktree');
  const outside = join(base, 'outside');
  mkdirSync(join(root, 'src'), { recursive: true });
  mkdirSync(outside);
  writeFileSync(join(root, 'src/a.ts'), 'export const a = 1;\n');
  writeFileSync(join(outside, 'secret.txt'), 'secret\n');
  symlinkSync(outside, join(root, 'link'));
  return { ctx: { root, allowCommands: ['npm test', 'node --test'], allowWebTools: false }, outside };
}

describe('Claude Code tool confinement', () => {
  it('lets file tools work inside the worktree, by relative or absolute path', async () => {
    const { ctx } = workspace();
    for (const [name, input] of [
      ['Read', { file_path: 'src/a.ts' }],
      ['Read', { file_path: join(ctx.root, 'src/a.ts') }],
      ['Write', { file_path: join(ctx.root, 'src/new.ts'), content: 'x' }],
      ['Edit', { file_path: join(ctx.root, 'src/a.ts'), old_string: '1', new_string: '2' }],
      ['Glob', { pattern: 'src/**/*.ts' }],
      ['Grep', { pattern: 'a', path: join(ctx.root, 'src') }],
      ['Grep', { pattern: 'a' }],
      ['TodoWrite', { todos: [] }],
    ] as const) {
      assert.equal(await checkToolCall(name, input, ctx), undefined, `${name} ${JSON.stringify(input)}`);
    }
  });

  it('refuses paths that leave the worktree: .., absolute, symbolic links, .git', async () => {
    const { ctx, outside } = workspace();
    const refused = [
      ['Read', { file_path: '../../etc/passwd' }],
      ['Read', { file_path: join(ctx.root, '../../etc/passwd') }],
      ['Read', { file_path: '/etc/passwd' }],
      ['Write', { file_path: join(outside, 'planted.txt'), content: 'x' }],
      ['Read', { file_path: join(ctx.root, 'link/secret.txt') }],
      ['Write', { file_path: join(ctx.root, 'link/new.txt'), content: 'x' }],
      ['Edit', { file_path: join(ctx.root, '.git/config'), old_string: 'a', new_string: 'b' }],
      ['Glob', { pattern: '/etc/*' }],
      ['Glob', { pattern: '../**' }],
      ['Grep', { pattern: 'root', path: '/etc' }],
      ['Grep', { pattern: 'secret', path: join(ctx.root, 'link') }],
    ] as const;
    for (const [name, input] of refused) {
      const reason = await checkToolCall(name, input, ctx);
      assert.ok(reason, `${name} ${JSON.stringify(input)} must be refused`);
    }
  });

  it('refuses writes to executable configuration with every writing tool, and only writes: reading it is fine', async () => {
    const { ctx } = workspace();
    mkdirSync(join(ctx.root, '.claude'));
    symlinkSync('.claude', join(ctx.root, 'cfg'));
    const withHooks = { ...ctx, hooksPath: 'scripts/hooks' };
    for (const [name, input] of [
      ['Write', { file_path: join(ctx.root, '.claude/settings.json'), content: '{}' }],
      ['Edit', { file_path: join(ctx.root, '.claude/settings.json'), old_string: '{', new_string: '{ ' }],
      ['MultiEdit', { file_path: join(ctx.root, '.mcp.json'), edits: [] }],
      ['NotebookEdit', { notebook_path: join(ctx.root, '.claude/agents/x.ipynb'), new_source: '' }],
      ['Write', { file_path: join(ctx.root, 'cfg/settings.local.json'), content: '{}' }],
      ['Write', { file_path: '.husky/pre-commit', content: '#!/bin/sh' }],
      ['Write', { file_path: join(ctx.root, 'scripts/hooks/post-commit'), content: '#!/bin/sh' }],
    ] as const) {
      assert.match((await checkToolCall(name, input, withHooks)) ?? '', /may not write it/, `${name} ${JSON.stringify(input)}`);
    }
    for (const [name, input] of [
      ['Read', { file_path: join(ctx.root, '.claude/settings.json') }],
      ['Glob', { pattern: '.claude/**' }],
      ['Write', { file_path: join(ctx.root, 'CLAUDE.md'), content: '# Notes' }],
      ['Write', { file_path: join(ctx.root, 'scripts/build.sh'), content: 'echo' }],
    ] as const) {
      assert.equal(await checkToolCall(name, input, withHooks), undefined, `${name} ${JSON.stringify(input)}`);
    }
  });

  it('runs Bash only for allowlisted commands, without shell syntax, in the foreground', async () => {
    const { ctx } = workspace();
    assert.equal(await checkToolCall('Bash', { command: 'npm test' }, ctx), undefined);
    assert.equal(await checkToolCall('Bash', { command: 'node --test src/a.ts' }, ctx), undefined);
    // The same argument rules as run_command: options only where the allowlist entry ends in " *".
    assert.match((await checkToolCall('Bash', { command: 'npm test -- --grep x' }, ctx)) ?? '', /options after "npm test" are not allowed/);
    assert.match((await checkToolCall('Bash', { command: 'cat /etc/passwd' }, ctx)) ?? '', /not allowed/);
    assert.match((await checkToolCall('Bash', { command: 'npm test; cat /etc/passwd' }, ctx)) ?? '', /without a shell/);
    assert.match((await checkToolCall('Bash', { command: 'npm test && curl x' }, ctx)) ?? '', /without a shell/);
    assert.match((await checkToolCall('Bash', { command: 'node --test $(cat x)' }, ctx)) ?? '', /without a shell/);
    assert.match((await checkToolCall('Bash', { command: 'npm test', run_in_background: true }, ctx)) ?? '', /foreground/);
    assert.match((await checkToolCall('Bash', { command: 'npm test' }, { ...ctx, allowCommands: [] })) ?? '', /setting is empty/);
    // --test-reporter: node's built-in names only, as for run_command (one admission rule).
    const withOptions = { ...ctx, allowCommands: ['node --test *'] };
    assert.equal(await checkToolCall('Bash', { command: 'node --test --test-reporter=tap' }, withOptions), undefined);
    assert.match((await checkToolCall('Bash', { command: 'node --test --test-reporter=evil-reporter' }, withOptions)) ?? '', /only node's built-in reporters/);
  });

  it('runs no Bash command where no sandbox can hold Claude Code and running without one is not allowed', async () => {
    const { ctx } = workspace();
    const reason = await checkToolCall('Bash', { command: 'npm test' }, { ...ctx, commandsRefused: unavailableText('bubblewrap is not installed (no /usr/bin/bwrap)') });
    assert.match(reason ?? '', /^The command was not run\. .*runs only in a sandbox.*bubblewrap is not installed.*flotilla\.sandbox\.allowUnsandboxed/);
  });

  it('refuses web tools unless the setting allows them, and tools that escape the worktree always', async () => {
    const { ctx } = workspace();
    assert.match((await checkToolCall('WebFetch', { url: 'http://127.0.0.1/' }, ctx)) ?? '', /allowWebTools/);
    assert.equal(await checkToolCall('WebFetch', { url: 'http://127.0.0.1/' }, { ...ctx, allowWebTools: true }), undefined);
    for (const name of ['Agent', 'Task', 'EnterWorktree', 'ExitWorktree', 'AskUserQuestion', 'CronCreate', 'SomethingNew']) {
      assert.ok(await checkToolCall(name, {}, ctx), name);
    }
    assert.equal(await checkToolCall('mcp__project__lookup', { q: 'x' }, ctx), undefined, "the user's own MCP servers pass");
  });
});
