import { z } from 'zod';
import { textTurn } from '../responders';
import type { Responder, SimulatedTurn } from '../simulatorTypes';
import { claudeCodeWorkerTurn } from './claudeCodeScripts';
import { demoReviewTurn } from './demoReviews';
import { workerTurn } from './demoScripts';

const block = z.object({ type: z.string(), text: z.string().optional(), id: z.string().optional(), name: z.string().optional(), tool_use_id: z.string().optional(), is_error: z.boolean().optional() }).passthrough();
const content = z.union([z.string(), z.array(block)]);
const requestShape = z.object({
  model: z.string(),
  system: z.union([z.string(), z.array(block)]).optional(),
  messages: z.array(z.object({ role: z.string(), content })),
  tools: z.array(z.object({ name: z.string() }).passthrough()).optional(),
});

/** How a fix loop's findings start, in the ticket block or in a session's later message (promptLayout.ts). */
const REVIEW_FAILED = 'did not pass review';

/** The last assistant turn called finish and the tool result that answered it was not an error. */
function finishedLastTurn(messages: readonly { role: string; content: z.infer<typeof content> }[]): boolean {
  const lastAssistant = messages.findLastIndex((m) => m.role === 'assistant');
  const call = lastAssistant < 0 ? undefined : blocksOf(messages[lastAssistant]?.content).find((b) => b.type === 'tool_use' && b.name === 'finish');
  if (!call) return false;
  return blocksOf(messages[lastAssistant + 1]?.content).some((b) => b.type === 'tool_result' && b.tool_use_id === call.id && b.is_error !== true);
}

function blocksOf(value: z.infer<typeof content> | undefined): z.infer<typeof block>[] {
  return typeof value === 'object' ? value : [];
}

function text(value: z.infer<typeof content> | undefined): string {
  if (value === undefined) return '';
  return typeof value === 'string' ? value : value.map((b) => b.text ?? '').join('\n');
}

/**
 * The simulated model behind `--simulate`, the demo and the `simulated` provider. It recognises the
 * three kinds of request Flotilla sends by their instructions — a worker turn, the batch planning
 * call, a review — and answers each the way a competent model would for the demo tickets.
 */
export function demoResponder(): Responder {
  return (recorded) => {
    const parsed = requestShape.safeParse(recorded.body);
    if (!parsed.success) return textTurn('I could not read that request.');
    const request = parsed.data;
    const system = text(request.system);
    const first = text(request.messages[0]?.content);
    const claudeCode = request.tools?.some((t) => t.name === 'Read') ?? false;
    if (claudeCode && JSON.stringify(recorded.body).includes('You are a Flotilla worker')) {
      // Claude Code names its working directory in its system prompt (or in a system turn).
      const cwd = /Primary working directory: ([^\n"\\]+)/.exec(JSON.stringify(recorded.body))?.[1] ?? '.';
      return claudeCodeWorkerTurn({
        cwd,
        ticketId: /<ticket id="([^"]+)">/.exec(first)?.[1] ?? '?',
        model: request.model,
        fixing: first.includes('did not pass review'),
        step: request.messages.filter((m) => m.role === 'assistant').length,
      });
    }
    if (system.includes('You are a Flotilla worker')) {
      const ticketId = /<ticket id="([^"]+)">/.exec(first)?.[1] ?? '?';
      // A Managed Agents session goes on after finish (the platform asks the model once more) and
      // carries a fix loop as a later message of the same conversation: the script restarts there.
      if (finishedLastTurn(request.messages)) return textTurn(`Ticket ${ticketId} is finished.`);
      const fixFrom = request.messages.findLastIndex((m) => m.role === 'user' && text(m.content).includes(REVIEW_FAILED));
      return workerTurn({
        ticketId,
        model: request.model,
        fixing: fixFrom >= 0,
        step: request.messages.slice(Math.max(0, fixFrom)).filter((m) => m.role === 'assistant').length,
      });
    }
    if (system.includes('planner of a Flotilla batch')) return planTurn(first);
    if (system.includes('"verdict"')) return demoReviewTurn(system, first);
    return textTurn('This is a simulated response.');
  };
}

function planTurn(prompt: string): SimulatedTurn {
  const tickets = [...prompt.matchAll(/<ticket id="([^"]+)">\nTitle: ([^\n]*)([\s\S]*?)<\/ticket>/g)].map((m) => {
    const files = /Files named by the ticket: ([^\n]*)/.exec(m[3] ?? '')?.[1]?.split(', ') ?? [];
    return {
      id: m[1],
      class: files.some((f) => f.includes('auth')) ? 'complex' : files.some((f) => f.endsWith('.md')) ? 'mechanical' : 'standard',
      likelyFiles: files,
      steps: ['Read the files named by the ticket', 'Make the change with a test where there are tests', 'Run node --test'],
      acceptanceChecks: ['node --test passes'],
    };
  });
  const plan = { summary: 'Library and README changes; tests use node:test (run: node --test). Keep CommonJS and the existing doc-comment style.', tickets };
  return textTurn(JSON.stringify(plan));
}
