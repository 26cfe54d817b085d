import * as vscode from 'vscode';
import { groupByStatus, type StatusGroup } from '../core/tickets/groupByStatus';
import type { TicketSet } from '../core/tickets/loadTickets';
import { problemSummaryText, summarizeTicketProblems } from '../core/tickets/problemSummary';
import type { TicketSelection } from '../core/tickets/ticketSelection';
import type { Ticket } from '../core/tickets/ticketSchema';
import { isActiveRunState, TICKET_FILE_STATUS_LABELS, type TicketFileStatus } from '../core/vocabulary/ticketStates';
import { COMMAND_IDS } from './commandTable';
import { DisposableStore } from './disposables';
import { pickDescription, type TicketRunView } from '../core/session/runStateText';
import { lifecycleDescription, LIFECYCLE_CONTEXT, LIFECYCLE_ICONS, runLifecycleFacts, storedLifecycleFacts, type StoredTicketState } from '../core/session/lifecycleText';
import type { TicketLifecycles } from './ticketLifecycles';
import type { TicketsModel } from './ticketsModel';
import { RESTRICTED_MODE_MESSAGE } from './workspaceTrust';

/** What the tree shows of batches: each ticket's latest run and its "Set Model" pick. */
export interface RunStateSource {
  runOf(ticketId: string): TicketRunView | undefined;
  pickOf(ticketId: string): string | undefined;
  /** Whether the latest batch ran on the simulated model. */
  simulated(): boolean;
}

export type TicketNode = { readonly kind: 'group'; readonly group: StatusGroup } | { readonly kind: 'ticket'; readonly ticket: Ticket };

const STATUS_ICONS: Readonly<Record<TicketFileStatus, string>> = {
  open: 'circle-large-outline',
  'in-progress': 'sync',
  review: 'eye',
  done: 'pass',
};

/**
 * The Tickets view: tickets grouped by status, each with a checkbox that ticks it for the next batch.
 * It renders the TicketsModel and the selection; it holds no state of its own.
 */
export class TicketsTree extends DisposableStore implements vscode.TreeDataProvider<TicketNode> {
  private readonly changed = this.register(new vscode.EventEmitter<TicketNode | undefined>());
  readonly onDidChangeTreeData = this.changed.event;
  readonly view: vscode.TreeView<TicketNode>;
  private groups: StatusGroup[] = [];
  /** Every listed ticket id, from the model's last load (the groups fill in only when the view expands). */
  private ticketIds: readonly string[] = [];
  private problems: string | undefined;
  private runState: RunStateSource | undefined;
  private lifecycles: TicketLifecycles | undefined;

  constructor(
    private readonly model: TicketsModel,
    private readonly selection: TicketSelection,
    private readonly onSelectionChanged: () => void,
  ) {
    super();
    this.view = this.register(
      vscode.window.createTreeView('flotilla.tickets', { treeDataProvider: this, showCollapseAll: true, manageCheckboxStateManually: true }),
    );
    this.register(this.view.onDidChangeCheckboxState((event) => this.applyCheckboxChanges(event.items)));
    this.register(model.onDidChange((set) => this.render(set)));
    this.register(vscode.workspace.onDidGrantWorkspaceTrust(() => this.updateMessage()));
    this.updateMessage();
  }

  async getChildren(node?: TicketNode): Promise<TicketNode[]> {
    if (node?.kind === 'ticket') return [];
    if (node?.kind === 'group') return node.group.tickets.map((ticket) => ({ kind: 'ticket', ticket }));
    // Loading happens here, the first time the view asks, so activation stays cheap.
    const set = await this.model.get();
    this.groups = groupByStatus(set.tickets);
    return this.groups.map((group) => ({ kind: 'group', group }));
  }

  getParent(node: TicketNode): TicketNode | undefined {
    if (node.kind === 'group') return undefined;
    const group = this.groups.find((g) => g.status === node.ticket.status);
    return group ? { kind: 'group', group } : undefined;
  }

  getTreeItem(node: TicketNode): vscode.TreeItem {
    return node.kind === 'group' ? this.groupItem(node.group) : this.ticketItem(node.ticket);
  }

