import './panel/zodJitless';
import { PANEL_PROTOCOL_VERSION } from '../../src/core/panel/panelProtocol';
import { HostLink } from './panel/hostLink';
import { PanelApp } from './panel/panelApp';

// The batch panel's view: renders what the extension host sends (src/core/panel/panelProtocol.ts)
// and posts back what the person asks for. It holds no batch state of its own.
const link = new HostLink(acquireVsCodeApi());
const root = document.getElementById('app');
if (root) {
  const app = new PanelApp(root, link);
  window.addEventListener('message', (event: MessageEvent) => app.receive(event.data));
  link.post({ type: 'ready', protocol: PANEL_PROTOCOL_VERSION });
}
