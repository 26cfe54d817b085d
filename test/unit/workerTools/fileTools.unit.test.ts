import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { executeTool } from '../../../src/core/worker/tools/executeTool';
import { createToolWorkspace, type ToolWorkspace } from './toolWorkspace';

describe('worker file tools', () => {
  let ws: ToolWorkspace;
  beforeEach(() => {
    ws = createToolWorkspace();
    ws.write('src/app.ts', 'const a = 1;\nconst b = 2;\nconst a2 = 1;\n');
  });
  afterEach(() => ws.dispose());

  describe('read_file', () => {
    it('returns numbered lines and honours a line range', async () => {
      const all = await executeTool('read_file', { path: 'src/app.ts' }, ws.ctx());
      assert.equal(all.content, 'src/app.ts (lines 1-3 of 3)\n1\tconst a = 1;\n2\tconst b = 2;\n3\tconst a2 = 1;');
      const part = await executeTool('read_file', { path: 'src/app.ts', startLine: 2, endLine: 2 }, ws.ctx());
      assert.equal(part.content, 'src/app.ts (lines 2-2 of 3)\n2\tconst b = 2;');
      const past = await executeTool('read_file', { path: 'src/app.ts', startLine: 9 }, ws.ctx());
      assert.equal(past.isError, true);
      assert.match(past.content, /has 3 lines/);
    });

    it('stops at the read limit and says where to continue', async () => {
      ws.write('big.txt', Array.from({ length: 1000 }, (_, i) => `line number ${i + 1}`).join('\n'));
      const result = await executeTool('read_file', { path: 'big.txt' }, ws.ctx({ maxReadBytes: 500 }));
      assert.equal(result.isError, false);
      assert.ok(Buffer.byteLength(result.content) < 700);
      const next = /continue with startLine (\d+)/.exec(result.content);
      assert.ok(next, result.content);
      const again = await executeTool('read_file', { path: 'big.txt', startLine: Number(next[1]) }, ws.ctx({ maxReadBytes: 500 }));
      assert.match(again.content, new RegExp(`^big\\.txt \\(lines ${next[1]}-`));
    });

    it('answers a missing file, a folder and a binary file with tool errors', async () => {
      ws.write('logo.png', Buffer.from([137, 80, 78, 71, 0, 0, 0]));
      const cases: [string, RegExp][] = [['nope.ts', /does not exist/], ['src', /is a folder/], ['logo.png', /binary/]];
      for (const [path, message] of cases) {
        const result = await executeTool('read_file', { path }, ws.ctx());
        assert.equal(result.isError, true, path);
        assert.match(result.content, message);
        assert.doesNotMatch(result.content, new RegExp(ws.base), 'no absolute host paths in messages');
      }
    });
  });

  describe('edit_file', () => {
    it('replaces exactly one occurrence', async () => {
      const result = await executeTool('edit_file', { path: 'src/app.ts', oldText: 'const b = 2;', newText: 'const b = 3;' }, ws.ctx());
      assert.deepEqual(result, { content: 'Edited src/app.ts at line 2.', isError: false });
      assert.equal(readFileSync(join(ws.root, 'src/app.ts'), 'utf8'), 'const a = 1;\nconst b = 3;\nconst a2 = 1;\n');
    });

    it('fails clearly on zero and on several matches, changing nothing', async () => {
      const none = await executeTool('edit_file', { path: 'src/app.ts', oldText: 'const c', newText: 'x' }, ws.ctx());
      assert.equal(none.isError, true);
      assert.match(none.content, /not found.*exactly/s);
      const many = await executeTool('edit_file', { path: 'src/app.ts', oldText: ' = 1;', newText: ' = 9;' }, ws.ctx());
      assert.equal(many.isError, true);
      assert.match(many.content, /occurs 2 times.*lines 1, 3.*nothing was changed/s);
      assert.equal(readFileSync(join(ws.root, 'src/app.ts'), 'utf8'), 'const a = 1;\nconst b = 2;\nconst a2 = 1;\n');
    });

    it('refuses an edit that would make the file larger than the write limit', async () => {
      const result = await executeTool('edit_file', { path: 'src/app.ts', oldText: 'const b = 2;', newText: 'x'.repeat(2000) }, ws.ctx({ maxWriteBytes: 1000 }));
      assert.equal(result.isError, true);
      assert.match(result.content, /over the 1000-byte limit/);
    });
  });

  describe('write_file', () => {
    it('creates folders and files, replaces files and keeps their mode, leaving no temp files', async () => {
      const created = await executeTool('write_file', { path: 'src/deep/new.ts', content: 'export {};\n' }, ws.ctx());
      assert.deepEqual(created, { content: 'Created src/deep/new.ts (11 bytes).', isError: false });
      ws.write('run.sh', '#!/bin/sh\n');
      execFileSync('chmod', ['755', join(ws.root, 'run.sh')]);
      const replaced = await executeTool('write_file', { path: 'run.sh', content: '#!/bin/sh\necho hi\n' }, ws.ctx());
      assert.match(replaced.content, /^Replaced run\.sh/);
      assert.equal(statSync(join(ws.root, 'run.sh')).mode & 0o777, 0o755);
      assert.deepEqual(readdirSync(ws.root).sort(), ['run.sh', 'src']);
    });

    it('refuses a huge file with a message the model can act on', async () => {
      const result = await executeTool('write_file', { path: 'huge.txt', content: 'x'.repeat(5000) }, ws.ctx({ maxWriteBytes: 4096 }));
      assert.equal(result.isError, true);
      assert.match(result.content, /5000 bytes, over the 4096-byte limit.*edit_file/s);
      assert.deepEqual(readdirSync(ws.root), ['src']);
    });

    it('refuses to overwrite a folder', async () => {
      const result = await executeTool('write_file', { path: 'src', content: 'x' }, ws.ctx());
      assert.equal(result.isError, true);
      assert.match(result.content, /is a folder/);
    });
  });

  describe('list_dir', () => {
    it('lists folders with a slash and hides .git', async () => {
      ws.write('.git/HEAD', 'ref: refs/heads/main\n');
      ws.write('README.md', '#\n');
      const result = await executeTool('list_dir', {}, ws.ctx());
      assert.equal(result.content, '.:\nREADME.md\nsrc/');
      const missing = await executeTool('list_dir', { path: 'lib' }, ws.ctx());
      assert.equal(missing.isError, true);
    });
  });

  describe('search_text', () => {
    it('finds matches as path:line: text, honouring .gitignore in a git worktree', async () => {
      execFileSync('git', ['init', '--quiet'], { cwd: ws.root });
      ws.write('.gitignore', 'dist/\n');
      ws.write('dist/bundle.js', 'const b = 2;\n');
      ws.write('notes/todo.md', 'CONST B = 2\n');
      const result = await executeTool('search_text', { pattern: 'const b\\s*=' }, ws.ctx());
      assert.equal(result.content, 'src/app.ts:2: const b = 2;');
      const folded = await executeTool('search_text', { pattern: 'const b', ignoreCase: true, path: 'notes' }, ws.ctx());
      assert.equal(folded.content, 'notes/todo.md:1: CONST B = 2');
    });

    it('caps matches and reports an invalid regex as a tool error', async () => {
      ws.write('many.txt', Array.from({ length: 50 }, () => 'hit').join('\n'));
      const capped = await executeTool('search_text', { pattern: 'hit', maxResults: 5 }, ws.ctx());
      assert.equal(capped.content.split('\n').filter((l) => l.startsWith('many.txt:')).length, 5);
      assert.match(capped.content, /stopped after 5 matches/);
      const invalid = await executeTool('search_text', { pattern: '(unclosed' }, ws.ctx());
      assert.equal(invalid.isError, true);
      assert.match(invalid.content, /not a valid JavaScript regular expression/);
    });
  });
});
