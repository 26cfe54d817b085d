import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { errorMessage } from '../../../src/core/errorText';
import { redactSecrets } from '../../../src/core/redactSecrets';
import { demoResponder } from '../../../src/simulator/demo/demoResponder';
import { startSimulator } from '../../../src/simulator/simulator';
import type { Simulator } from '../../../src/simulator/simulatorTypes';
import { cli, makeDemoRepo, tempDir } from '../cli/cliHarness';

/** Every file below `dir`, as text. */
function allText(dir: string): { file: string; text: string }[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' }).flatMap((name) => {
    const file = join(dir, name);
    return statSync(file).isFile() ? [{ file, text: readFileSync(file, 'utf8') }] : [];
  });
}

/** Issue 11 item 7: an error body that echoes the key is never stored or shown. */
describe('hostile API errors: the key is redacted from everything stored or shown', function () {
  this.timeout(60_000);
  const saved = process.env.ANTHROPIC_API_KEY;
  let sim: Simulator | undefined;
  afterEach(async () => {
    if (saved === undefined) delete process.env.ANTHROPIC_API_KEY;
    else process.env.ANTHROPIC_API_KEY = saved;
    await sim?.close();
  });

  it('redactSecrets removes anything shaped like an Anthropic key, and the configured key whatever its shape', () => {
    process.env.ANTHROPIC_API_KEY = 'corp-gateway-7f3a9b2c1d';
    const text = redactSecrets('bad key sk-ant-api03-AbC_dEf-123 and corp-gateway-7f3a9b2c1d, "sk-ant-admin01-x9"');
    assert.doesNotMatch(text, /sk-ant-api03-AbC|sk-ant-admin01-x9|corp-gateway-7f3a9b2c1d/);
    assert.match(text, /bad key sk-ant-… and \[redacted\], "sk-ant-…"/);
    assert.equal(errorMessage(new Error('401: sk-ant-api03-zzz')), '401: sk-ant-…');
    assert.equal(redactSecrets('nothing secret here'), 'nothing secret here');
  });

  for (const [shape, key] of [
    ['an Anthropic-shaped key', 'sk-ant-api03-EchoedKey_9vQ2mX7pL4nB8rT1yU6wZ3cD5fG0hJ-AAAA'],
    ['a key of any other shape', 'corp-gateway-key-8f7e6d5c4b3a2910'],
  ] as const) {
    it(`a 500 then a 401 that echo ${shape}: 0 occurrences under storage, on stdout or stderr (--json and text)`, async () => {
      process.env.ANTHROPIC_API_KEY = key;
      for (const json of [true, false]) {
        sim = await startSimulator({ responder: demoResponder() });
        sim.injectFaults({ kind: 'echo_key', status: 500 }, { kind: 'echo_key', status: 401 });
        const repo = makeDemoRepo();
        const storage = join(tempDir('redact'), 'storage');
        const r = await cli('run', '--repo', repo, '--tickets', 'D1,D2', '--mode', 'direct', '--api-base', sim.url, '--storage', storage, ...(json ? ['--json'] : []));
        const shown = [...r.out, ...r.err].join('\n');
        assert.equal(r.code, 1, shown);
        assert.match(shown, /API key was not accepted/, 'the 401 was reported');
        const stored = allText(storage);
        assert.ok(stored.some((f) => f.file.endsWith('state.json')) && stored.some((f) => f.file.endsWith('.jsonl')), 'state and transcripts were written');
        const leaks = [...stored.filter((f) => f.text.includes(key)).map((f) => f.file), ...(shown.includes(key) ? ['stdout/stderr'] : [])];
        assert.deepEqual(leaks, [], `the key was written to: ${leaks.join(', ')}`);
        assert.ok(stored.some((f) => f.text.includes(key.startsWith('sk-ant-') ? 'sk-ant-…' : '[redacted]')), 'the echo was kept, redacted');
        await sim.close();
        sim = undefined;
      }
    });
  }
});
