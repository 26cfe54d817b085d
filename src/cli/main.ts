import { ChangeRequestError } from '../core/batch/batchRuntime';
import { DagError } from '../core/batch/dagErrors';
import { ResumeError } from '../core/batch/resumePlan';
import { UnknownModelError } from '../core/session/batchSelection';
import { BudgetTooSmallError } from '../core/session/budgetPrecheck';
import { ApiKeyMissingError } from '../core/session/endpoint';
import { DecisionNotAllowedError } from '../core/session/decisionRules';
import { SandboxRequiredError } from '../core/session/sandboxNotice';
import { TicketNotReviewableError } from '../core/session/reviewErrors';
import { GitError } from '../core/git/gitErrors';
import { GitHubError } from '../core/tickets/github/githubErrors';
import { InvalidApiBaseError } from '../core/llm/apiBase';
import { UnusableApiKeyError } from '../core/llm/apiKeyShape';
import { StoreError } from '../core/store/storageErrors';
import { processIo, type CliIo } from './cliIo';
import { acceptCommand } from './acceptCommand';
import { demoCommand } from './demoCommand';
import { diffCommand } from './diffCommand';
import { planCommand } from './planCommand';
import { prCommand } from './prCommand';
import { rejectCommand } from './rejectCommand';
import { requestChangesCommand } from './requestChangesCommand';
import { reportCommand } from './reportCommand';
import { resumeCommand } from './resumeCommand';
import { routeCommand } from './routeCommand';
import { runCommand } from './runCommand';
import { statusCommand } from './statusCommand';
import { ticketsList } from './ticketsList';
import { ticketsValidate } from './ticketsValidate';
import { EXIT, UsageError } from './usageError';
import { userPathFailure } from './userPathFailure';
import { errorForLog } from '../core/errorText';
import { redactSecrets } from '../core/redactSecrets';
import { ClaudeCodeNotFoundError } from '../core/worker/workerEngine';

const SELECT = '--repo DIR (--tickets ID,ID | --all) [--concurrency N] [--tier auto|fast|balanced|strong]\n                    [--mode auto|orchestrated|direct|single] [--budget-usd X] [--storage DIR] [--api-base URL] [--simulate] [--json]\n                    [--engine auto|claude-code|builtin] [--source files|github|both] [--query Q] [--github-repo OWNER/NAME]';

const USAGE = `usage: flotilla <command> [options]

commands:
  run ${SELECT}
                    run the tickets as one batch (--simulate: offline, built-in simulated model)
  plan (same options as run)
                    routing, tiers with reasons, schedule and cost estimate; runs no worker
  resume --storage DIR [--batch ID] [--budget-usd X] [--api-base URL] [--simulate] [--json] [--engine auto|claude-code|builtin]
                    continue a batch cut off by Ctrl-C, a crash or a budget stop (default: the newest with
                    tickets left): done tickets and tickets that failed on their own are kept, the rest
                    run again, each named with why; refused (exit 2) while another process holds the batch;
                    the batch's budget holds (--budget-usd lowers it, or raises it and says so)
  route --input TICKETS.jsonl
                    one JSON line per ticket: {id, score, class, tier, reason, maxTier}
  demo [--simulate] [--storage DIR] [--json] [--engine auto|claude-code|builtin]
                    create a sample repository with six tickets in a temp folder and run a batch on it
  report [--storage DIR] [--batch ID] [--format md|json|csv|yaml]
                    a batch's report (default: the newest batch, Markdown): tickets, totals, all batches, metrics
  tickets validate --repo DIR [--folder PATH] [--json]
                    check every ticket file; problems as file:line:col: severity: message
  tickets list [--repo DIR] [--source files|github|both] [--query Q] [--github-repo OWNER/NAME] [--storage DIR] [--json]
                    the tickets a batch could run: ticket files, or GitHub issues (gh-<number>) that the query
                    selects (default label:flotilla; token from GITHUB_TOKEN or GH_TOKEN, an Enterprise
                    server's API from GITHUB_API_URL; the repository is origin's unless --github-repo names it)
  status [--storage DIR] [--batch ID] [--json]
                    a batch's tickets (default: the newest): awaiting review, accepted, rejected, failed (why), cost
  diff [--storage DIR] [--batch ID] TICKET [--file PATH]
                    the ticket's change, as git diff prints it
  accept [--storage DIR] [--batch ID] TICKET [--file PATH] [--comment]
                    merge the ticket (or one file of it) into the repository's current branch
                    (--comment: and comment on its GitHub issue with the summary, the cost and the merge commit)
  reject [--storage DIR] [--batch ID] TICKET [--file PATH]
                    drop the ticket (its worktree and branch are removed) or revert one file of it
  pr [--storage DIR] [--batch ID] TICKET [--github-repo OWNER/NAME]
                    push the ticket's branch to origin (your git credentials) and open a pull request with
                    the verdict, the gates, the cost and "Closes #n" for an issue (token: GITHUB_TOKEN or GH_TOKEN)
  request-changes [--storage DIR] [--batch ID] TICKET --message TEXT [--api-base URL] [--simulate]
                    a fix loop on the ticket with your words, then its gates and review again

exit codes: 0 success, 1 some tickets failed, 2 bad usage or bad input, 3 stopped by a budget limit,
            4 accept would conflict (files named, repository untouched)

environment: ANTHROPIC_API_KEY (the key), FLOTILLA_ALLOW_UNSANDBOXED=1 (where bubblewrap cannot build a
            sandbox, run gates and allowed commands without one), FLOTILLA_SANDBOX_ALLOW_NETWORK=1
            (give them the network)`;