  /** What ticking or unticking boxes does; a group's box ticks all its tickets. */
  applyCheckboxChanges(items: readonly (readonly [TicketNode, vscode.TreeItemCheckboxState])[]): void {
    let changed = false;
    for (const [node, state] of items) {
      const checked = state === vscode.TreeItemCheckboxState.Checked;
      const ids = node.kind === 'group' ? node.group.tickets.map((t) => t.id) : [node.ticket.id];
      changed = this.selection.set(ids, checked) || changed;
    }
    if (changed) this.selectionChanged();
  }

  /** Shows run states and picks from now on (the batch host calls this once). */
  showRunState(source: RunStateSource): void {
    this.runState = source;
    this.changed.fire(undefined);
  }

  /** Shows each ticket's stored lifecycle (awaiting review, accepted, rejected, failed…) when no run of this window is live. */
  showLifecycles(lifecycles: TicketLifecycles): void {
    this.lifecycles = lifecycles;
    this.register(lifecycles.onDidChange(() => this.changed.fire(undefined)));
    this.changed.fire(undefined);
  }

  /** A ticket's run state or pick changed. */
  refreshRunState(): void {
    this.changed.fire(undefined);
  }

  selectionChanged(): void {
    this.onSelectionChanged();
    this.changed.fire(undefined);
    this.updateMessage();
  }

  private render(set: TicketSet): void {
    this.problems = problemSummaryText(summarizeTicketProblems(set));
    this.ticketIds = set.tickets.map((t) => t.id);
    this.changed.fire(undefined);
    this.updateMessage();
  }

  private updateMessage(): void {
    const parts: string[] = [];
    if (!vscode.workspace.isTrusted) parts.push(RESTRICTED_MODE_MESSAGE);
    if (this.problems) parts.push(this.problems);
    const total = this.ticketIds.length;
    const ticked = this.selection.among(this.ticketIds).length;
    const selected = total > 0 ? `${ticked} of ${total} selected` : undefined;
    // The description is hidden while Tickets is the container's only view (its header merges into
    // the container's title), so the count is in the message too, where a person sees it.
    if (selected) parts.push(`${selected}.`);
    this.view.message = parts.length > 0 ? parts.join(' ') : undefined;
    this.view.description = selected;
  }

  private groupItem(group: StatusGroup): vscode.TreeItem {
    const item = new vscode.TreeItem(TICKET_FILE_STATUS_LABELS[group.status], vscode.TreeItemCollapsibleState.Expanded);
    item.id = `status:${group.status}`;
    item.description = String(group.tickets.length);
    item.contextValue = 'ticketGroup';
    const all = group.tickets.every((t) => this.selection.has(t.id));
    item.checkboxState = {
      state: all ? vscode.TreeItemCheckboxState.Checked : vscode.TreeItemCheckboxState.Unchecked,
      tooltip: all ? `Clear the ${TICKET_FILE_STATUS_LABELS[group.status]} tickets from the batch` : `Select every ${TICKET_FILE_STATUS_LABELS[group.status]} ticket for the batch`,
    };
    return item;
  }

  private ticketItem(ticket: Ticket): vscode.TreeItem {
    // The title leads and is never pushed aside; the state is the icon and a short description.
    const item = new vscode.TreeItem(`${ticket.id}  ${ticket.title}`, vscode.TreeItemCollapsibleState.None);
    item.id = `ticket:${ticket.id}`;
    item.description = ticketDescription(ticket);
    item.iconPath = new vscode.ThemeIcon(STATUS_ICONS[ticket.status]);
    item.contextValue = 'ticket';
    item.tooltip = ticketTooltip(ticket);
    const selected = this.selection.has(ticket.id);
    item.checkboxState = {
      state: selected ? vscode.TreeItemCheckboxState.Checked : vscode.TreeItemCheckboxState.Unchecked,
      tooltip: selected ? 'Remove from the batch' : 'Add to the batch',
    };
    const run = this.runState?.runOf(ticket.id);
    const stored = this.lifecycles?.entryOf(ticket.id);
    // A run of this window is the freshest news while it goes on, or until the stored state of its
    // batch has been read; then the stored state, which knows about decisions and survives a reload.
    const live = run && (isActiveRunState(run.state) || stored?.batchId !== run.batchId);
    if (stored && !live) this.applyLifecycle(item, stored);
    else this.applyRunState(item, ticket);
    const facts = stored && !live ? lifecycleDescription(storedLifecycleFacts(stored)) : run ? lifecycleDescription(runLifecycleFacts(run)) : item.description || 'no labels';
    item.accessibilityInformation = { label: `${ticket.id} ${ticket.title}, ${facts}, ${selected ? 'selected' : 'not selected'}` };
    item.command = { command: COMMAND_IDS.openTicket, title: 'Open Ticket', arguments: [ticket.id] };
    return item;
  }

