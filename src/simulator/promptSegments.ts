import { SimulatedApiError } from './apiErrors';
import type { CacheControl, PromptRequest } from './requestSchema';
import { canonicalJson, estimateTokens } from './tokenCount';

export type CacheTtl = '5m' | '1h';

/** One cacheable unit of the prompt, in the order the API renders it: tools → system → messages. */
export interface PromptSegment {
  canonical: string; // identity of the block without its cache_control marker
  tokens: number;
  breakpoint: CacheTtl | null; // the block carries cache_control
}

export const MAX_BREAKPOINTS = 4;

/**
 * Flatten a request into segments and validate its breakpoints as the API does: at most four, and
 * a 1-hour breakpoint may not follow a 5-minute one (longer TTLs must come first).
 */
export function promptSegments(request: PromptRequest): PromptSegment[] {
  const segments: PromptSegment[] = [];
  const push = (identity: string, cacheControl: CacheControl | null | undefined): void => {
    segments.push({
      canonical: identity,
      tokens: Math.max(1, estimateTokens(identity)),
      breakpoint: cacheControl ? (cacheControl.ttl ?? '5m') : null,
    });
  };

  for (const tool of request.tools ?? []) push(`tool:${canonicalJson(tool)}`, tool.cache_control);
  if (typeof request.system === 'string') {
    push(`system:${canonicalJson({ type: 'text', text: request.system })}`, null);
  } else {
    for (const block of request.system ?? []) push(`system:${canonicalJson(block)}`, block.cache_control);
  }
  for (const message of request.messages) {
    if (typeof message.content === 'string') {
      push(`${message.role}:${canonicalJson({ type: 'text', text: message.content })}`, null);
    } else {
      for (const block of message.content) push(`${message.role}:${canonicalJson(block)}`, block.cache_control);
    }
  }

  const last = segments.at(-1);
  if (request.cache_control && last && last.breakpoint === null) {
    last.breakpoint = request.cache_control.ttl ?? '5m';
  }
  validateBreakpoints(segments);
  return segments;
}

function validateBreakpoints(segments: readonly PromptSegment[]): void {
  const ttls = segments.flatMap((s) => (s.breakpoint ? [s.breakpoint] : []));
  if (ttls.length > MAX_BREAKPOINTS) {
    throw new SimulatedApiError(
      'invalid_request_error',
      `A maximum of ${MAX_BREAKPOINTS} blocks with cache_control may be provided. Found ${ttls.length}.`,
    );
  }
  const first5m = ttls.indexOf('5m');
  if (first5m >= 0 && ttls.indexOf('1h', first5m) >= 0) {
    throw new SimulatedApiError(
      'invalid_request_error',
      'cache_control: a ttl=\'1h\' cache_control block must not come after a ttl=\'5m\' cache_control block.',
    );
  }
}

export function totalTokens(segments: readonly PromptSegment[]): number {
  return segments.reduce((sum, s) => sum + s.tokens, 0);
}
