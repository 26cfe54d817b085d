import * as vscode from 'vscode';
import { z } from 'zod';
import type { BatchSummary } from '../core/batch/batchTypes';
import type { Ticket } from '../core/tickets/ticketSchema';
import { ApiKeyMissingError } from '../core/session/endpoint';
import { UnusableApiKeyError } from '../core/llm/apiKeyShape';
import { ClaudeCodeNotFoundError } from '../core/worker/workerEngine';
import type { BatchPlanView } from './batchEngine';
import type { BatchHost } from './batchHost';
import { withBatchProgress } from './batchProgress';
import type { CommandHandlers } from './commands';
import { COMMAND_IDS } from './commandTable';
import type { FlotillaContext } from './flotillaContext';
import { showModelList } from './listModels';
import { log } from './log';
import type { Notices } from './notices';
import { updateSetting } from './configuration';
import { PICK_TIERS } from './modelPicks';
import { PlanDetails } from './planDetails';
import { confirmationText } from '../core/session/confirmationText';
import { formatUsd } from '../core/vocabulary/amounts';
import { requireTrust } from './workspaceTrust';

type Handlers<K extends keyof CommandHandlers> = Pick<CommandHandlers, K>;

const CAN_RESUME_CONTEXT = 'flotilla.canResume';

/** Arguments a caller (a test, a keybinding) may pass to Run Batch; a person gets the confirmation. */
const runArgs = z.object({ confirm: z.boolean().optional(), tickets: z.array(z.string()).optional() }).partial();
/** A tree node or a ticket id, as item commands receive them. */
const ticketTarget = z.union([z.string(), z.object({ kind: z.literal('ticket'), ticket: z.object({ id: z.string() }) }).transform((n) => n.ticket.id)]);

