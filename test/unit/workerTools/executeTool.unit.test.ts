import assert from 'node:assert/strict';
import { executeTool } from '../../../src/core/worker/tools/executeTool';
import { workerToolDefinitions } from '../../../src/core/worker/tools/toolDefinitions';
import { TOOL_NAMES } from '../../../src/core/worker/tools/toolSchemas';
import { createToolWorkspace, type ToolWorkspace } from './toolWorkspace';

describe('executeTool and the tool definitions', () => {
  let ws: ToolWorkspace;
  beforeEach(() => (ws = createToolWorkspace()));
  afterEach(() => ws.dispose());

  it('defines every tool in the Messages API format with a JSON Schema derived from zod', () => {
    assert.deepEqual(workerToolDefinitions.map((t) => t.name), ['read_file', 'list_dir', 'search_text', 'edit_file', 'write_file', 'run_command', 'finish']);
    const read = workerToolDefinitions.find((t) => t.name === 'read_file');
    assert.ok(read?.description);
    assert.equal(read.input_schema.type, 'object');
    assert.deepEqual(read.input_schema.required, ['path']);
    assert.equal(read.input_schema['additionalProperties'], false);
    assert.equal('$schema' in read.input_schema, false);
    assert.deepEqual(Object.keys(read.input_schema.properties as object), ['path', 'startLine', 'endLine']);
    const run = workerToolDefinitions.find((t) => t.name === 'run_command');
    assert.deepEqual(run?.input_schema.required, ['command']);
  });

  it('refuses an unknown tool, listing the known ones', async () => {
    const result = await executeTool('delete_everything', {}, ws.ctx());
    assert.equal(result.isError, true);
    assert.equal(result.content, `Unknown tool "delete_everything". Available tools: ${TOOL_NAMES.join(', ')}.`);
    assert.equal((await executeTool('toString', {}, ws.ctx())).isError, true);
  });

  it('explains invalid input: which field, what is wrong, which fields are valid', async () => {
    const wrongType = await executeTool('read_file', { path: 42 }, ws.ctx());
    assert.equal(wrongType.isError, true);
    assert.match(wrongType.content, /^Invalid input for read_file: field "path": .*string/);
    assert.match(wrongType.content, /Valid fields: path, startLine\?, endLine\? \(\? = optional\)/);
    const extra = await executeTool('write_file', { path: 'a.txt', content: 'x', mode: '777' }, ws.ctx());
    assert.match(extra.content, /mode/);
    const notObject = await executeTool('finish', 'done', ws.ctx());
    assert.match(notObject.content, /^Invalid input for finish: input: /);
    const badLine = await executeTool('read_file', { path: 'a', startLine: 0 }, ws.ctx());
    assert.match(badLine.content, /field "startLine"/);
  });

  it('returns a finished marker from finish', async () => {
    const result = await executeTool('finish', { summary: 'Renamed the helper; tests pass.' }, ws.ctx());
    assert.deepEqual(result, { content: 'Finished.', isError: false, finished: { summary: 'Renamed the helper; tests pass.' } });
  });
});
