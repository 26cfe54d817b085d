import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { errorMessage } from '../../../src/core/errorText';
import { MIN_API_KEY_LENGTH } from '../../../src/core/llm/apiKeyShape';
import { redactSecrets, registerSecret } from '../../../src/core/redactSecrets';
import { apiKeyInputProblem } from '../../../src/vscode/apiKey';
import { demoResponder } from '../../../src/simulator/demo/demoResponder';
import { startSimulator } from '../../../src/simulator/simulator';
import type { Simulator } from '../../../src/simulator/simulatorTypes';
import { cli, makeDemoRepo, tempDir } from '../cli/cliHarness';
import { assertRefused } from './hostileHarness';

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

  it('redactSecrets finds a known secret however JSON or a URL spelled it, and drops the credentials of any URL', () => {
    const secret = 'gw/secret+key"2024-abcd';
    registerSecret(secret);
    const json = JSON.stringify({ echoed: secret });
    const escaped = [...secret].map((c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`).join('');
    // What a reader of the text would get back: JSON escapes and percent-encoding undone.
    const decoded = (text: string) => text.replace(/\\u([0-9a-f]{4})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16))).replace(/\\(["/\\])/g, '$1').replace(/%([0-9A-F]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16)));
    for (const text of [json, `{"echoed":"${escaped}"}`, `?key=${encodeURIComponent(secret)}`]) {
      assert.ok(decoded(text).includes(secret), `the case is real: ${text}`);
      const out = redactSecrets(text);
      assert.ok(!decoded(out).includes(secret), out);
      assert.match(out, /\[redacted\]/);
    }
    assert.equal(redactSecrets('GET http://user:pa55word@127.0.0.1:9/v1/models failed; see https://token@api.example.test/x'), 'GET http://127.0.0.1:9/v1/models failed; see https://api.example.test/x');
    assert.equal(redactSecrets('mail me@example.test, or see http://example.test/a@b'), 'mail me@example.test, or see http://example.test/a@b');
  });

  it(`a key under ${MIN_API_KEY_LENGTH} characters is refused where it is set: the CLI exits 2 before writing anything, Set API Key refuses it`, async () => {
    sim = await startSimulator({ responder: demoResponder() });
    const repo = makeDemoRepo();
    for (const key of ['k7Zq#2p', 'sk-ant-x', 'nineteen-chars-1234']) {
      process.env.ANTHROPIC_API_KEY = key;
      const storage = join(tempDir('short-key'), 'storage');
      const r = await cli('run', '--repo', repo, '--tickets', 'D1', '--mode', 'direct', '--api-base', sim.url, '--storage', storage);
      assertRefused(r, 2, new RegExp(`^flotilla run: The API key has ${key.length} characters; Flotilla accepts keys of ${MIN_API_KEY_LENGTH} or more`));
      assert.ok(![...r.out, ...r.err].join('\n').includes(key), 'the key is not shown');
      assert.ok(!existsSync(storage), 'nothing was written');
      assert.match(apiKeyInputProblem(key) ?? '', new RegExp(`has ${key.length} characters`));
    }
    assert.equal(sim.billed().requests, 0, 'nothing was sent');
    assert.equal(apiKeyInputProblem('sk-ant-api03-a-real-length-key-0123456789'), undefined);
  });

  for (const [shape, key] of [
    ['an Anthropic-shaped key', 'sk-ant-api03-EchoedKey_9vQ2mX7pL4nB8rT1yU6wZ3cD5fG0hJ-AAAA'],
    ['a key of any other shape', 'corp-gateway-key-8f7e6d5c4b3a2910'],
    [`the shortest key accepted (${MIN_API_KEY_LENGTH} characters)`, 'gw-key-20-chars-abcd'],
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
