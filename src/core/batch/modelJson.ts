import type { z } from 'zod';
import { errorMessage } from '../errorText';

export type ModelJson<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: string };

/**
 * Reads JSON a model was asked to return: tolerates a ```json fence or prose around one object,
 * then validates it. The error names the field and the problem, ready to send back for a repair.
 */
export function parseModelJson<T>(text: string, schema: z.ZodType<T>): ModelJson<T> {
  const fenced = /```(?:json)?\s*([\s\S]*?)```/.exec(text)?.[1];
  const candidate = fenced ?? text.slice(text.indexOf('{'), text.lastIndexOf('}') + 1);
  let data: unknown;
  try {
    data = JSON.parse(candidate);
  } catch (error) {
    return { ok: false, error: `not JSON (${errorMessage(error)})` };
  }
  const result = schema.safeParse(data);
  if (result.success) return { ok: true, value: result.data };
  return { ok: false, error: result.error.issues.slice(0, 5).map((i) => `${i.path.join('.') || 'root'}: ${i.message}`).join('; ') };
}
