import { z } from 'zod';
import { pricingOverridesSchema } from '../llm/pricing';
import { tierModelsSchema } from '../llm/tiers';
import { TICKET_SOURCES } from '../tickets/ticketSourceChoice';

const count = (min: number, max: number, fallback: number) => z.number().int().min(min).max(max).default(fallback);
const commandLine = z.string().trim().default('');

/**
 * Every `flotilla.*` setting, keyed as in package.json without the prefix. package.json's
 * `contributes.configuration` must list the same keys and defaults (a unit test holds them together).
 * The CLI uses the same defaults, overridden by its flags.
 */
export const settingsShape = {
  'tickets.folder': z
    .string()
    .trim()
    .min(1, 'a folder path, relative to the workspace folder or absolute')
    .default('.flotilla/tickets'),
  'tickets.source': z.enum(TICKET_SOURCES).default('files'),
  // The issue list's filter (issueQuery.ts); checked when the issues are listed, where the message can name the term.
  'github.query': z.string().trim().default('label:flotilla'),
  // OWNER/NAME, or empty for the repository `origin` names (githubRepository.ts checks it when used).
  'github.repository': z.string().trim().default(''),
  // Empty: GitHub.com. The token is sent here, so a workspace cannot set it (package.json scope "application").
  'github.apiUrl': z.string().trim().default(''),
  'github.commentOnAccept': z.boolean().default(false),
  provider: z.enum(['anthropic', 'simulated']).default('anthropic'),
  'llm.tiers': tierModelsSchema,
  'llm.pricing': pricingOverridesSchema.default({}),
  'batch.concurrency': count(1, 16, 3),
  'batch.maxFixLoops': count(0, 5, 1),
  'batch.maxEscalations': count(0, 2, 2),
  'batch.ticketTimeoutMinutes': count(1, 24 * 60, 30),
  'worker.maxTurns': count(1, 500, 40),
  'worker.maxOutputTokens': count(1_000, 10_000_000, 60_000),
  'worker.maxCostUsd': z.number().positive().max(1_000).default(2),
  'worker.engine': z.enum(['auto', 'claude-code', 'builtin']).default('auto'),
  'worker.claudeCodePath': z.string().trim().default(''),
  'worker.allowWebTools': z.boolean().default(false),
  // argv prefixes; plain arguments inside the worktree may follow, options only when an entry ends in
  // " *" (`npx eslint *`). The rule and its checks: worker/tools/commandAdmission.ts. Commands run the
  // project's code as the model left it, i.e. untrusted code (README, "Settings").
  'commands.allow': z.array(z.string().trim().min(1)).default([]),
  'commands.timeoutSeconds': count(1, 3_600, 300),
  // Gates, allowed commands and Claude Code run under bubblewrap (process/sandbox.ts). Both switches
  // widen what model-written code can reach, so only the user's own settings may turn them on.
  'sandbox.allowNetwork': z.boolean().default(false),
  'sandbox.allowUnsandboxed': z.boolean().default(false),
  'gates.build': commandLine,
  'gates.lint': commandLine,
  'gates.test': commandLine,
  'review.alwaysFullFor': z.array(z.string().trim().min(1)).default([]),
  'routing.threshold': z.number().min(0).max(1).default(0.7),
  'routing.minSamples': count(1, 1_000, 5),
  'routing.explorationShare': z.number().min(0).max(1).default(0.1),
  'budget.monthlyUsd': z.number().nonnegative().default(0),
  'budget.batchUsd': z.number().nonnegative().default(0),
  'budget.softAlertPercent': count(1, 100, 80),
  'budget.display': z.enum(['usd', 'tokens']).default('usd'),
} as const;

export const settingsSchema = z.object(settingsShape);
export type Settings = z.infer<typeof settingsSchema>;
export type SettingKey = keyof typeof settingsShape;

export interface SettingProblem {
  readonly key: SettingKey;
  readonly message: string;
}

/** The settings with every value at its default (what the CLI starts from). */
export function defaultSettings(): Settings {
  return parseSettings(() => undefined).settings;
}

/**
 * Validates raw setting values one by one: an invalid value falls back to its default and is
 * reported, so one bad setting never disables the others.
 */
export function parseSettings(read: (key: SettingKey) => unknown): { settings: Settings; problems: SettingProblem[] } {
  const problems: SettingProblem[] = [];
  const values: Record<string, unknown> = {};
  for (const key of Object.keys(settingsShape) as SettingKey[]) {
    const schema = settingsShape[key];
    const result = schema.safeParse(read(key));
    if (result.success) {
      values[key] = result.data;
    } else {
      problems.push({ key, message: result.error.issues.map((i) => `${i.path.length ? `${i.path.join('.')}: ` : ''}${i.message}`).join('; ') });
      values[key] = schema.parse(undefined);
    }
  }
  return { settings: settingsSchema.parse(values), problems };
}
