import type { Logger } from '../../logger';
import { MeteringProxy, type UsageMeter } from '../../llm/meteringProxy';
import { ModelCost } from '../../llm/modelCost';
import type { Upstream } from '../../llm/proxyForward';
import type { Settings } from '../../settings/settingsSchema';
import type { TicketWorkerRequest, TicketWorkerResult } from '../runTicketWorker';
import { finishTicketRun, openTicketRun } from '../ticketRun';
import type { WorkerEngine } from '../workerEngine';
import { runClaudeCodeSession } from './claudeCodeSession';

export interface ClaudeCodeEngineOptions {
  readonly executable: string;
  readonly reason: string;
  readonly settings: Settings;
  readonly upstream: Upstream;
  readonly meter: UsageMeter;
  readonly logger: Logger;
}

/**
 * Claude Code as a worker engine: each ticket run is one `query()` of the Agent SDK in the ticket's
 * worktree, confined by canUseTool and a PreToolUse hook, with every API request going through one
 * metering proxy per batch (started on the first run, closed with the batch).
 */
export class ClaudeCodeEngine implements WorkerEngine {
  readonly name = 'claude-code' as const;
  readonly reason: string;
  private proxy: Promise<MeteringProxy> | undefined;

  constructor(private readonly options: ClaudeCodeEngineOptions) {
    this.reason = options.reason;
  }

  readonly run = async (request: TicketWorkerRequest): Promise<TicketWorkerResult> => {
    const proxy = await this.startedProxy();
    const { worktree, transcript, transcriptFile, hooksPath } = await openTicketRun(request, 'claude-code');
    const outcome = await runClaudeCodeSession({
      request,
      worktree: worktree.path,
      transcript,
      proxy,
      executable: this.options.executable,
      allowWebTools: this.options.settings['worker.allowWebTools'],
      fastModel: this.options.settings['llm.tiers'].fast,
      logger: this.options.logger,
      hooksPath,
    });
    return finishTicketRun(request, worktree, transcriptFile, outcome);
  };

  async close(): Promise<void> {
    const proxy = this.proxy;
    this.proxy = undefined;
    if (proxy) await (await proxy).close();
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
