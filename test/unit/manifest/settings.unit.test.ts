import assert from 'node:assert/strict';
import { parseSettings } from '../../../src/core/settings/settingsSchema';

describe('parseSettings', () => {
  it('uses defaults for unset values', () => {
    const { settings, problems } = parseSettings(() => undefined);
    assert.equal(settings['tickets.folder'], '.flotilla/tickets');
    assert.deepEqual(problems, []);
  });

  it('reports an invalid value by key and falls back to the default', () => {
    const { settings, problems } = parseSettings((key) => (key === 'tickets.folder' ? 42 : undefined));
    assert.equal(settings['tickets.folder'], '.flotilla/tickets');
    assert.equal(problems.length, 1);
    assert.equal(problems[0]?.key, 'tickets.folder');
  });

  it('rejects an empty folder', () => {
    const { problems } = parseSettings(() => '   ');
    assert.match(problems[0]?.message ?? '', /folder path/);
  });
});
