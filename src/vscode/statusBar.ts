import * as vscode from 'vscode';
import { budgetStatusView, type BudgetLevel, type BudgetStatusView } from '../core/report/budgetStatus';
import { LiveMonthSpend } from '../core/report/liveMonthSpend';
import { formatProblem } from '../core/store/storeProblem';
import { monthOf } from '../core/store/storagePaths';
import { COMMAND_IDS } from './commandTable';
import { onSettingChanged, readSettings } from './configuration';
import { DisposableStore } from './disposables';
import type { FlotillaContext } from './flotillaContext';
import { log } from './log';
import { errorMessage } from '../core/errorText';

/** What a click on the item does: its command is Show Panel. */
const CLICK_SENTENCE = 'Click to open the batch panel.';

const BACKGROUND: Readonly<Record<BudgetLevel, string | undefined>> = {
  ok: undefined,
  warning: 'statusBarItem.warningBackground',
  error: 'statusBarItem.errorBackground',
};

/** What the item shows, for the integration suites (read-only). */
export interface StatusBarSnapshot extends BudgetStatusView {
  readonly backgroundColor: string | undefined;
  /** The command a click runs. */
  readonly command: string;
}

/**
 * The budget item: month-to-date spend against the monthly limit (or tokens on a plan), a spinner
 * while a batch runs, spend by model and workspace with a forecast in the tooltip; a click opens the
 * batch panel (the tooltip says so, and links the current batch's report). The ledger is folded once,
 * then each recorded call is added as it lands.
 */
export class BudgetStatusBar extends DisposableStore {
  private readonly item: vscode.StatusBarItem;
  private readonly spend: LiveMonthSpend;
  private running = false;
  private batchId: string | null = null;
  private view: StatusBarSnapshot = { text: '', tooltip: '', level: 'ok', backgroundColor: undefined, command: COMMAND_IDS.showPanel };

  constructor(ctx: FlotillaContext) {
    super();
    this.spend = new LiveMonthSpend({ globalStorage: ctx.globalStorageDir });
    this.item = this.register(vscode.window.createStatusBarItem('flotilla.budget', vscode.StatusBarAlignment.Right, 100));
    this.item.name = 'Flotilla Budget';
    this.item.command = COMMAND_IDS.showPanel;
    this.register(
      ctx.onDidRecordUsage((record) => {
        this.spend.add(record);
        this.refresh();
      }),
    );
    this.register(
      ctx.onDidChangeBatchActivity((activity) => {
        this.running = activity.running;
        if (activity.batchId !== null) this.batchId = activity.batchId;
        this.render();
      }),
    );
    this.register(onSettingChanged(['budget.monthlyUsd', 'budget.softAlertPercent', 'budget.display'], () => this.render()));
    this.render();
    this.item.show();
    this.refresh();
  }

  /** The batch that ran last in this window (running or finished), for "Show Batch Report". */
  currentBatchId(): string | null {
    return this.batchId;
  }

  snapshot(): StatusBarSnapshot {
    return this.view;
  }

  /** Folds the ledger when there is no tally yet or the month changed; renders either way. */
  private refresh(): void {
    const snapshot = this.spend.snapshot();
    if (snapshot !== null && snapshot.month === monthOf(Date.now())) {
      this.render();
      return;
    }
    this.spend.ensureLoaded().then(
      () => {
        for (const problem of this.spend.problems()) log.warn(`Usage ledger: ${formatProblem(problem)}`);
        this.render();
      },
      (error: unknown) => log.error(`Could not read the usage ledger: ${errorMessage(error)}`),
    );
  }

  private render(): void {
    const settings = readSettings();
    const view = budgetStatusView({
      spend: this.spend.snapshot(),
      monthlyUsd: settings['budget.monthlyUsd'],
      softAlertPercent: settings['budget.softAlertPercent'],
      display: settings['budget.display'],
      running: this.running,
      nowMs: Date.now(),
    });
    const background = BACKGROUND[view.level];
    this.item.text = view.text;
    // One sentence for the click (the item's command), the report as a link of its own.
    const markdown = `${view.tooltip}\n\n${CLICK_SENTENCE} [Show Batch Report](command:${COMMAND_IDS.showBatchReport})`;
    const tooltip = new vscode.MarkdownString(markdown, true);
    tooltip.isTrusted = { enabledCommands: [COMMAND_IDS.showBatchReport] };
    this.item.tooltip = tooltip;
    this.item.backgroundColor = background === undefined ? undefined : new vscode.ThemeColor(background);
    this.view = { ...view, tooltip: markdown, backgroundColor: background, command: typeof this.item.command === 'string' ? this.item.command : '' };
  }
}
