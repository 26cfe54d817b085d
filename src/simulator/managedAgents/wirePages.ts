import { SimulatedApiError } from '../apiErrors';

/** A page of a list endpoint, as the SDK's PageCursor reads it: `data`, then the cursor of the next page. */
export interface WirePage<T> {
  data: T[];
  next_page: string | null;
  /** Sessions and their events page both ways (BidirectionalPageCursor); other lists ignore it. */
  prev_page?: string | null;
}

const DEFAULT_LIMIT = 20;
const MAX_LIMIT = 1000;

/**
 * One page of `items`: `limit` (1..1000, default 20) from the offset the `page` cursor names. Cursors
 * are opaque to clients; here they are the offset, prefixed so a made-up one is refused.
 */
export function pageOf<T>(items: readonly T[], query: URLSearchParams): WirePage<T> {
  const limit = readLimit(query.get('limit'));
  const start = readCursor(query.get('page'));
  const end = start + limit;
  return { data: items.slice(start, end), next_page: end < items.length ? `page_${end}` : null, prev_page: start > 0 ? `page_${Math.max(0, start - limit)}` : null };
}

function readLimit(raw: string | null): number {
  if (raw === null) return DEFAULT_LIMIT;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > MAX_LIMIT) throw new SimulatedApiError('invalid_request_error', `limit: must be a whole number from 1 to ${MAX_LIMIT}`);
  return n;
}

function readCursor(raw: string | null): number {
  if (raw === null || raw === '') return 0;
  const match = /^page_(\d+)$/.exec(raw);
  if (!match) throw new SimulatedApiError('invalid_request_error', 'page: not a cursor this list returned');
  return Number(match[1]);
}

/** RFC 3339 with milliseconds, the timestamps every object carries. */
export function iso(ms: number): string {
  return new Date(ms).toISOString();
}
