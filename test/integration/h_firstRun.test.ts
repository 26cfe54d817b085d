import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { DEMO_WORKSPACE_SETTINGS } from '../../src/simulator/demo/demoProject';
import { activateFlotilla, eventually, screenshot, workspaceRoot } from './flotillaApi';

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

  it('the window that opens the demo lands in the Flotilla view with the walkthrough, once; any other folder does not', async function () {
    this.timeout(60_000);
    const api = await activateFlotilla();
    assert.ok(api.demo, 'test mode has the landing hooks');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.commands.executeCommand('workbench.view.explorer');
    assert.equal(await vscode.commands.executeCommand<string>('flotilla.tryDemo', { parent, open: false }), join(parent, 'flotilla-demo-3'));
    assert.equal(await api.demo.land(), false, 'this window did not open the demo\'s folder');
    assert.equal(api.ticketsView.visible, false);

    // As the demo's new window starts: its folder is the one Try the Demo remembered.
    await api.demo.expectLanding(workspaceRoot().fsPath);
    assert.equal(await api.demo.land(), true);
    await eventually(() => api.ticketsView.visible, 'the Flotilla view to be shown');
    const walkthrough = await eventually(() => vscode.window.tabGroups.all.flatMap((g) => g.tabs).find((t) => /Welcome|Walkthrough|Get Started/.test(t.label)), 'the walkthrough\'s tab');
    assert.ok(walkthrough.isActive, `the walkthrough is in front (tab "${walkthrough.label}")`);
    await screenshot('demo-landing');
    assert.equal(await api.demo.land(), false, 'only once');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });
});