/** Run / Plan Batch, Set Model, Cancel, Retry, Cancel Batch and List Models. */
export function batchHandlers(ctx: FlotillaContext, host: BatchHost): Handlers<'runBatch' | 'planBatch' | 'setModel' | 'cancelTicket' | 'retryTicket' | 'cancelBatch' | 'resumeBatch' | 'listModels'> {
  const { engine, picks } = host;
  const planDetails = new PlanDetails();
  ctx.extension.subscriptions.push(planDetails);

  /** `flotilla.canResume` (Resume Batch in the palette): checked once the tickets first show, and after every batch. */
  async function refreshResumable(): Promise<void> {
    const batches = await engine.interruptedBatches().catch(() => []);
    await vscode.commands.executeCommand('setContext', CAN_RESUME_CONTEXT, batches.length > 0);
  }
  const firstLoad = ctx.tickets.onDidChange(() => {
    firstLoad.dispose();
    void refreshResumable();
  });
  ctx.extension.subscriptions.push(
    firstLoad,
    ctx.onDidChangeBatchActivity((activity) => {
      if (!activity.running) void refreshResumable();
    }),
  );

  async function ticketsFor(ids: readonly string[] | undefined): Promise<Ticket[]> {
    const set = await ctx.tickets.get();
    const wanted = ids ?? ctx.selection.among(set.tickets.map((t) => t.id));
    return set.tickets.filter((t) => wanted.includes(t.id));
  }

  async function start(tickets: Ticket[], confirm: boolean): Promise<BatchSummary | undefined> {
    if (!requireTrust('run a batch')) return undefined;
    if (tickets.length === 0) {
      void vscode.window.showInformationMessage('Flotilla: tick the tickets to run in the Tickets view first.');
      return undefined;
    }
    const repo = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
    if (!repo) throw new Error('Open the folder of a git repository to run a batch.');
    const ids = tickets.map((t) => t.id);
    try {
      await engine.ensureAccess();
    } catch (error) {
      if (error instanceof ApiKeyMissingError || UnusableApiKeyError.is(error)) return void offerKeyOrSimulator(error);
      throw error;
    }
    try {
      const plan = await engine.plan(tickets, picks.for(ids));
      if (confirm && !(await confirmRun(ctx.notices, plan, planDetails))) return undefined;
      const summary = await withBatchProgress(plan.simulated, ctx.onDidRecordUsage, (sink, token) =>
        engine.run({ tickets, repo, picks: picks.for(ids), decisions: plan.decisions, onEvent: (e) => sink.onEvent(e), token }),
      );
      void announce(summary);
      return summary;
    } catch (error) {
      if (!ClaudeCodeNotFoundError.is(error)) throw error;
      // The two ways on are buttons; either one starts the batch again (the confirmation shows the engine).
      return (await offerClaudeCodeSteps(ctx.notices, error)) ? start(tickets, confirm) : undefined;
    }
  }

  return {
    runBatch: async (arg) => {
      const options = runArgs.parse(arg ?? {});
      return start(await ticketsFor(options.tickets), options.confirm ?? true);
    },
    planBatch: async () => {
      const tickets = await ticketsFor(undefined);
      if (tickets.length === 0) {
        void vscode.window.showInformationMessage('Flotilla: tick the tickets to plan in the Tickets view first.');
        return undefined;
      }
      const plan = await engine.plan(tickets, picks.for(tickets.map((t) => t.id)));
      const text = confirmationText({ ...plan, decisions: [...plan.decisions.values()] });
      log.info(`Plan Batch (${tickets.map((t) => t.id).join(', ')}): ${text.detail.replace(/\n/g, ' | ')}\n${text.details}`);
      const choice = await vscode.window.showInformationMessage(`Plan for ${tickets.length} ticket${tickets.length === 1 ? '' : 's'}`, { modal: true, detail: `${text.detail}\n\n${text.details}` }, 'Run Batch');
      if (choice === 'Run Batch') return start(tickets, false);
      return plan;
    },
    setModel: async (target, value) => {
      const id = ticketTarget.parse(target);
      const pick = typeof value === 'string' ? value : await askPick(id, picks.get(id));
      if (pick === undefined) return undefined;
      await picks.set(id, pick);
      log.info(`Set Model: ${id} → ${pick}`);
      return picks.get(id) ?? 'auto';
    },
    cancelTicket: (target) => {
      const id = ticketTarget.parse(target);
      const cancelled = engine.cancelTicket(id);
      if (!cancelled) void vscode.window.showInformationMessage(`Flotilla: ${id} is not running.`);
      return cancelled;
    },
    retryTicket: async (target, arg) => {
      const id = ticketTarget.parse(target);
      return start(await ticketsFor([id]), runArgs.parse(arg ?? {}).confirm ?? true);
    },
    resumeBatch: async (batchId) => {
      if (!requireTrust('resume a batch')) return undefined;
      const id = typeof batchId === 'string' ? batchId : undefined;
      if (engine.activeBatchId) {
        void vscode.window.showInformationMessage(`Flotilla: batch ${engine.activeBatchId} is running; resume another one when it ends.`);
        return undefined;
      }
      if (id === undefined && (await engine.interruptedBatches()).length === 0) {
        // Nothing went wrong: every batch of this workspace ran to its end.
        void vscode.window.showInformationMessage('Flotilla: there is no interrupted batch to resume — every batch in this workspace ran to its end.');
        void refreshResumable();
        return undefined;
      }
      const resume = async (): Promise<BatchSummary | null> => withBatchProgress(engine.simulated, ctx.onDidRecordUsage, (sink, token) => engine.resume(id, { onEvent: (e) => sink.onEvent(e), token }));
      const summary = await resume().catch(async (error: unknown) => {
        if (!ClaudeCodeNotFoundError.is(error)) throw error;
        return (await offerClaudeCodeSteps(ctx.notices, error)) ? resume() : undefined;
      });
      if (summary === undefined) return undefined;
      if (summary === null) void vscode.window.showInformationMessage(`Flotilla: every ticket of batch ${id ?? ''} already finished; nothing to resume.`.replace('batch  ', 'the batch '));
      else void announce(summary);
      void refreshResumable();
      return summary;
    },
    cancelBatch: () => {
      if (!engine.activeBatchId) {
        void vscode.window.showInformationMessage('Flotilla: no batch is running, so there is nothing to cancel.');
        return false;
      }
      engine.cancelAll();
      return true;
    },
    listModels: async () => {
      if (!requireTrust('list models')) return undefined;
      try {
        return await showModelList((signal) => engine.listModels(signal));
      } catch (error) {
        if (error instanceof ApiKeyMissingError || UnusableApiKeyError.is(error)) return void offerKeyOrSimulator(error);
        throw error;
      }
    },
  };
}

/**
 * The confirmation: each ticket's model, expected and worst-case cost, budget left and one line on
 * shared planning; "Details" shows why each model and the overhead comparison in a read-only
 * document, then asks again. The details close when the dialog ends.
 */
async function confirmRun(notices: Notices, plan: BatchPlanView, details: PlanDetails): Promise<boolean> {
  const text = confirmationText({ ...plan, decisions: [...plan.decisions.values()] });
  const shown: vscode.Uri[] = [];
  try {
    for (;;) {
      const engineLine = `Worker engine: ${plan.engine.name} (${plan.engine.reason})`;
      const choice = await notices.ask({ level: 'info', modal: true, message: text.message, detail: `${text.detail}\n\n${engineLine}`, actions: ['Run', 'Details'] });
      if (choice === 'Run') return true;
      if (choice !== 'Details') return false;
      shown.push(await details.show(`${text.message.replace(/\?$/, '')} — details`, `${text.message}\n\n${text.detail}\n\n${text.details}\n`));
    }
  } finally {
    await details.close(shown);
  }
}

