import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { DEMO_WORKSPACE_SETTINGS } from '../../src/simulator/demo/demoProject';
import { activateFlotilla } from './flotillaApi';

describe('first run: the demo', () => {
  let parent: string;
  before(() => {
    parent = mkdtempSync(join(tmpdir(), 'flotilla-it-demo-'));
  });
  after(() => rmSync(parent, { recursive: true, force: true }));

  it('"Try the Demo" creates the sample project in a new folder, set to the simulated model, committed', async () => {
    await activateFlotilla();
    const folder = await vscode.commands.executeCommand<string>('flotilla.tryDemo', { parent, open: false });
    assert.equal(folder, join(parent, 'flotilla-demo'));
    assert.deepEqual(readdirSync(join(folder, '.flotilla/tickets')).sort(), ['D1.md', 'D2.md', 'D3.md', 'D4.md', 'D5.md', 'D6.md']);
    assert.deepEqual(JSON.parse(readFileSync(join(folder, '.vscode/settings.json'), 'utf8')), DEMO_WORKSPACE_SETTINGS);
    assert.equal(execFileSync('git', ['status', '--porcelain'], { cwd: folder, encoding: 'utf8' }), '', 'everything is committed, so tickets branch from a clean tree');
    const second = await vscode.commands.executeCommand<string>('flotilla.tryDemo', { parent, open: false });
    assert.equal(second, join(parent, 'flotilla-demo-2'), 'an existing folder is never written into');
  });
});
