import * as assert from 'node:assert/strict';
import { childEnvironment } from '../../../src/core/process/childEnvironment';
import { redactSecrets } from '../../../src/core/redactSecrets';

describe('GitHub tokens stay out of children and output', () => {
  it('no child process gets GITHUB_TOKEN or GH_TOKEN (git push uses the user\'s own git credentials)', () => {
    const env = childEnvironment({ PATH: '/bin', GITHUB_TOKEN: 'a', GH_TOKEN: 'b', GH_ENTERPRISE_TOKEN: 'c', GITHUB_API_URL: 'https://ghe/api/v3' });
    assert.deepEqual(env, { PATH: '/bin', GITHUB_API_URL: 'https://ghe/api/v3' });
  });

  it('token-shaped text is redacted wherever it appears, known to Flotilla or not', () => {
    const classic = `ghp_${'A1b2C3d4'.repeat(5)}`;
    const fine = `github_pat_11ABCDEFG0${'x_Y9'.repeat(10)}`;
    const out = redactSecrets(`token ${classic} and ${fine}; gho_short stays`);
    assert.ok(!out.includes(classic) && !out.includes(fine), out);
    assert.match(out, /token gh…\[redacted\] and gh…\[redacted\]; gho_short stays/);
  });
});