async function askPick(id: string, current: string | undefined): Promise<string | undefined> {
  const items: vscode.QuickPickItem[] = [
    { label: 'auto', description: 'route by the ticket (score, labels, history)' },
    ...PICK_TIERS.map((tier) => ({ label: tier, description: 'tier' })),
    { label: 'Other model id…', description: 'a model id, see List Models' },
  ];
  const picked = await vscode.window.showQuickPick(items, { title: `Model for ${id}`, placeHolder: current ? `now: ${current}` : 'now: auto' });
  if (!picked) return undefined;
  if (picked.label !== 'Other model id…') return picked.label;
  return vscode.window.showInputBox({ title: `Model id for ${id}`, value: current, validateInput: (v) => (v.trim() === '' || /\s/.test(v.trim()) ? 'A model id, e.g. claude-sonnet-5-5' : undefined) });
}

/**
 * The end of a batch, in one notification: what happened, what it cost, and the next things to do —
 * review the tickets that finished, the panel (when this build has it), the report.
 */
async function announce(summary: BatchSummary): Promise<void> {
  const counts = new Map<string, number>();
  for (const t of summary.tickets) counts.set(t.state, (counts.get(t.state) ?? 0) + 1);
  const parts = [...counts].map(([state, n]) => `${n} ${state}`);
  const stopped = summary.stopReason ? ` Stopped: ${summary.stopReason}${summary.stopNextStep ? ` Next step: ${summary.stopNextStep.editor}.` : ''}` : '';
  const text = `Flotilla batch ${summary.state}${summary.simulated ? ' (simulated)' : ''}: ${parts.join(', ')} · ${formatUsd(summary.totals.costUsd)}${summary.simulated ? ' (simulated, not billed)' : ''}.${stopped}`;
  log.info(text);
  const actions: string[] = [];
  const awaiting = summary.tickets.filter((t) => t.state === 'done' && t.branch !== null).length;
  if (awaiting > 0) actions.push(REVIEW_ACTION);
  actions.push('Show Panel');
  actions.push('Show Report');
  if (summary.stopNextStep?.editor === 'Set API Key') actions.push('Set API Key');
  const show = summary.state === 'done' ? vscode.window.showInformationMessage : vscode.window.showWarningMessage;
  const choice = await show(text, ...actions);
  if (choice === REVIEW_ACTION) await vscode.commands.executeCommand(COMMAND_IDS.reviewTicket, { batchId: summary.batchId });
  if (choice === 'Show Panel') await vscode.commands.executeCommand(COMMAND_IDS.showPanel);
  if (choice === 'Show Report') await vscode.commands.executeCommand(COMMAND_IDS.showBatchReport, summary.batchId);
  if (choice === 'Set API Key') await vscode.commands.executeCommand(COMMAND_IDS.setApiKey);
}

const REVIEW_ACTION = 'Review…';

const SET_CLAUDE_CODE_PATH = 'Set Claude Code Path…';
const USE_BUILTIN_ENGINE = 'Use Built-in Engine';

/**
 * Claude Code was chosen as the engine and cannot be found: the two ways on, as buttons — point
 * flotilla.worker.claudeCodePath at its executable, or switch to the built-in engine. True when a
 * setting changed, so the caller can try again.
 */
async function offerClaudeCodeSteps(notices: Notices, error: ClaudeCodeNotFoundError): Promise<boolean> {
  log.warn(`${error.message} ${error.nextStep}`);
  const message = `Flotilla: ${error.message} Set the path to its executable, or run on Flotilla's built-in engine.`;
  const choice = await notices.ask({ level: 'error', message, actions: [SET_CLAUDE_CODE_PATH, USE_BUILTIN_ENGINE] });
  if (choice === USE_BUILTIN_ENGINE) {
    await updateSetting('worker.engine', 'builtin');
    log.info('Worker engine set to builtin (flotilla.worker.engine).');
    return true;
  }
  if (choice !== SET_CLAUDE_CODE_PATH) return false;
  const picked = await vscode.window.showOpenDialog({ canSelectFiles: true, canSelectFolders: false, canSelectMany: false, title: 'Claude Code\'s executable (claude)', openLabel: 'Use This Executable' });
  const path = picked?.[0]?.fsPath;
  if (path === undefined) return false;
  await updateSetting('worker.claudeCodePath', path);
  log.info(`Claude Code's path set to ${path} (flotilla.worker.claudeCodePath).`);
  return true;
}

/** Provider anthropic without a usable key: the two ways on, as buttons. */
async function offerKeyOrSimulator(error: ApiKeyMissingError | UnusableApiKeyError): Promise<void> {
  log.warn(error.message);
  const choice = await vscode.window.showErrorMessage(`Flotilla: ${error.message} ${error.nextStep.editor}`, 'Set API Key', 'Use Simulated Model');
  if (choice === 'Set API Key') await vscode.commands.executeCommand(COMMAND_IDS.setApiKey);
  if (choice === 'Use Simulated Model') await vscode.commands.executeCommand(COMMAND_IDS.useSimulatedModel);
}
