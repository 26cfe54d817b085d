import { SimulatedApiError } from './apiErrors';
import type { SimulatedModel } from './simulatorTypes';

/** A model as GET /v1/models reports it. */
export interface WireModelInfo {
  type: 'model';
  id: string;
  display_name: string;
  created_at: string;
}

export interface WireModelPage {
  data: WireModelInfo[];
  has_more: boolean;
  first_id: string | null;
  last_id: string | null;
}

function info(model: SimulatedModel): WireModelInfo {
  return { type: 'model', id: model.id, display_name: model.displayName, created_at: model.createdAt };
}

/** GET /v1/models with the API's cursor parameters (limit, after_id, before_id). */
export function listModels(models: readonly SimulatedModel[], query: URLSearchParams): WireModelPage {
  const limit = clampLimit(query.get('limit'));
  let list = models.map(info);
  const afterId = query.get('after_id');
  const beforeId = query.get('before_id');
  if (afterId) list = list.slice(list.findIndex((m) => m.id === afterId) + 1);
  if (beforeId) {
    const end = list.findIndex((m) => m.id === beforeId);
    list = list.slice(Math.max(0, (end < 0 ? list.length : end) - limit), end < 0 ? list.length : end);
  }
  const data = list.slice(0, limit);
  return { data, has_more: list.length > data.length, first_id: data[0]?.id ?? null, last_id: data.at(-1)?.id ?? null };
}

/** GET /v1/models/{id}. */
export function getModel(models: readonly SimulatedModel[], id: string): WireModelInfo {
  const model = models.find((m) => m.id === id);
  if (!model) throw new SimulatedApiError('not_found_error', `model: ${id}`);
  return info(model);
}

function clampLimit(raw: string | null): number {
  const n = raw === null ? 20 : Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > 1000) {
    throw new SimulatedApiError('invalid_request_error', 'limit: must be an integer between 1 and 1000');
  }
  return n;
}
