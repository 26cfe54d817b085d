import type { z } from 'zod';
import { reviewOutputSchema, type ReviewOutput } from './findings';
import { errorMessage } from '../errorText';

export type ParsedReview = { readonly ok: true; readonly output: ReviewOutput } | { readonly ok: false; readonly error: string };

const FENCED = /```(?:json|JSON)?[ \t]*\r?\n([\s\S]*?)\r?\n?```/;

/**
 * Reads a review model's reply: JSON only, optionally inside a ```json fence (models add one even
 * when told not to). Never throws; the error text is what the repair call sends back to the model,
 * so it names the field and the problem.
 */
export function parseReviewOutput(text: string): ParsedReview {
  const fenced = FENCED.exec(text);
  const body = (fenced?.[1] ?? text).trim();
  if (body.length === 0) return { ok: false, error: 'the reply was empty' };
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch (error) {
    return { ok: false, error: `the reply is not JSON (${errorMessage(error)})` };
  }
  const result = reviewOutputSchema.safeParse(json);
  if (!result.success) return { ok: false, error: describeIssues(result.error) };
  return { ok: true, output: result.data };
}

function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((issue) => `${issue.path.length > 0 ? issue.path.join('.') : 'the reply'}: ${issue.message}`)
    .join('; ');
}
