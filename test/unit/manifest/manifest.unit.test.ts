import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { settingsShape } from '../../../src/core/settings/settingsSchema';
import { COMMAND_CATEGORY, COMMAND_TABLE } from '../../../src/vscode/commandTable';

const manifest = z
  .object({
    capabilities: z.object({ untrustedWorkspaces: z.object({ restrictedConfigurations: z.array(z.string()) }) }),
    engines: z.object({ vscode: z.string() }),
    activationEvents: z.array(z.string()).optional(),
    devDependencies: z.record(z.string(), z.string()),
    contributes: z.object({
      commands: z.array(z.object({ command: z.string(), title: z.string(), category: z.string(), icon: z.string().optional() })),
      menus: z.object({ commandPalette: z.array(z.object({ command: z.string(), when: z.string() })) }).passthrough(),
      configuration: z.object({ properties: z.record(z.string(), z.object({ default: z.unknown() }).passthrough()) }),
      viewsWelcome: z.array(z.object({ view: z.string(), contents: z.string() })),
      walkthroughs: z.array(
        z.object({
          id: z.string(),
          title: z.string(),
          steps: z.array(z.object({ id: z.string(), title: z.string(), description: z.string(), media: z.object({ markdown: z.string() }), completionEvents: z.array(z.string()) })),
        }),
      ),
    }),
  })
  .parse(JSON.parse(readFileSync(join(__dirname, '../../../package.json'), 'utf8')));

describe('package.json manifest', () => {
  it('contributes exactly the commands of the command table, each with the category', () => {
    const expected = Object.values(COMMAND_TABLE).map((c) => ({ command: c.id, title: c.title, category: COMMAND_CATEGORY, ...('icon' in c ? { icon: c.icon } : {}) }));
    assert.deepEqual(manifest.contributes.commands, expected);
  });

  it('hides item-only commands from the palette, and shows the others there only when they can apply', () => {
    const hidden = manifest.contributes.menus.commandPalette.filter((m) => m.when === 'false').map((m) => m.command);
    const itemOnly = Object.values(COMMAND_TABLE).filter((c) => !c.palette).map((c) => c.id);
    assert.deepEqual(hidden.sort(), [...itemOnly].sort());
    const conditional = Object.values(COMMAND_TABLE).flatMap((c) => ('paletteWhen' in c ? [[c.id, c.paletteWhen]] : []));
    const declared = manifest.contributes.menus.commandPalette.filter((m) => m.when !== 'false').map((m) => [m.command, m.when]);
    assert.deepEqual(declared.sort(), conditional.sort());
    assert.ok(conditional.length > 0);
  });

  it('declares every setting of the settings schema with the same default', () => {
    const declared = manifest.contributes.configuration.properties;
    assert.deepEqual(Object.keys(declared).sort(), Object.keys(settingsShape).map((k) => `flotilla.${k}`).sort());
    for (const [key, schema] of Object.entries(settingsShape)) {
      assert.deepEqual(declared[`flotilla.${key}`]?.default, schema.parse(undefined), key);
    }
  });

  it('lets a workspace choose the provider ("simulated" in a demo folder), and ignores it in an untrusted one', () => {
    const provider = manifest.contributes.configuration.properties['flotilla.provider'];
    assert.ok(provider?.scope !== undefined && !['application', 'machine'].includes(String(provider.scope)), `scope ${String(provider?.scope)} can be set in a workspace`);
    assert.ok(manifest.capabilities.untrustedWorkspaces.restrictedConfigurations.includes('flotilla.provider'));
  });

  it('welcomes a new user in plain text with a way to the demo, and its walkthrough links only to real commands and packaged pages', () => {
    const ids = new Set<string>(Object.values(COMMAND_TABLE).map((c) => c.id));
    const links = (text: string) => [...text.matchAll(/\(command:([\w.]+)/g)].map((m) => m[1] as string).filter((id) => id.startsWith('flotilla.') && id !== 'flotilla.tickets.focus');
    for (const welcome of manifest.contributes.viewsWelcome) {
      assert.doesNotMatch(welcome.contents, /`/, 'a view welcome shows backticks literally');
      for (const id of links(welcome.contents)) assert.ok(ids.has(id), id);
    }
    assert.ok(manifest.contributes.viewsWelcome.some((w) => w.contents.includes('[Try the Demo (simulated, free)](command:flotilla.tryDemo)')));
    const [walkthrough] = manifest.contributes.walkthroughs;
    assert.ok(walkthrough);
    assert.deepEqual(walkthrough.steps.map((s) => s.id), ['chooseModel', 'createTicket', 'runBatch', 'review']);
    const allowlist = readFileSync(join(__dirname, '../../../.vscodeignore'), 'utf8');
    for (const step of walkthrough.steps) {
      for (const id of links(step.description)) assert.ok(ids.has(id), `${step.id}: ${id}`);
      for (const event of step.completionEvents) assert.ok(ids.has(event.replace(/^onCommand:/, '')), event);
      assert.ok(existsSync(join(__dirname, '../../../', step.media.markdown)), step.media.markdown);
      assert.match(allowlist, /^!media\/walkthrough\/\*\.md$/m, 'the walkthrough pages are packaged');
    }
  });

  it('is lazy: no "*" activation, and @types/vscode matches engines.vscode', () => {
    assert.ok(!(manifest.activationEvents ?? []).includes('*'));
    assert.equal(manifest.engines.vscode, `^${manifest.devDependencies['@types/vscode']}`);
  });
});
