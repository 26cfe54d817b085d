import type { FrameLocator, Locator, Page } from 'playwright-core';
import { VIEWPORT } from './workbenchHost';

/*
 * What a person sees and clicks in the workbench, by the roles and labels VS Code renders. Every
 * helper waits on something visible (Playwright's auto-waiting locators), never on a fixed sleep.
 */

/** Long enough for a loaded 2-core machine; a visible state that never comes fails with this wait in the message. */
export const UI_TIMEOUT_MS = 60_000;

export class WorkbenchPage {
  constructor(readonly page: Page) {}

  /** The Flotilla view container in the sidebar, opened by its activity bar icon if something else shows. */
  async openFlotillaView(): Promise<Locator> {
    const sidebar = this.page.locator('.part.sidebar');
    const title = sidebar.locator('.composite.title');
    if (!/flotilla/i.test((await title.textContent({ timeout: UI_TIMEOUT_MS }).catch(() => '')) ?? '')) {
      await this.page.locator('.activitybar [aria-label^="Flotilla"]').first().click({ timeout: UI_TIMEOUT_MS });
    }
    await title.filter({ hasText: /flotilla/i }).waitFor({ timeout: UI_TIMEOUT_MS });
    return sidebar;
  }

  /** A ticket's row in the Tickets tree, found by its id at the start of its label. */
  ticketRow(id: string): Locator {
    return this.page.locator('.part.sidebar .monaco-list-row').filter({ has: this.page.locator('.label-name', { hasText: new RegExp(`^${id}\\b`) }) });
  }

  /** What a ticket's row says after its title ("fast · accepted · $0.0012"). */
  ticketDescription(id: string): Locator {
    return this.ticketRow(id).locator('.label-description');
  }

  /** A status group's row in the Tickets tree ("Done"), with its count as its description. */
  ticketGroup(label: string): Locator {
    return this.page.locator('.part.sidebar .monaco-list-row').filter({ has: this.page.locator('.label-name', { hasText: new RegExp(`^${label}$`) }) });
  }

  ticketCheckbox(id: string): Locator {
    return this.ticketRow(id).locator('.custom-view-tree-node-item-checkbox');
  }

  /** The selection count the Tickets view shows ("3 of 6 selected"), where a person can see it. */
  ticketsSelectionCount(text: string): Locator {
    return this.page.locator('.part.sidebar').getByText(text).filter({ visible: true }).first();
  }

  /**
   * Runs a command the way a person does: the search box in the title bar, ">" and its title, then a
   * click on it in the list. (F1 would go to the batch panel's webview when it has the focus.)
   */
  async runCommand(title: string): Promise<void> {
    await this.page.locator('.command-center .command-center-center').click({ timeout: UI_TIMEOUT_MS });
    const input = this.page.locator('.quick-input-widget .quick-input-box input');
    await input.waitFor({ timeout: UI_TIMEOUT_MS });
    await input.fill(`>${title}`);
    const row = this.page.locator('.quick-input-widget .quick-input-list .monaco-list-row').filter({ hasText: title }).first();
    await row.click({ timeout: UI_TIMEOUT_MS });
  }

  /** Runs an item command from a ticket's context menu in the Tickets tree (right click, then the entry). */
  async ticketMenu(id: string, entry: string): Promise<void> {
    await this.ticketRow(id).click({ button: 'right', timeout: UI_TIMEOUT_MS });
    const menu = this.page.locator('.context-view .monaco-menu');
    const item = menu.locator('.action-item', { hasText: entry }).first();
    await item.click({ timeout: UI_TIMEOUT_MS });
    // The workbench ignores a click that lands in the first moments after a context menu opens (so the
    // right button's release cannot pick an entry); then the menu is still open and the entry is clicked again.
    if (!(await menu.waitFor({ state: 'hidden', timeout: 3000 }).then(() => true, () => false))) await item.click({ timeout: UI_TIMEOUT_MS });
    await menu.waitFor({ state: 'hidden', timeout: UI_TIMEOUT_MS });
  }

  /** The file headers the multi-file changes editor draws (their labels' full paths, e.g. "/src/slugify.js"). */
  changedFileHeaders(): Locator {
    return this.page.locator('.part.editor .multiDiffEditor .multiDiffEntry .file-path .title.modified .monaco-icon-label');
  }

  /** A comment thread in the editor, by the start of its title ("Flotilla verdict"). */
  commentThread(title: string): Locator {
    return this.page.locator('.part.editor .review-widget').filter({ has: this.page.locator('.review-title', { hasText: title }) });
  }

  /** A notification toast that says `text`. */
  notification(text: string | RegExp): Locator {
    return this.page.locator('.notifications-toasts .notification-toast').filter({ hasText: text });
  }

  /** The modal dialog (Run Batch's confirmation). */
  dialog(): Locator {
    return this.page.locator('.monaco-dialog-box');
  }

  dialogButton(label: string): Locator {
    return this.dialog().locator('.dialog-buttons .monaco-button', { hasText: new RegExp(`^${label}$`) });
  }

  statusBarBudget(): Locator {
    return this.page.locator('.statusbar-item[id$="flotilla.budget"]');
  }

  private budgetHover(): Locator {
    return this.page.locator('.workbench-hover, .monaco-hover').filter({ hasText: 'Flotilla usage' }).last();
  }

  /** Hovers the budget item and returns its tooltip once it shows. */
  async budgetTooltip(): Promise<Locator> {
    await this.statusBarBudget().hover({ timeout: UI_TIMEOUT_MS });
    const hover = this.budgetHover();
    await hover.waitFor({ timeout: UI_TIMEOUT_MS });
    return hover;
  }

  /** Moves the pointer where it raises no hover: the empty part of the sidebar below the tickets. */
  async parkPointer(): Promise<void> {
    await this.page.mouse.move(150, VIEWPORT.height - 200);
  }

  /**
   * Parks the pointer and waits until no hover is showing. A tick leaves the pointer on the box,
   * whose tooltip ("Remove from the batch") opens below it over the next row's box and takes its click.
   */
  async clearHovers(): Promise<void> {
    await this.parkPointer();
    await this.page.keyboard.press('Escape');
    await this.page.locator('.context-view .hover-contents, .workbench-hover').first().waitFor({ state: 'hidden', timeout: UI_TIMEOUT_MS });
  }

  /** Moves the pointer off the status bar and closes its tooltip, so a picture shows what is under it. */
  async dismissHover(): Promise<void> {
    await this.parkPointer();
    await this.page.keyboard.press('Escape');
    await this.budgetHover().waitFor({ state: 'hidden', timeout: UI_TIMEOUT_MS });
  }

  /** The batch panel's view inside its webview (two iframes deep, as VS Code hosts webviews). */
  panel(): FrameLocator {
    return this.page.frameLocator('iframe.webview.ready').frameLocator('#active-frame');
  }
}

/** "$0.0123" → 0.0123 (the panel and the status bar print dollars with 2 to 4 decimals). */
export function dollars(text: string): number {
  const match = /\$([\d,]+(?:\.\d+)?)/.exec(text);
  if (!match?.[1]) throw new Error(`no dollar amount in "${text}"`);
  return Number(match[1].replace(/,/g, ''));
}

/** Half a unit in the last printed decimal place of a dollar amount ("$0.012" → 0.0005). */
export function printedPrecision(text: string): number {
  const decimals = /\$[\d,]+\.(\d+)/.exec(text)?.[1]?.length ?? 0;
  return 0.5 * 10 ** -decimals;
}
