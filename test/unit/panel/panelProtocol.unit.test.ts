import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PANEL_PROTOCOL_VERSION, parseHostMessage, parseViewMessage } from '../../../src/core/panel/panelProtocol';
import { EMPTY_HISTORY } from '../../../src/core/panel/panelSnapshot';

describe('panel protocol', () => {
  it('accepts the view\'s messages and rejects anything else with where and why', () => {
    assert.deepEqual(parseViewMessage({ type: 'ready', protocol: PANEL_PROTOCOL_VERSION }), { ok: true, message: { type: 'ready', protocol: PANEL_PROTOCOL_VERSION } });
    const action = parseViewMessage({ type: 'ticketAction', action: 'accept', batchId: 'b1', ticketId: 'T1' });
    assert.ok(action.ok);
    const unknown = parseViewMessage({ type: 'ticketAction', action: 'deleteRepo', batchId: 'b1', ticketId: 'T1' });
    assert.equal(unknown.ok, false);
    assert.match(unknown.ok ? '' : unknown.error, /^action: /);
    assert.equal(parseViewMessage({ type: 'openTicket', ticketId: '' }).ok, false);
    assert.equal(parseViewMessage('ready').ok, false);
    assert.equal(parseViewMessage(null).ok, false);
    assert.equal(parseViewMessage({ type: 'eval', code: 'alert(1)' }).ok, false);
  });

  it('accepts a snapshot of this protocol version only, and rejects malformed updates', () => {
    const snapshot = { type: 'snapshot', protocol: PANEL_PROTOCOL_VERSION, rev: 1, snapshot: { current: null, history: EMPTY_HISTORY } };
    assert.ok(parseHostMessage(snapshot).ok);
    assert.equal(parseHostMessage({ ...snapshot, protocol: PANEL_PROTOCOL_VERSION + 1 }).ok, false);
    const bad = parseHostMessage({ type: 'update', protocol: PANEL_PROTOCOL_VERSION, baseRev: 1, rev: 2, rows: [{ id: 'T1' }], lanes: [] });
    assert.equal(bad.ok, false);
    assert.match(bad.ok ? '' : bad.error, /^rows\.0\./);
  });

  it('is importable from the browser bundle: zod, its own folder and the vocabulary (which imports nothing) only', () => {
    for (const file of ['panelProtocol.ts', 'panelSnapshot.ts']) {
      const text = readFileSync(join(__dirname, '../../../src/core/panel', file), 'utf8');
      const imports = [...text.matchAll(/from '([^']+)'/g)].map((m) => m[1]);
      for (const spec of imports) assert.ok(spec === 'zod' || spec?.startsWith('./panel') || spec?.startsWith('../vocabulary/'), `${file} imports ${spec}`);
    }
    for (const file of readdirSync(join(__dirname, '../../../src/core/vocabulary')).filter((f) => f.endsWith('.ts'))) {
      const text = readFileSync(join(__dirname, '../../../src/core/vocabulary', file), 'utf8');
      assert.doesNotMatch(text, /^import /m, `vocabulary/${file} imports nothing`);
    }
  });
});
