import * as vscode from 'vscode';

/** A message with buttons: a notification, or a modal dialog when the user must answer before anything goes on. */
export interface Notice {
  readonly level: 'info' | 'warning' | 'error';
  readonly message: string;
  /** Shown under the message of a modal dialog. */
  readonly detail?: string;
  readonly modal?: boolean;
  readonly actions: readonly string[];
}

/** What the integration suites answer in place of a person (the button's title, or undefined for Escape). */
export type NoticeAnswers = (notice: Notice) => string | undefined | Promise<string | undefined>;

/**
 * How Flotilla's messages with buttons reach the user: the window's notifications and dialogs, or, in
 * test mode only (extension.ts), the suites' answers — a dialog cannot be clicked from the extension
 * host, and a suite must see what was asked.
 */
export class Notices {
  private answers: NoticeAnswers | undefined;

  /** Shows the notice and resolves with the button chosen, or undefined when it was dismissed. */
  async ask(notice: Notice): Promise<string | undefined> {
    if (this.answers) return this.answers(notice);
    const show = notice.level === 'error' ? vscode.window.showErrorMessage : notice.level === 'warning' ? vscode.window.showWarningMessage : vscode.window.showInformationMessage;
    return notice.modal ? show(notice.message, { modal: true, detail: notice.detail }, ...notice.actions) : show(notice.message, ...notice.actions);
  }

  /** Test mode only: answers every notice until the returned disposable is disposed. */
  useAnswers(answers: NoticeAnswers): vscode.Disposable {
    this.answers = answers;
    return { dispose: () => (this.answers = undefined) };
  }
}
