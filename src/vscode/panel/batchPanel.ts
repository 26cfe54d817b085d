import * as vscode from 'vscode';
import { errorForLog } from '../../core/errorText';
import { PANEL_PROTOCOL_VERSION, parseViewMessage, type HostMessage } from '../../core/panel/panelProtocol';
import { UpdateCoalescer } from '../../core/panel/updateCoalescer';
import { DisposableStore } from '../disposables';
import { log } from '../log';
import { runAction } from './panelActions';
import type { PanelFeed } from './panelFeed';
import { newNonce, panelHtml } from './panelHtml';
import { PanelTrace } from './panelTrace';

export const PANEL_VIEW_TYPE = 'flotilla.batchPanel';

/** The only folders the view may load from: its bundle and its stylesheet. */
export function panelResourceRoots(extensionUri: vscode.Uri): vscode.Uri[] {
  return [vscode.Uri.joinPath(extensionUri, 'dist', 'webview'), vscode.Uri.joinPath(extensionUri, 'media')];
}

/**
 * One open panel: its HTML, the handshake, and the messages both ways. It posts only after the view
 * said `ready` (a snapshot first, then coalesced updates) and only while visible: with
 * retainContextWhenHidden off, a hidden view is gone and says `ready` again when shown. Disposing it
 * (closing the panel) ends its subscriptions; the feed and the batch go on.
 */
export class BatchPanel extends DisposableStore {
  private ready = false;
  readonly trace = new PanelTrace();

  constructor(
    readonly panel: vscode.WebviewPanel,
    private readonly extensionUri: vscode.Uri,
    private readonly feed: PanelFeed,
  ) {
    super();
    panel.webview.options = { enableScripts: true, localResourceRoots: panelResourceRoots(extensionUri) };
    panel.iconPath = vscode.Uri.joinPath(extensionUri, 'media', 'flotilla.svg');
    const coalescer = this.register(new UpdateCoalescer(() => this.flush()));
    const unsubscribe = feed.model.onDidChange(() => coalescer.request());
    this.register({ dispose: unsubscribe });
    this.register(panel.webview.onDidReceiveMessage((data: unknown) => this.receive(data)));
    this.register(
      panel.onDidChangeViewState(() => {
        if (!panel.visible) this.ready = false;
      }),
    );
    this.render();
    void feed.ensureLoaded();
  }

  /** Every message from the view is parsed; an invalid one is logged and ignored. */
  receive(data: unknown): void {
    const parsed = parseViewMessage(data);
    if (!parsed.ok) {
      this.trace.rejected += 1;
      log.warn(`Batch panel: ignored an invalid message from the view (${parsed.error})`);
      return;
    }
    const message = parsed.message;
    this.trace.received.push(message.type);
    switch (message.type) {
      case 'ready':
        if (message.protocol !== PANEL_PROTOCOL_VERSION) {
          log.warn(`Batch panel: the view speaks protocol ${message.protocol}, this host ${PANEL_PROTOCOL_VERSION}; reloading it`);
          this.render();
          return;
        }
        this.ready = true;
        this.trace.handshake = message.protocol;
        this.post(this.feed.model.takeMessage(true));
        return;
      case 'applied':
        this.trace.applied = message.rev;
        return;
      case 'resync':
        log.info(`Batch panel: the view asked for everything again (${message.reason})`);
        this.post(this.feed.model.takeMessage(true));
        return;
      default:
        runAction(message).then(
          // A decision changes state.json, not an event: read it back so the row shows it.
          () => (message.type === 'ticketAction' && (message.action === 'accept' || message.action === 'reject') ? this.feed.reload() : undefined),
          (error: unknown) => log.error(`Batch panel: ${message.type} failed: ${errorForLog(error)}`),
        );
    }
  }

  private flush(): void {
    if (this.ready && this.panel.visible) this.post(this.feed.model.takeMessage());
  }

  /** The one way to the view. */
  private post(message: HostMessage | null): void {
    if (message === null) return;
    this.trace.record(message);
    void this.panel.webview.postMessage(message).then(undefined, (error: unknown) => log.warn(`Batch panel: could not post to the view: ${errorForLog(error)}`));
  }

  private render(): void {
    this.ready = false;
    const webview = this.panel.webview;
    const asset = (...path: string[]) => webview.asWebviewUri(vscode.Uri.joinPath(this.extensionUri, ...path)).toString();
    webview.html = panelHtml({ cspSource: webview.cspSource, scriptUri: asset('dist', 'webview', 'panel.js'), styleUri: asset('media', 'panel.css'), nonce: newNonce() });
  }
}