type Command = (args: string[], io: CliIo) => Promise<number>;

const COMMANDS: Readonly<Record<string, Command>> = {
  run: runCommand,
  demo: demoCommand,
  resume: resumeCommand,
  plan: planCommand,
  route: routeCommand,
  report: reportCommand,
  'tickets validate': ticketsValidate,
  'tickets list': ticketsList,
  status: statusCommand,
  diff: diffCommand,
  accept: acceptCommand,
  reject: rejectCommand,
  pr: prCommand,
  'request-changes': requestChangesCommand,
};

/** Runs one CLI invocation and returns its exit code; never calls process.exit itself. */
export async function runCli(argv: string[], rawIo: CliIo = processIo): Promise<number> {
  // Everything the CLI prints passes here: no key reaches a terminal or a CI log.
  const io: CliIo = { out: (line) => rawIo.out(redactSecrets(line)), err: (line) => rawIo.err(redactSecrets(line)) };
  if (argv.length === 0 || argv[0] === '--help' || argv[0] === '-h' || argv[0] === 'help') {
    io.out(USAGE);
    return argv.length === 0 ? EXIT.badInput : EXIT.ok;
  }
  const name = [2, 1].map((n) => argv.slice(0, n).join(' ')).find((candidate) => candidate in COMMANDS);
  const command = name ? COMMANDS[name] : undefined;
  if (!name || !command) {
    io.err(`flotilla: unknown command "${argv.slice(0, 2).join(' ')}"\n\n${USAGE}`);
    return EXIT.badInput;
  }
  try {
    return await command(argv.slice(name.split(' ').length), io);
  } catch (error) {
    if (error instanceof UsageError || error instanceof InvalidApiBaseError || isParseArgsError(error)) {
      // Node's own argument errors can span lines (a value that looks like a flag); the contract is one line.
      io.err(`flotilla ${name}: ${((error as Error).message.split('\n')[0] ?? '').trim()}`);
      return EXIT.badInput;
    }
    // Problems found by the core session before anything was written or spent.
    if (error instanceof BudgetTooSmallError) {
      io.err(`flotilla ${name}: --budget-usd ${error.budgetUsd} is below the cheapest call this batch could make: ${error.detail}`);
      return EXIT.budget;
    }
    if (error instanceof ApiKeyMissingError || UnusableApiKeyError.is(error)) {
      io.err(`flotilla ${name}: ${error.message} ${error.nextStep.terminal}`);
      return EXIT.badInput;
    }
    // A decision that does not apply to the ticket as it stands (accepted, rejected, built on a dependency not accepted);
    // gates that cannot run on this machine (no sandbox, and running without one not allowed).
    if (
      error instanceof UnknownModelError ||
      error instanceof ResumeError ||
      error instanceof ChangeRequestError ||
      error instanceof TicketNotReviewableError ||
      DecisionNotAllowedError.is(error) ||
      SandboxRequiredError.is(error)
    ) {
      io.err(`flotilla ${name}: ${error.message}`);
      return EXIT.badInput;
    }
    // Set-up problems the user can fix: a storage folder that cannot be written, not a git repository, a cycle.
    if (error instanceof ClaudeCodeNotFoundError) {
      io.err(`flotilla ${name}: ${error.message} ${error.nextStep}`);
      return EXIT.badInput;
    }
    // GitHub could not be read or written: which call, what GitHub said and what to do; nothing was lost.
    if (GitHubError.is(error)) {
      io.err(`flotilla ${name}: ${error.message}; ${error.nextStep}`);
      return EXIT.badInput;
    }
    if (error instanceof StoreError || error instanceof GitError || error instanceof DagError) {
      const next = error instanceof StoreError ? ` ${error.nextStep}` : '';
      io.err(`flotilla ${name}: ${error.message}${next}`);
      return EXIT.badInput;
    }
    const pathProblem = userPathFailure(error, argv);
    if (pathProblem !== undefined) {
      io.err(`flotilla ${name}: ${pathProblem}`);
      return EXIT.badInput;
    }
    throw error;
  }
}

function isParseArgsError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS_');
}

if (require.main === module) {
  // `flotilla status | head`: the reader went away, which is not an error of ours; stop quietly as
  // other command-line tools do (a running batch keeps its state, as after Ctrl-C).
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw error;
  });
  runCli(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`flotilla: internal error: ${errorForLog(error)}\n`);
      // Exit now: a crash may leave a server or timer (the simulator, a heartbeat) holding the process open.
      process.exit(70);
    },
  );
}
