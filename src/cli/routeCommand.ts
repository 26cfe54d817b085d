import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { routableFromInputLine, routeInputLineSchema } from '../core/routing/routableTicket';
import { routeTicket, toRouteLine } from '../core/routing/routeTicket';
import type { CliIo } from './cliIo';
import { EXIT, UsageError } from './usageError';

/**
 * `flotilla route --input TICKETS.jsonl`: one JSON line per ticket, `{id, score, class, tier, reason,
 * maxTier}`. Input lines are `{id, title, body, labels?}`; other fields are ignored. A bad line is
 * reported as `file:line: message` and stops the run with exit 2 before anything is printed.
 */
export async function routeCommand(args: string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({ args, options: { input: { type: 'string' } }, strict: true, allowPositionals: false });
  if (!values.input) throw new UsageError('route needs --input TICKETS.jsonl');
  let text: string;
  try {
    text = await readFile(values.input, 'utf8');
  } catch (error) {
    throw new UsageError(`--input ${values.input}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message}`);
  }
  const lines = text.split('\n');
  const out: string[] = [];
  for (const [index, raw] of lines.entries()) {
    if (raw.trim() === '') continue;
    let data: unknown;
    try {
      data = JSON.parse(raw);
    } catch {
      throw new UsageError(`${values.input}:${index + 1}: not valid JSON`);
    }
    const parsed = routeInputLineSchema.safeParse(data);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new UsageError(`${values.input}:${index + 1}: ${issue?.path.join('.') || 'line'}: ${issue?.message ?? 'invalid'} (a line is {id, title, body, labels?})`);
    }
    out.push(JSON.stringify(toRouteLine(routeTicket(routableFromInputLine(parsed.data)))));
  }
  for (const line of out) io.out(line);
  return EXIT.ok;
}