  /** Icon, description and menus from a ticket's stored lifecycle ("fast · awaiting review · $0.004"). */
  private applyLifecycle(item: vscode.TreeItem, entry: StoredTicketState): void {
    item.description = lifecycleDescription(storedLifecycleFacts(entry));
    const [icon, color] = LIFECYCLE_ICONS[entry.state];
    item.iconPath = new vscode.ThemeIcon(icon, color ? new vscode.ThemeColor(color) : undefined);
    item.contextValue = LIFECYCLE_CONTEXT[entry.state];
    if (item.tooltip instanceof vscode.MarkdownString) {
      item.tooltip.appendMarkdown('\n\n---\n\n').appendText(`${lifecycleDescription(storedLifecycleFacts(entry))} · batch ${entry.batchId}`);
      if (entry.reason) item.tooltip.appendMarkdown('\n\n').appendText(entry.reason.slice(0, 300));
    }
  }

  /**
   * While or after a batch runs, the lifecycle's icon replaces the status icon and the description
   * says "fast · running · $0.012" in the panel's words (a finished one is "awaiting review", not
   * "done"): the row keeps its title, and a narrow sidebar cuts the description.
   */
  private applyRunState(item: vscode.TreeItem, ticket: Ticket): void {
    const run = this.runState?.runOf(ticket.id);
    const pick = this.runState?.pickOf(ticket.id);
    if (!run) {
      if (pick) item.description = [pickDescription(pick), item.description].filter(Boolean).join(' ');
      return;
    }
    const facts = runLifecycleFacts(run);
    item.description = lifecycleDescription(facts);
    const [icon, color] = LIFECYCLE_ICONS[facts.lifecycle];
    item.iconPath = new vscode.ThemeIcon(icon, color ? new vscode.ThemeColor(color) : undefined);
    // Menus key on these: Cancel on running tickets; Review, Accept and Reject on one awaiting review; Retry on finished ones.
    item.contextValue = isActiveRunState(run.state) ? 'ticketRunning' : LIFECYCLE_CONTEXT[facts.lifecycle];
    if (item.tooltip instanceof vscode.MarkdownString) {
      item.tooltip.appendMarkdown('\n\n---\n\n').appendText(`${lifecycleDescription(facts)}${this.runState?.simulated() ? ' (simulated)' : ''} · ${run.model}${pick ? ` · pick ${pick}` : ''}`);
      if (run.detail) item.tooltip.appendMarkdown('\n\n').appendText(run.detail.slice(0, 300));
    }
  }
}

export function ticketDescription(ticket: Ticket): string {
  const parts = ticket.labels.map((label) => `#${label}`);
  if (ticket.model !== 'auto') parts.push(`model: ${ticket.model}`);
  // Dependencies decide the order a batch runs in: shown on the row, not only in the tooltip.
  if (ticket.dependsOn.length > 0) parts.push(`after ${ticket.dependsOn.join(', ')}`);
  return parts.join(' ');
}

function ticketTooltip(ticket: Ticket): vscode.MarkdownString {
  // Ticket text is untrusted: appendText escapes it, and the string is neither trusted nor HTML.
  const tooltip = new vscode.MarkdownString();
  tooltip.appendMarkdown('**').appendText(`${ticket.id} — ${ticket.title}`).appendMarkdown('**\n\n');
  const facts: string[] = [`status ${ticket.status}`];
  if (ticket.priority) facts.push(`priority ${ticket.priority}`);
  if (ticket.labels.length) facts.push(`labels ${ticket.labels.join(', ')}`);
  if (ticket.dependsOn.length) facts.push(`depends on ${ticket.dependsOn.join(', ')}`);
  facts.push(`model ${ticket.model}`, `review ${ticket.review}`);
  tooltip.appendText(facts.join(' · '));
  if (ticket.description) tooltip.appendMarkdown('\n\n').appendText(ticket.description.slice(0, 500));
  return tooltip;
}
