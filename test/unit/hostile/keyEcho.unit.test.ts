import assert from 'node:assert/strict';
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import Anthropic from '@anthropic-ai/sdk';
import { MeteringProxy } from '../../../src/core/llm/meteringProxy';
import { ModelCost } from '../../../src/core/llm/modelCost';
import { ProxyKeyRedaction } from '../../../src/core/llm/proxyRedaction';
import type { ProxyRun } from '../../../src/core/llm/proxyRun';
import { silentLogger } from '../../../src/core/logger';
import { ECHO_KINDS, escapedEverywhere, startEchoingUpstream, type EchoingUpstream } from './echoingUpstream';

/** A key with the characters JSON may escape (`/`) and percent-encoding changes (`/`, `+`). */
const KEY = 'sk-ant-api03-Echo/Key+9vQ2mX7pL4nB8rT1yU6wZ3cD5fG0hJ-AAAA';
const MASK = '*'.repeat(KEY.length);
const TAGS = { workspace: 'ws', batchId: 'B1', ticketId: 'T1', stage: 'work', tier: 'fast', engine: 'claude-code' } as const;

const unescapeJson = (text: string): string => text.replace(/\\u([0-9a-fA-F]{4})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16))).replace(/\\([/"\\])/g, '$1');
const unescapePercent = (text: string): string => text.replace(/%([0-9a-fA-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));

/** The text a client puts together from a stream: each content block's delta fields, concatenated. */
function deltaTexts(body: string): string[] {
  const joined = new Map<string, string>();
  for (const event of body.split(/\n\n/)) {
    const data = event.split('\n').find((l) => l.startsWith('data: '));
    if (!data) continue;
    const parsed = JSON.parse(data.slice(6)) as { type: string; index?: number; delta?: Record<string, unknown> };
    if (parsed.type !== 'content_block_delta' || !parsed.delta) continue;
    for (const [field, value] of Object.entries(parsed.delta)) {
      if (field !== 'type' && typeof value === 'string') joined.set(`${parsed.index}:${field}`, (joined.get(`${parsed.index}:${field}`) ?? '') + value);
    }
  }
  return [...joined.values()];
}

/** Every way a worker could read the key back out of an answer: as sent, unescaped, percent-decoded, reassembled from deltas. */
function readings(headers: IncomingHttpHeaders, body: string): string[] {
  const raw = `${JSON.stringify(headers)}\n${body}`;
  const texts = [raw, ...deltaTexts(body)];
  return texts.flatMap((t) => [t, unescapeJson(t), unescapePercent(t), unescapePercent(unescapeJson(t))]);
}

interface RawAnswer {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

/** A worker's request as bytes on the wire, so the test sees exactly what the worker would. */
function send(run: ProxyRun, token: string, method: string, path: string, headers: Record<string, string>, body?: string): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(`${run.baseURL}${path}`, { method, headers: { 'x-api-key': token, 'content-type': 'application/json', ...headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** Issue 20 item 3: an upstream that echoes the real key never gets it to the worker. */
describe('hostile upstream: the metering proxy never relays the real key', function () {
  this.timeout(120_000);
  let upstream: EchoingUpstream;
  let proxy: MeteringProxy;
  let run: ProxyRun;
  before(async () => {
    upstream = await startEchoingUpstream();
    proxy = await MeteringProxy.start({
      upstream: { baseURL: upstream.url, apiKey: KEY },
      meter: { beforeCall: () => undefined, recordUsage: async () => undefined },
      cost: new ModelCost({ logger: silentLogger }),
      logger: silentLogger,
    });
    run = proxy.openRun(TAGS, { maxCostUsd: 1_000, maxOutputTokens: 100_000_000 });
  });
  after(async () => {
    await proxy.close();
    await upstream.close();
  });

  it('120 echoing answers (headers, JSON, escaped, percent-encoded, streams split across deltas and chunks): the key in none', async () => {
    const leaks: string[] = [];
    let masked = 0;
    const message = JSON.stringify({ model: 'claude-echo', max_tokens: 100, messages: [{ role: 'user', content: 'echo' }] });
    for (let i = 0; i < 120; i++) {
      const kind = ECHO_KINDS[i % ECHO_KINDS.length] as string;
      const split = String(1 + ((i * 7) % (KEY.length - 1)));
      const answer = await send(run, proxy.token, 'POST', '/v1/messages', { 'x-echo-kind': kind, 'x-echo-split': split }, message);
      assert.equal(answer.status, kind === 'error' ? 401 : 200, `${kind}: ${answer.body}`);
      if (readings(answer.headers, answer.body).some((r) => r.includes(KEY))) leaks.push(`answer ${i} (${kind}, split at ${split})`);
      if (answer.body.includes(MASK) || deltaTexts(answer.body).some((t) => t.includes(MASK))) masked += 1;
    }
    assert.deepEqual(leaks, [], 'the worker saw the key');
    assert.equal(upstream.answered(), 120);
    assert.equal(masked, 120, 'every echo arrived, masked');
  });

  it('count_tokens and the models list: the echo is masked there too', async () => {
    const counted = await send(run, proxy.token, 'POST', '/v1/messages/count_tokens', {}, JSON.stringify({ model: 'claude-echo', messages: [] }));
    const models = await send(run, proxy.token, 'GET', '/v1/models', {});
    for (const answer of [counted, models]) {
      assert.equal(answer.status, 200, answer.body);
      assert.ok(!readings(answer.headers, answer.body).some((r) => r.includes(KEY)), answer.body);
      assert.equal(JSON.parse(answer.body).input_tokens, 3, 'still valid JSON');
    }
  });

  it('a client like Claude Code (the official SDK) reads the streamed and JSON answers with the key masked', async () => {
    for (const kind of ['text-stream', 'byte-stream', 'tool-stream', 'json'] as const) {
      const client = new Anthropic({ apiKey: proxy.token, baseURL: run.baseURL, maxRetries: 0, defaultHeaders: { 'x-echo-kind': kind, 'x-echo-split': '9' } });
      const final = kind === 'json' ? await client.messages.create({ model: 'claude-echo', max_tokens: 100, messages: [{ role: 'user', content: 'echo' }] }) : await client.messages.stream({ model: 'claude-echo', max_tokens: 100, messages: [{ role: 'user', content: 'echo' }] }).finalMessage();
      const seen = JSON.stringify(final);
      assert.ok(!seen.includes(KEY) && !unescapeJson(seen).includes(KEY), `${kind}: ${seen}`);
      const block = final.content[0];
      if (kind === 'tool-stream') assert.deepEqual(block?.type === 'tool_use' ? block.input : undefined, { token: '*'.repeat(escapedEverywhere(KEY).length), again: MASK });
      else if (kind === 'json') assert.equal(block?.type === 'text' ? block.text : '', `You sent ${MASK}.`);
      else assert.equal(block?.type === 'text' ? block.text : '', `The key is ${MASK}, again: ${MASK}`);
    }
  });

  it('the redactors, cut at every byte: what comes out is the input with the key masked, nothing else changed', () => {
    const redaction = new ProxyKeyRedaction([KEY]);
    const json = `{"a":"${KEY}","b":"${escapedEverywhere(KEY)}","c":"${encodeURIComponent(KEY)}","d":"ü ${KEY.slice(0, 20)}"}`;
    const jsonMasked = `{"a":"${MASK}","b":"${'*'.repeat(escapedEverywhere(KEY).length)}","c":"${'*'.repeat(encodeURIComponent(KEY).length)}","d":"ü ${KEY.slice(0, 20)}"}`;
    const half = 13;
    const stream = [
      `event: content_block_delta\ndata: ${JSON.stringify({ type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: `x ${KEY.slice(0, half)}` } })}\n\n`,
      `event: content_block_delta\ndata: ${JSON.stringify({ type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: `${KEY.slice(half)} y s` } })}\n\n`,
      `event: content_block_stop\ndata: {"type":"content_block_stop","index":0}\n\n`,
    ].join('');
    for (let cut = 0; cut <= Buffer.byteLength(json); cut++) {
      const bytes = Buffer.from(json);
      const redactor = redaction.body({ 'content-type': 'application/json' });
      const out = Buffer.concat([redactor.push(bytes.subarray(0, cut)), redactor.push(bytes.subarray(cut)), redactor.end()]).toString('utf8');
      assert.equal(out, jsonMasked, `cut at ${cut}`);
    }
    for (let cut = 0; cut <= Buffer.byteLength(stream); cut++) {
      const bytes = Buffer.from(stream);
      const redactor = redaction.body({ 'content-type': 'text/event-stream' });
      const out = Buffer.concat([redactor.push(bytes.subarray(0, cut)), redactor.push(bytes.subarray(cut)), redactor.end()]).toString('utf8');
      assert.deepEqual(deltaTexts(out), [`x ${MASK} y s`], `cut at ${cut}: ${out}`);
      assert.ok(!out.includes(KEY), `cut at ${cut}`);
    }
  });
});
