import { join } from 'node:path';
import type { Logger } from '../../logger';
import { MeteringProxy, type UsageMeter } from '../../llm/meteringProxy';
import { ModelCost } from '../../llm/modelCost';
import type { Upstream } from '../../llm/proxyForward';
import type { Settings } from '../../settings/settingsSchema';
import { batchDir } from '../../store/storagePaths';
import type { TicketWorkerRequest, TicketWorkerResult } from '../runTicketWorker';
import { finishTicketRun, openTicketRun } from '../ticketRun';
import type { WorkerEngine } from '../workerEngine';
import { prepareRunConfig } from './claudeCodeRunConfig';
import { runClaudeCodeSession } from './claudeCodeSession';
import { readProjectClaudeConfig, type ProjectClaudeConfig } from './projectClaudeConfig';

export interface ClaudeCodeEngineOptions {
  readonly executable: string;
  readonly reason: string;
  readonly settings: Settings;
  readonly upstream: Upstream;
  readonly meter: UsageMeter;
  readonly logger: Logger;
  /** The environment Flotilla runs in, which says where the user's Claude Code configuration is; defaults to this process's. */
  readonly userEnv?: NodeJS.ProcessEnv;
}

/**
 * Claude Code as a worker engine: each ticket run is one `query()` of the Agent SDK in the ticket's
 * worktree, confined by canUseTool and a PreToolUse hook, configured from the user's own settings
 * and the repository's at the base commit (laid out afresh for every run in its own folder under
 * the batch, never read from the worktree), with every API request going through one metering proxy
 * per batch (started on the first run, closed with the batch).
 */
export class ClaudeCodeEngine implements WorkerEngine {
  readonly name = 'claude-code' as const;
  readonly reason: string;
  private proxy: Promise<MeteringProxy> | undefined;
  /** The repository's Claude Code configuration per base commit: read from git once per batch. */
  private readonly projectConfigs = new Map<string, Promise<ProjectClaudeConfig>>();

  constructor(private readonly options: ClaudeCodeEngineOptions) {
    this.reason = options.reason;
  }

  readonly run = async (request: TicketWorkerRequest): Promise<TicketWorkerResult> => {
    const proxy = await this.startedProxy();
    const { worktree, transcript, transcriptFile, hooksPath } = await openTicketRun(request, 'claude-code');
    const config = await prepareRunConfig({
      runDir: join(batchDir(request.storageDir, request.batchId), 'claude', request.ticket.id),
      project: await this.projectConfig(request),
      repoRoot: request.repoRoot,
      userEnv: this.options.userEnv ?? process.env,
      logger: this.options.logger,
    });
    const outcome = await runClaudeCodeSession({
      request,
      worktree: worktree.path,
      transcript,
      proxy,
      executable: this.options.executable,
      allowWebTools: this.options.settings['worker.allowWebTools'],
      fastModel: this.options.settings['llm.tiers'].fast,
      logger: this.options.logger,
      config,
      hooksPath,
    });
    return finishTicketRun(request, worktree, transcriptFile, outcome);
  };

  async close(): Promise<void> {
    const proxy = this.proxy;
    this.proxy = undefined;
    if (proxy) await (await proxy).close();
  }

  private projectConfig(request: TicketWorkerRequest): Promise<ProjectClaudeConfig> {
    const key = `${request.repoRoot}\0${request.baseCommit}`;
    let config = this.projectConfigs.get(key);
    if (!config) {
      config = readProjectClaudeConfig(request.git, request.repoRoot, request.baseCommit, this.options.logger);
      // A failed read (a cancelled git call) is tried again by the next run rather than remembered.
      config.catch(() => this.projectConfigs.delete(key));
      this.projectConfigs.set(key, config);
    }
    return config;
  }

  private startedProxy(): Promise<MeteringProxy> {
    this.proxy ??= MeteringProxy.start({
      upstream: this.options.upstream,
      meter: this.options.meter,
      cost: new ModelCost({ overrides: this.options.settings['llm.pricing'], logger: this.options.logger }),
      logger: this.options.logger,
    });
    return this.proxy;
  }
}
