import * as vscode from 'vscode';
import type { ModelInfo } from '../core/llm/models';
import type { Tier } from '../core/llm/usageRecord';
import { readSettings, updateSetting } from './configuration';
import { log } from './log';
import { PICK_TIERS } from './modelPicks';

interface ModelItem extends vscode.QuickPickItem {
  readonly model: ModelInfo;
}

/** The models as QuickPick items; the tiers already using a model say so. */
export function modelItems(models: readonly ModelInfo[], tiers: Readonly<Record<Tier, string>>): ModelItem[] {
  return models.map((model) => {
    const usedBy = PICK_TIERS.filter((tier) => tiers[tier] === model.id);
    return {
      model,
      label: model.id,
      description: model.displayName,
      detail: usedBy.length > 0 ? `${usedBy.join(', ')} tier` : undefined,
    };
  });
}

/**
 * List Models: the ids GET /v1/models returns for this key (or the simulator), so a user picks ids
 * that exist; picking one offers to use it for a tier in `flotilla.llm.tiers`.
 */
export async function showModelList(fetch: (signal: AbortSignal) => Promise<ModelInfo[]>): Promise<{ model: string; tier: Tier } | undefined> {
  const models = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: 'Flotilla: listing models…', cancellable: true }, (_progress, token) => {
    const controller = new AbortController();
    token.onCancellationRequested(() => controller.abort());
    return fetch(controller.signal);
  });
  log.info(`List Models: ${models.length} model(s)`);
  if (models.length === 0) {
    void vscode.window.showInformationMessage('Flotilla: the API lists no models for this key.');
    return undefined;
  }
  const tiers = readSettings()['llm.tiers'];
  const picked = await vscode.window.showQuickPick(modelItems(models, tiers), { title: 'Models your key can use', placeHolder: 'Pick a model to use it for a tier', matchOnDescription: true });
  if (!picked) return undefined;
  const tier = await vscode.window.showQuickPick(
    PICK_TIERS.map((t) => ({ label: t, description: `now ${tiers[t]}` })),
    { title: `Use ${picked.model.id} for which tier?`, placeHolder: 'Sets flotilla.llm.tiers in your user settings' },
  );
  if (!tier) return undefined;
  const name = tier.label as Tier;
  await updateSetting('llm.tiers', { ...tiers, [name]: picked.model.id });
  void vscode.window.showInformationMessage(`Flotilla: the ${name} tier now uses ${picked.model.id}.`);
  return { model: picked.model.id, tier: name };
}
