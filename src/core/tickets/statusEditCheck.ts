import { isDeepStrictEqual } from 'node:util';
import { CORE_SCHEMA, load } from 'js-yaml';
import { parseDocument } from 'yaml';
import { splitFrontMatter } from './frontMatter';
import { parseTicket } from './parseTicket';

type Reading = { readonly ok: true; readonly fields: Readonly<Record<string, unknown>> } | { readonly ok: false; readonly why: string };

/**
 * Both YAML readers Flotilla uses (parseTicket's fast path and its positioned path), so an edit that
 * one of them would read differently is caught too.
 */
const READERS: Readonly<Record<string, (yaml: string) => unknown>> = {
  'js-yaml': (yaml) => load(yaml, { schema: CORE_SCHEMA }),
  yaml: (yaml) => {
    const doc = parseDocument(yaml, { uniqueKeys: true, prettyErrors: false });
    if (doc.errors[0]) throw doc.errors[0];
    return doc.toJS();
  },
};

function read(reader: (yaml: string) => unknown, yaml: string): Reading {
  try {
    const value = reader(yaml);
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return { ok: false, why: 'not a mapping' };
    return { ok: true, fields: value as Record<string, unknown> };
  } catch (error) {
    return { ok: false, why: (error instanceof Error ? error.message : String(error)).split('\n')[0] ?? '' };
  }
}

/**
 * Why `after` is not `before` with only its status set to `status`, or undefined when it is: the
 * same bytes before and after the front matter (the body byte-identical), every field read the same
 * by each YAML reader that could read the original, status now `status`, and still a valid ticket
 * with the same id.
 */
export function statusEditProblem(before: string, after: string, status: string): string | undefined {
  const a = splitFrontMatter(before);
  const b = splitFrontMatter(after);
  if (!a.ok || !b.ok) return 'the edit would break its front matter';
  const yamlAt = (text: string) => text.indexOf('\n', text.charCodeAt(0) === 0xfeff ? 1 : 0) + 1;
  if (before.slice(0, yamlAt(before)) !== after.slice(0, yamlAt(after))) return 'the edit would change the opening line';
  if (before.slice(yamlAt(before) + a.value.yaml.length) !== after.slice(yamlAt(after) + b.value.yaml.length)) return 'the edit would change the description below the front matter';
  for (const [name, reader] of Object.entries(READERS)) {
    const old = read(reader, a.value.yaml);
    if (!old.ok) continue;
    const now = read(reader, b.value.yaml);
    if (!now.ok) return `after the edit its front matter would no longer read as YAML (${now.why})`;
    if (now.fields.status !== status) return `after the edit ${name} would read status as ${JSON.stringify(now.fields.status)}`;
    const keys = new Set([...Object.keys(old.fields), ...Object.keys(now.fields)]);
    keys.delete('status');
    const changed = [...keys].filter((key) => !isDeepStrictEqual(old.fields[key], now.fields[key]));
    if (changed.length > 0) return `setting status would also change ${changed.join(', ')}`;
  }
  const was = parseTicket('ticket', before).ticket;
  const is = parseTicket('ticket', after);
  if (is.ticket === undefined) return `after the edit it would no longer be a valid ticket (${is.problems.find((p) => p.severity === 'error')?.message ?? 'unknown problem'})`;
  if ((was !== undefined && is.ticket.id !== was.id) || is.ticket.status !== status) return 'after the edit the ticket would read differently';
  return undefined;
}
