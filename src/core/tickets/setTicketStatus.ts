import { readFile, writeFile } from 'node:fs/promises';
import { CST, parseDocument, Parser } from 'yaml';
import { splitFrontMatter } from './frontMatter';
import { statusEditProblem } from './statusEditCheck';
import type { TicketFileStatus } from '../vocabulary/ticketStates';

/** The ticket file's status could not be set without changing something else; nothing was written. */
export class TicketFileFormatError extends Error {
  override readonly name = 'TicketFileFormatError';
  constructor(
    readonly file: string,
    readonly reason: string,
  ) {
    super(`${file}: ${reason}; its status was not changed.`);
  }

  static is(error: unknown): error is TicketFileFormatError {
    return error instanceof Error && error.name === 'TicketFileFormatError';
  }
}

type Edit = string | { readonly error: string };

/**
 * The ticket file's text with `status:` set, or why it cannot be. The front matter is edited on
 * the `yaml` library's concrete syntax tree, which gives back every byte it does not change: a
 * quoted key, a flow map, a folded or indented value, an anchor or a tag keep their form, and only
 * the value's text becomes `done`. Without a top-level `status` one is added (a line at the end of a
 * block map, an entry at the end of a flow map). The result is then read back and compared with the
 * original (statusEditCheck.ts): unless exactly `status` changed and the body is byte-identical, the
 * edit is refused and the file stays as it was.
 */
export function withTicketStatus(text: string, status: TicketFileStatus): Edit {
  const split = splitFrontMatter(text);
  if (!split.ok) return { error: split.message };
  const bom = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  // Offsets in `text` of the YAML block: after the opening line, up to the closing line.
  const yamlStart = text.indexOf('\n', bom) + 1;
  const yaml = split.value.yaml;
  const eol = text.slice(bom, yamlStart).endsWith('\r\n') ? '\r\n' : '\n';
  const edited = editStatus(yaml, status, eol);
  if (typeof edited !== 'string') return edited;
  const next = `${text.slice(0, yamlStart)}${edited}${text.slice(yamlStart + yaml.length)}`;
  const problem = statusEditProblem(text, next, status);
  return problem === undefined ? next : { error: problem };
}

function editStatus(yaml: string, status: TicketFileStatus, eol: string): Edit {
  const doc = parseDocument(yaml, { uniqueKeys: true, prettyErrors: false });
  const yamlError = doc.errors[0];
  // The fast reader may accept what this one does not (a lone CR as a line break): then no edit is safe.
  if (yamlError) return { error: `its front matter cannot be edited safely (the YAML editor reads it as: ${yamlError.message.split('\n')[0]})` };
  const tokens = [...new Parser().parse(yaml)];
  const print = () => tokens.map((t) => CST.stringify(t)).join('');
  if (print() !== yaml) return { error: 'its front matter cannot be edited without changing other bytes' };
  const documents = tokens.filter((t) => t.type === 'document');
  const map = documents.length === 1 ? documents[0]?.value : undefined;
  const inFlow = map?.type === 'flow-collection';
  if (map?.type !== 'block-map' && !(inFlow && map.start.source === '{')) return { error: 'its front matter is not a single mapping of fields' };

  const item = map.items.find((i) => i.key !== undefined && CST.resolveAsScalar(i.key)?.value === 'status');
  if (item === undefined) return withStatusAdded(yaml, map, `status: ${status}`, eol);
  if (item.value === undefined) {
    // `status:` with no value: the value goes after the indicator, before what followed it (a comment, the line break).
    const sep = item.sep ?? [];
    const at = sep.findIndex((t) => t.type === 'map-value-ind');
    if (at === -1) return { error: 'its status field has no ":"' };
    const indicator = sep[at] as CST.SourceToken;
    const rest = sep.splice(at + 1);
    sep.push({ type: 'space', offset: indicator.offset + 1, indent: indicator.indent, source: ' ' });
    item.value = { type: 'scalar', offset: indicator.offset + 2, indent: indicator.indent, source: status, end: rest };
    return print();
  }
  const value = item.value;
  // An alias (`status: *open`) would rename the anchor it points to; the value becomes plain text instead.
  const alias = value.type === 'alias';
  if (!CST.isScalar(value) && !alias) return { error: 'its status field holds a list or a mapping, not a value' };
  CST.setScalarValue(value, status, { afterKey: true, inFlow, ...(alias ? { type: 'PLAIN' as const } : {}) });
  return print();
}

/** Adds the field as the mapping's last entry, by text at an offset the syntax tree gives. */
function withStatusAdded(yaml: string, map: CST.BlockMap | CST.FlowCollection, field: string, eol: string): string {
  if (map.type === 'block-map') {
    const lastBreak = yaml.length === 0 || yaml.endsWith('\n') ? '' : eol;
    return `${yaml}${lastBreak}${' '.repeat(map.indent)}${field}${eol}`;
  }
  const close = map.end.find((t) => t.type === 'flow-map-end');
  const at = close?.offset ?? yaml.lastIndexOf('}');
  const before = yaml.slice(0, at).trimEnd();
  const separator = before.endsWith(',') || before.endsWith('{') ? ' ' : ', ';
  return `${before}${separator}${field}${yaml.slice(before.length, at).replace(/^[ \t]+/, '')}${yaml.slice(at)}`;
}

/** Sets `status:` in a ticket file in place (ARCHITECTURE.md: accepting a ticket makes it `done`). */
export async function setTicketStatus(file: string, status: TicketFileStatus): Promise<void> {
  const text = await readFile(file, 'utf8');
  const next = withTicketStatus(text, status);
  if (typeof next !== 'string') throw new TicketFileFormatError(file, next.error);
  if (next !== text) await writeFile(file, next, 'utf8');
}
