import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fakeIssue, issueJson, matchesListFilters, pullJson, type FakeComment, type FakeIssue, type FakeIssueInput, type FakePull } from './githubFakeData';

/**
 * A local fake of GitHub's REST API (127.0.0.1, an ephemeral port) for the unit, CLI and e2e tests:
 * the issue list with pagination and ETags (a 304 costs no rate limit, as on GitHub), the issue
 * dependencies endpoint ("blocked by"), milestones, `GET /user`, the repository, pull requests and
 * issue comments, with rate-limit answers, 401 for a bad token and 404 for an unknown repository.
 * Every request is logged, and every write separately, so tests assert on exactly what it received.
 */

export interface GitHubFakeOptions {
  readonly owner: string;
  readonly repo: string;
  /** The one token the fake accepts. */
  readonly token: string;
  readonly login?: string;
  readonly issues?: readonly FakeIssueInput[];
  readonly milestones?: readonly string[];
  /** false: the dependencies endpoint answers 404, as an older Enterprise server does. */
  readonly dependencies?: boolean;
  readonly rateLimit?: number;
  readonly defaultBranch?: string;
  /** The largest page the fake serves (GitHub's is 100); small values force pagination. */
  readonly maxPageSize?: number;
  /** Pull request creation answers 422 unless the head branch exists (e.g. was pushed to the bare origin). */
  readonly headExists?: (branch: string) => Promise<boolean>;
}

export interface FakeRequestLog {
  readonly method: string;
  readonly path: string;
  readonly query: string;
  readonly status: number;
  readonly authorization: string | undefined;
}

export interface FakeWriteLog {
  readonly method: string;
  readonly path: string;
  readonly body: unknown;
  readonly status: number;
}

export interface FakeFault {
  readonly method?: string;
  /** Matched against the path (no query). */
  readonly path: RegExp;
  readonly status: number;
  readonly message: string;
  readonly headers?: Readonly<Record<string, string>>;
  /** How many matching requests fail; default 1. */
  times?: number;
}

class FakeAnswer {
  constructor(
    readonly status: number,
    readonly body: unknown,
    readonly headers: Readonly<Record<string, string>> = {},
  ) {}
}

export class GitHubFake {
  readonly requests: FakeRequestLog[] = [];
  readonly writes: FakeWriteLog[] = [];
  readonly issues = new Map<number, FakeIssue>();
  readonly pulls: FakePull[] = [];
  readonly comments: FakeComment[] = [];
  readonly rate: { limit: number; remaining: number; resetEpoch: number };
  private readonly faults: FakeFault[] = [];
  private tokenValid = true;
  private dependencies: boolean;
  private nextNumber: number;

  private constructor(
    private readonly server: Server,
    readonly url: string,
    private readonly options: GitHubFakeOptions,
  ) {
    for (const input of options.issues ?? []) this.issues.set(input.number, fakeIssue(input));
    this.nextNumber = Math.max(0, ...this.issues.keys()) + 1;
    this.dependencies = options.dependencies ?? true;
    this.rate = { limit: options.rateLimit ?? 5000, remaining: options.rateLimit ?? 5000, resetEpoch: Math.floor(Date.now() / 1000) + 3600 };
  }

  static async start(options: GitHubFakeOptions): Promise<GitHubFake> {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const fake = new GitHubFake(server, `http://127.0.0.1:${port}`, options);
    server.on('request', (req, res) => void fake.handle(req, res));
    return fake;
  }

  /** `owner/name`. */
  get slug(): string {
    return `${this.options.owner}/${this.options.repo}`;
  }

  /** Where the fake's issues and pull requests "live" on the web (their html_url prefix). */
  get web(): string {
    return `${this.url}/${this.slug}`;
  }

  setIssue(input: FakeIssueInput): void {
    this.issues.set(input.number, fakeIssue(input));
    this.nextNumber = Math.max(this.nextNumber, input.number + 1);
  }

  /** The token expires: every request answers 401 from now on. */
  expireToken(): void {
    this.tokenValid = false;
  }

  setDependenciesEndpoint(available: boolean): void {
    this.dependencies = available;
  }

  fail(fault: FakeFault): void {
    this.faults.push({ ...fault, times: fault.times ?? 1 });
  }

