import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import type { BatchEvent, BatchSummary } from '../../../src/core/batch/batchTypes';
import { runBatch, type BatchRequest } from '../../../src/core/batch/runBatch';
import type { TicketReviewer } from '../../../src/core/batch/ticketReviewer';
import { UsageTally } from '../../../src/core/batch/usageTally';
import { GitClient } from '../../../src/core/git/gitClient';
import { LlmClient, type LlmClientOptions } from '../../../src/core/llm/llmClient';
import { silentLogger } from '../../../src/core/logger';
import { defaultSettings, type Settings } from '../../../src/core/settings/settingsSchema';
import type { BudgetGuard } from '../../../src/core/store/budget';
import { isReservation } from '../../../src/core/llm/reservationRecord';
import type { UsageRecord } from '../../../src/core/llm/usageRecord';
import type { Ticket, TicketFrontMatter } from '../../../src/core/tickets/ticketSchema';
import { textTurn, toolUseTurn } from '../../../src/simulator/responders';
import { startSimulator } from '../../../src/simulator/simulator';
import type { Fault, Responder, Simulator, SimulatedTurn } from '../../../src/simulator/simulatorTypes';

/** What a scripted worker does on one attempt: change a file and finish, finish with no change, or run a long command. */
export type WorkerAct = 'edit' | 'nothing' | 'sleep';

export interface WorkerCall {
  readonly ticketId: string;
  readonly model: string;
  readonly fixing: boolean;
}

/** A ticket as loadTickets would produce it; well specified (files + "should"), so its ceiling is strong. */
export function ticket(id: string, fields: Partial<TicketFrontMatter> & { description?: string } = {}): Ticket {
  const { description, ...front } = fields;
  return {
    id,
    title: `Update the ${id} notes`,
    labels: [],
    dependsOn: [],
    files: [`notes/${id}.txt`],
    model: 'auto',
    review: 'auto',
    acceptance: [],
    status: 'open',
    ...front,
    description: description ?? `The file notes/${id}.txt should say that ${id} is done.`,
    file: `/virtual/${id}.md`,
    extra: {},
    positions: { id: { line: 2, column: 5 }, dependsOn: [] },
  };
}

/** A repository with one commit, as a user's project would be. */
export function makeRepo(): { repo: string; storage: string } {
  const root = mkdtempSync(join(tmpdir(), 'flotilla-batch-'));
  const repo = join(root, 'repo');
  mkdirSync(join(repo, 'notes'), { recursive: true });
  writeFileSync(join(repo, 'notes/README.md'), '# Notes\n');
  const git = (...args: string[]) => execFileSync('git', ['-c', 'user.name=T', '-c', 'user.email=t@t', ...args], { cwd: repo, stdio: 'ignore' });
  git('init', '-q', '-b', 'main');
  git('add', '.');
  git('commit', '-qm', 'initial');
  return { repo, storage: join(root, 'storage') };
}

export function gitIn(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd, encoding: 'utf8' }).trim();
}

const block = z.looseObject({ type: z.string(), text: z.string().optional() });
const content = z.union([z.string(), z.array(block)]);
const workerRequestShape = z.object({
  model: z.string(),
  system: z.union([z.string(), z.array(block)]).optional(),
  messages: z.array(z.object({ role: z.string(), content })),
});
const joinText = (value: z.infer<typeof content> | undefined): string => (value === undefined ? '' : typeof value === 'string' ? value : value.map((b) => b.text ?? '').join('\n'));

/**
 * A simulated model driven by the test: each worker attempt asks `act` what to do. Every attempt that
 * edits writes a different line, so a fix loop always has something new to commit. Anything that is
 * not a worker turn gets plain text.
 */
export function workerResponder(act: (call: WorkerCall) => WorkerAct, calls: WorkerCall[]): Responder {
  let edits = 0;
  return (recorded) => {
    const parsed = workerRequestShape.safeParse(recorded.body);
    if (!parsed.success || !joinText(parsed.data.system).includes('You are a Flotilla worker')) return textTurn('not a worker request');
    const first = joinText(parsed.data.messages[0]?.content);
    const ticketId = /<ticket id="([^"]+)">/.exec(first)?.[1] ?? '?';
    const call: WorkerCall = { ticketId, model: parsed.data.model, fixing: first.includes('did not pass review') };
    const step = parsed.data.messages.filter((m) => m.role === 'assistant').length;
    if (step === 0) calls.push(call);
    const what = act(call);
    const turns: SimulatedTurn[] =
      what === 'edit'
        ? [toolUseTurn('write_file', { path: `notes/${ticketId}.txt`, content: `${ticketId} done by ${call.model} (edit ${++edits})\n` }), toolUseTurn('finish', { summary: `${ticketId} notes written` })]
        : what === 'sleep'
          ? [toolUseTurn('run_command', { command: 'node -e "setTimeout(() => {}, 60000)"' }), toolUseTurn('finish', { summary: 'slept' })]
          : [toolUseTurn('finish', { summary: 'nothing to do' })];
    return turns[Math.min(step, turns.length - 1)] as SimulatedTurn;
  };
}

