import { randomBytes } from 'node:crypto';

export interface PanelHtmlInput {
  /** `webview.cspSource`: where the view may load its script's and styles' files from. */
  readonly cspSource: string;
  /** The view's bundle (dist/webview/panel.js) and stylesheet (media/panel.css), as webview URIs. */
  readonly scriptUri: string;
  readonly styleUri: string;
  /** Fresh for every page: only the script tag carrying it runs. */
  readonly nonce: string;
}

/** 128 bits from the OS's random source, for the script-src nonce. */
export function newNonce(): string {
  return randomBytes(16).toString('base64');
}

const attr = (value: string): string => value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/**
 * The one place the panel's HTML is built, with the security baseline in it (CONVENTIONS.md 7):
 * nothing loads by default, styles and fonts only from the extension's own files, one script by
 * nonce, no inline script, style or handler. Everything the page shows is added by the script as text.
 * No `vscode` import, so the webview tests in a real browser load this same page.
 */
export function panelHtml(input: PanelHtmlInput): string {
  const csp = [`default-src 'none'`, `style-src ${input.cspSource}`, `font-src ${input.cspSource}`, `script-src 'nonce-${input.nonce}'`].join('; ');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${attr(csp)}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${attr(input.styleUri)}">
<title>Flotilla</title>
</head>
<body>
<main id="app" aria-live="off"></main>
<script nonce="${attr(input.nonce)}" src="${attr(input.scriptUri)}"></script>
</body>
</html>
`;
}