  setPullState(pullNumber: number, state: 'merged' | 'closed' | 'open'): void {
    const pull = this.pulls.find((p) => p.number === pullNumber);
    if (!pull) throw new Error(`no pull request #${pullNumber}`);
    pull.state = state === 'open' ? 'open' : 'closed';
    pull.merged = state === 'merged';
  }

  /** Requests that cost rate limit (answered 2xx or 4xx, not 304), as GitHub counts them. */
  get rateLimitUsed(): number {
    return this.rate.limit - this.rate.remaining;
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.url);
    const method = req.method ?? 'GET';
    const text = await readText(req);
    let body: unknown;
    try {
      body = text === '' ? undefined : JSON.parse(text);
    } catch {
      body = text;
    }
    const answer = await this.answer(method, url, req, body).catch((error: unknown) => new FakeAnswer(500, { message: `fake GitHub failed: ${String(error)}` }));
    const authorization = req.headers.authorization;
    this.requests.push({ method, path: url.pathname, query: url.search, status: answer.status, authorization });
    if (method !== 'GET' && method !== 'HEAD') this.writes.push({ method, path: url.pathname, body, status: answer.status });
    const headers: Record<string, string> = {
      'x-ratelimit-limit': String(this.rate.limit),
      'x-ratelimit-remaining': String(this.rate.remaining),
      'x-ratelimit-reset': String(this.rate.resetEpoch),
      'x-ratelimit-used': String(this.rateLimitUsed),
      ...answer.headers,
    };
    if (answer.status === 304) {
      res.writeHead(304, headers);
      res.end();
      return;
    }
    const json = JSON.stringify(answer.body);
    res.writeHead(answer.status, { ...headers, 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(json) });
    res.end(json);
  }

  private async answer(method: string, url: URL, req: IncomingMessage, body: unknown): Promise<FakeAnswer> {
    const path = url.pathname;
    const fault = this.faults.find((f) => (f.times ?? 0) > 0 && f.path.test(path) && (f.method === undefined || f.method === method));
    if (fault) {
      fault.times = (fault.times ?? 1) - 1;
      return new FakeAnswer(fault.status, { message: fault.message, documentation_url: 'https://docs.github.com/rest' }, fault.headers);
    }
    const given = /^(?:token|bearer)\s+(.+)$/i.exec(req.headers.authorization ?? '')?.[1];
    if (!this.tokenValid || given !== this.options.token) return new FakeAnswer(401, { message: 'Bad credentials', documentation_url: 'https://docs.github.com/rest' });
    if (this.rate.remaining <= 0) {
      return new FakeAnswer(403, { message: 'API rate limit exceeded for user ID 1.' }, { 'x-ratelimit-remaining': '0' });
    }
    const answer = await this.route(method, url, body);
    if (method === 'GET' && answer.status === 200) {
      const etag = `W/"${createHash('sha1').update(JSON.stringify(answer.body)).digest('hex')}"`;
      // Unchanged since the client's copy: 304, and no rate limit spent (GitHub's rule for conditional requests).
      if (req.headers['if-none-match'] === etag) return new FakeAnswer(304, undefined, { etag, ...pick(answer.headers, 'link') });
      this.rate.remaining--;
      return new FakeAnswer(200, answer.body, { ...answer.headers, etag });
    }
    this.rate.remaining--;
    return answer;
  }

  private async route(method: string, url: URL, body: unknown): Promise<FakeAnswer> {
    const path = url.pathname;
    const login = this.options.login ?? 'flotilla-user';
    if (method === 'GET' && path === '/user') return new FakeAnswer(200, { login, id: 1 });
    const repoPrefix = `/repos/${this.slug}`;
    if (!path.startsWith('/repos/')) return notFound();
    if (path !== repoPrefix && !path.startsWith(`${repoPrefix}/`)) return notFound();
    const rest = path.slice(repoPrefix.length);
    const milestones = this.options.milestones ?? [];
    if (method === 'GET' && rest === '') return new FakeAnswer(200, { full_name: this.slug, default_branch: this.options.defaultBranch ?? 'main', html_url: this.web });
    if (method === 'GET' && rest === '/issues') {
      const all = [...this.issues.values()].sort((a, b) => b.number - a.number).filter((i) => matchesListFilters(i, url.searchParams, login, milestones));
      return this.page(url, all.map((i) => issueJson(i, this.web, milestones)));
    }
    if (method === 'GET' && rest === '/milestones') return this.page(url, milestones.map((title, i) => ({ number: i + 1, title, state: 'open' })));
    const blockedBy = /^\/issues\/(\d+)\/dependencies\/blocked_by$/.exec(rest);
    if (method === 'GET' && blockedBy) {
      const issue = this.issues.get(Number(blockedBy[1]));
      if (!this.dependencies || !issue) return notFound();
      return this.page(url, issue.blockedBy.flatMap((n) => (this.issues.has(n) ? [issueJson(this.issues.get(n) as FakeIssue, this.web, milestones)] : [])));
    }
    const comments = /^\/issues\/(\d+)\/comments$/.exec(rest);
    if (method === 'POST' && comments) {
      const text = (body as { body?: unknown } | undefined)?.body;
      if (typeof text !== 'string' || !this.issues.has(Number(comments[1]))) return new FakeAnswer(422, { message: 'Validation Failed' });
      this.comments.push({ issueNumber: Number(comments[1]), body: text });
      return new FakeAnswer(201, { id: this.comments.length, body: text, html_url: `${this.web}/issues/${comments[1]}#issuecomment-${this.comments.length}` });
    }
    if (method === 'POST' && rest === '/pulls') return this.createPull(body);
    if (method === 'GET' && rest === '/pulls') {
      const head = url.searchParams.get('head');
      const state = url.searchParams.get('state') ?? 'open';
      const found = this.pulls.filter((p) => (head === null || `${this.options.owner}:${p.head}` === head) && (state === 'all' || p.state === state));
      return new FakeAnswer(200, [...found].reverse().map((p) => pullJson(p, this.web)));
    }
    const pull = /^\/pulls\/(\d+)$/.exec(rest);
    if (method === 'GET' && pull) {
      const found = this.pulls.find((p) => p.number === Number(pull[1]));
      return found ? new FakeAnswer(200, pullJson(found, this.web)) : notFound();
    }
    return notFound();
  }

  private async createPull(body: unknown): Promise<FakeAnswer> {
    const request = (body ?? {}) as Partial<Record<'title' | 'head' | 'base' | 'body', unknown>>;
    const { title, head, base } = request;
    if (typeof title !== 'string' || typeof head !== 'string' || typeof base !== 'string') return new FakeAnswer(422, { message: 'Validation Failed', errors: [{ resource: 'PullRequest', code: 'missing_field' }] });
    if (this.options.headExists && !(await this.options.headExists(head))) {
      return new FakeAnswer(422, { message: 'Validation Failed', errors: [{ resource: 'PullRequest', field: 'head', code: 'invalid' }] });
    }
    if (this.pulls.some((p) => p.head === head && p.state === 'open')) {
      return new FakeAnswer(422, { message: 'Validation Failed', errors: [{ resource: 'PullRequest', code: 'custom', message: `A pull request already exists for ${this.options.owner}:${head}.` }] });
    }
    const pull: FakePull = { number: this.nextNumber++, title, head, base, body: typeof request.body === 'string' ? request.body : '', state: 'open', merged: false };
    this.pulls.push(pull);
    return new FakeAnswer(201, pullJson(pull, this.web));
  }

  /** One page of a list, with GitHub's Link header to the next and last pages. */
  private page(url: URL, items: readonly unknown[]): FakeAnswer {
    const perPage = Math.min(Number(url.searchParams.get('per_page') ?? 30) || 30, this.options.maxPageSize ?? 100);
    const page = Math.max(1, Number(url.searchParams.get('page') ?? 1) || 1);
    const last = Math.max(1, Math.ceil(items.length / perPage));
    const link = (n: number) => {
      const next = new URL(url);
      next.searchParams.set('page', String(n));
      return next.toString();
    };
    const links: string[] = [];
    if (page < last) links.push(`<${link(page + 1)}>; rel="next"`, `<${link(last)}>; rel="last"`);
    if (page > 1) links.push(`<${link(1)}>; rel="first"`, `<${link(page - 1)}>; rel="prev"`);
    return new FakeAnswer(200, items.slice((page - 1) * perPage, page * perPage), links.length > 0 ? { link: links.join(', ') } : {});
  }
}

function notFound(): FakeAnswer {
  return new FakeAnswer(404, { message: 'Not Found', documentation_url: 'https://docs.github.com/rest' });
}

function pick(headers: Readonly<Record<string, string>>, name: string): Record<string, string> {
  return headers[name] === undefined ? {} : { [name]: headers[name] };
}

async function readText(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
