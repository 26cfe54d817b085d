import * as vscode from 'vscode';
import type { PanelSnapshot } from '../../core/panel/panelSnapshot';
import { DisposableStore } from '../disposables';
import { BatchPanel, PANEL_VIEW_TYPE, panelResourceRoots } from './batchPanel';
import type { PanelFeed } from './panelFeed';
import type { PostedMessage } from './panelTrace';

/** The panel as the integration suites see it (test mode only). */
export interface PanelTestApi {
  readonly open: boolean;
  readonly visible: boolean;
  /** The protocol version the view said `ready` with; undefined before the handshake. */
  readonly handshake: number | undefined;
  readonly lastPostedRev: number | undefined;
  readonly lastAppliedRev: number | undefined;
  readonly posted: readonly PostedMessage[];
  /** Message types received from the view, and how many were rejected as invalid. */
  readonly received: readonly string[];
  readonly rejected: number;
  /** The state the host holds (what a snapshot would carry now). */
  snapshot(): PanelSnapshot;
  /** Hands the host a message as if the view had posted it. */
  receive(data: unknown): void;
  close(): void;
}

/**
 * "Flotilla: Show Panel": one panel per window, revealed if open, restored after a reload by the
 * serializer (VS Code keeps the panel's place; the host sends its state again).
 */
export class BatchPanelHost extends DisposableStore {
  private current: BatchPanel | undefined;

  constructor(
    private readonly extensionUri: vscode.Uri,
    readonly feed: PanelFeed,
  ) {
    super();
    this.register(feed);
    this.register(vscode.window.registerWebviewPanelSerializer(PANEL_VIEW_TYPE, { deserializeWebviewPanel: async (panel) => this.adopt(panel) }));
    this.register({ dispose: () => this.current?.panel.dispose() });
  }

  show(): void {
    if (this.current) {
      this.current.panel.reveal();
      return;
    }
    const panel = vscode.window.createWebviewPanel(PANEL_VIEW_TYPE, 'Flotilla Batch', vscode.ViewColumn.Active, {
      enableScripts: true,
      retainContextWhenHidden: false,
      localResourceRoots: panelResourceRoots(this.extensionUri),
    });
    this.adopt(panel);
  }

  testApi(): PanelTestApi {
    const trace = () => this.current?.trace;
    const panel = () => this.current?.panel;
    return {
      get open() {
        return panel() !== undefined;
      },
      get visible() {
        return panel()?.visible ?? false;
      },
      get handshake() {
        return trace()?.handshake;
      },
      get lastPostedRev() {
        return trace()?.lastPosted;
      },
      get lastAppliedRev() {
        return trace()?.applied;
      },
      get posted() {
        return trace()?.posted ?? [];
      },
      get received() {
        return trace()?.received ?? [];
      },
      get rejected() {
        return trace()?.rejected ?? 0;
      },
      snapshot: () => this.feed.model.snapshot(),
      receive: (data) => this.current?.receive(data),
      close: () => panel()?.dispose(),
    };
  }

  private adopt(panel: vscode.WebviewPanel): void {
    this.current?.panel.dispose();
    const adopted = new BatchPanel(panel, this.extensionUri, this.feed);
    this.current = adopted;
    panel.onDidDispose(() => {
      adopted.dispose();
      if (this.current === adopted) this.current = undefined;
    });
  }
}
