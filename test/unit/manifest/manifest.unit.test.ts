import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
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
    }),
  })
  .parse(JSON.parse(readFileSync(join(__dirname, '../../../package.json'), 'utf8')));

describe('package.json manifest', () => {
  it('contributes exactly the commands of the command table, each with the category', () => {
    const expected = Object.values(COMMAND_TABLE).map((c) => ({ command: c.id, title: c.title, category: COMMAND_CATEGORY, icon: c.icon }));
    assert.deepEqual(manifest.contributes.commands, expected);
  });

  it('hides item-only commands from the palette', () => {
    const hidden = manifest.contributes.menus.commandPalette.filter((m) => m.when === 'false').map((m) => m.command);
    const itemOnly = Object.values(COMMAND_TABLE).filter((c) => !c.palette).map((c) => c.id);
    assert.deepEqual(hidden.sort(), [...itemOnly].sort());
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

  it('is lazy: no "*" activation, and @types/vscode matches engines.vscode', () => {
    assert.ok(!(manifest.activationEvents ?? []).includes('*'));
    assert.equal(manifest.engines.vscode, `^${manifest.devDependencies['@types/vscode']}`);
  });
});