/** A reviewer whose verdict the test scripts per ticket and attempt (1-based), passing by default. */
export function scriptedReviewer(passes: (ticketId: string, attempt: number) => boolean = () => true): TicketReviewer {
  return async ({ ticket: t, attempt }) => {
    const passed = passes(t.id, attempt);
    return passed
      ? { passed, level: 'standard', summary: 'gates passed', feedback: '', findings: 0 }
      : {
          passed,
          level: 'standard',
          summary: 'test gate failed',
          feedback: `notes/${t.id}.txt: the test still fails`,
          findings: 1,
          gates: [{ name: 'test', command: 'npm test', status: 'fail', exitCode: 1, durationMs: 1200, output: `ok 1 - notes exist\nnot ok 2 - notes/${t.id}.txt says done\n# fail 1\n` }],
        };
  };
}

export interface BatchRun {
  readonly summary: BatchSummary;
  readonly events: BatchEvent[];
  readonly calls: WorkerCall[];
  readonly tally: UsageTally;
  readonly repo: string;
  readonly sim: Simulator;
}

export interface BatchRunOptions {
  readonly tickets: readonly Ticket[];
  readonly act?: (call: WorkerCall) => WorkerAct;
  readonly reviewer?: TicketReviewer;
  readonly settings?: Partial<Settings>;
  readonly request?: Partial<BatchRequest>;
  readonly client?: Partial<LlmClientOptions>;
  /** Wired into the model client as the CLI wires it: reserve before each call, settle after. */
  readonly guard?: BudgetGuard;
  /** Sees every event as it happens (e.g. to abort mid-batch). */
  readonly onEvent?: (event: BatchEvent) => void;
  /** Faults the simulator answers the first model calls with. */
  readonly faults?: readonly Fault[];
  /** Sees every usage record as it is recorded, in order with the events. */
  readonly onRecord?: (record: UsageRecord) => void;
}

/** Runs a real batch (git worktrees, the SDK, the simulator over loopback) with scripted model and review. */
export async function runScriptedBatch(options: BatchRunOptions): Promise<BatchRun> {
  const { repo, storage } = makeRepo();
  const calls: WorkerCall[] = [];
  const sim = await startSimulator({ responder: workerResponder(options.act ?? (() => 'edit'), calls) });
  if (options.faults) sim.injectFaults(...options.faults);
  const tally = new UsageTally();
  if (options.onRecord) tally.onRecord(options.onRecord);
  const events: BatchEvent[] = [];
  const settings: Settings = { ...defaultSettings(), 'batch.concurrency': 3, 'commands.allow': ['node *'], ...options.settings };
  const hooks = options.guard?.clientHooks(async (r) => void (isReservation(r) || tally.add(r)));
  const client = new LlmClient({
    apiKey: 'sk-ant-test',
    baseURL: sim.url,
    recordUsage: hooks?.recordUsage ?? ((r) => tally.add(r)),
    beforeCall: hooks?.beforeCall,
    retry: { maxAttempts: 1 },
    pricing: settings['llm.pricing'],
    ...options.client,
  });
  try {
    const summary = await runBatch(
      {
        batchId: 'B1',
        repo,
        storageDir: storage,
        workspace: 'test-ws',
        tickets: options.tickets,
        settings,
        mode: 'direct',
        simulated: true,
        ...options.request,
        onEvent: (event) => {
          events.push(event);
          options.onEvent?.(event);
        },
      },
      { git: new GitClient(), client, tally, logger: silentLogger, reviewer: options.reviewer ?? scriptedReviewer() },
    );
    return { summary, events, calls, tally, repo, sim };
  } finally {
    await sim.close();
  }
}

export function recordOf(run: Pick<BatchRun, 'summary'>, id: string): BatchSummary['tickets'][number] {
  const record = run.summary.tickets.find((t) => t.id === id);
  if (!record) throw new Error(`no record for ${id}`);
  return record;
}
