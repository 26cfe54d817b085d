import type { ViewMessage } from '../../../src/core/panel/panelProtocol';

/** What the view keeps across a hide/show (retainContextWhenHidden is off): only its own UI choices. */
export interface ViewState {
  readonly tab?: 'current' | 'history';
  readonly expanded?: readonly string[];
}

/** VS Code's webview API (acquireVsCodeApi), as far as the panel uses it. */
export interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}

declare global {
  function acquireVsCodeApi(): VsCodeApi;
}

/** The view's side of the protocol: typed posts, and the small UI state VS Code keeps for it. */
export class HostLink {
  private state: ViewState;

  constructor(private readonly api: VsCodeApi) {
    const saved = api.getState();
    this.state = typeof saved === 'object' && saved !== null ? (saved as ViewState) : {};
  }

  post(message: ViewMessage): void {
    this.api.postMessage(message);
  }

  get viewState(): ViewState {
    return this.state;
  }

  saveState(change: Partial<ViewState>): void {
    this.state = { ...this.state, ...change };
    this.api.setState(this.state);
  }
}
