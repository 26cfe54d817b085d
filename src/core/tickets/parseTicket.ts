import { CORE_SCHEMA, load } from 'js-yaml';
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node } from 'yaml';
import type { z } from 'zod';
import { splitFrontMatter, type FrontMatterSplit } from './frontMatter';
import { placeYamlErrors, type PlacedYamlErrors } from './yamlErrors';
import { problemAt, START_OF_FILE, type SourcePosition, type TicketProblem } from './ticketProblem';
import { KNOWN_TICKET_FIELDS, TICKET_FIELD_RULES, ticketFrontMatterSchema, type Ticket, type TicketPositions } from './ticketSchema';

export interface ParsedTicketFile {
  /** Undefined when the file has an error; warnings alone keep the ticket. */
  readonly ticket: Ticket | undefined;
  readonly problems: readonly TicketProblem[];
}

/**
 * Parses one ticket file's text. Never throws: every defect becomes a positioned problem.
 *
 * Two YAML readers, for speed: a valid ticket (the common case) is read with js-yaml, about ten
 * times faster than building a positioned document, and its positions are worked out only if a later
 * check asks for them. Anything the fast path does not accept as a clean ticket goes through the
 * positioned reader (the `yaml` library), which names the line and column of each problem.
 */
export function parseTicket(file: string, text: string): ParsedTicketFile {
  const split = splitFrontMatter(text);
  if (!split.ok) {
    return { ticket: undefined, problems: [problemAt(file, { line: split.line, column: 1 }, 'error', split.message)] };
  }
  return parseCleanTicket(file, split.value) ?? parsePositioned(file, split.value);
}

/** A ticket with only known fields that validates; anything else returns undefined for the positioned path. */
function parseCleanTicket(file: string, split: FrontMatterSplit): ParsedTicketFile | undefined {
  let data: unknown;
  try {
    // The core schema, as `yaml` uses: dates stay text, duplicate keys are errors.
    data = load(split.yaml, { schema: CORE_SCHEMA });
  } catch {
    return undefined;
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return undefined;
  if (Object.keys(data).some((key) => !KNOWN_TICKET_FIELDS.includes(key))) return undefined;
  const parsed = ticketFrontMatterSchema.safeParse(data);
  if (!parsed.success) return undefined;
  let positions: TicketPositions | undefined;
  const resolve = () => (positions ??= positionsOf(split));
  const lazy: TicketPositions = {
    get id() {
      return resolve().id;
    },
    get dependsOn() {
      return resolve().dependsOn;
    },
  };
  return { ticket: { ...parsed.data, description: split.body.trim(), file, extra: {}, positions: lazy }, problems: [] };
}

function positioned(split: FrontMatterSplit): { doc: Document; toFile: ToFile } {
  const lineCounter = new LineCounter();
  const doc = parseDocument(split.yaml, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const toFile = (offset: number): SourcePosition => {
    const { line, col } = lineCounter.linePos(offset);
    return { line: line + split.yamlFirstLine, column: col };
  };
  return { doc, toFile };
}

function positionsOf(split: FrontMatterSplit): TicketPositions {
  const { doc, toFile } = positioned(split);
  return documentPositions(doc, toFile);
}

function documentPositions(doc: Document, toFile: ToFile): TicketPositions {
  const dependsOnNode = doc.get('dependsOn', true);
  const dependsOn = isSeq(dependsOnNode) ? dependsOnNode.items.map((item) => nodePosition(item as Node, toFile) ?? keyPosition(doc, 'dependsOn', toFile)) : [];
  return { id: valuePosition(doc, 'id', toFile), dependsOn };
}

function parsePositioned(file: string, split: FrontMatterSplit): ParsedTicketFile {
  const { body } = split;
  const { doc, toFile } = positioned(split);

  if (doc.errors.length > 0) {
    const placed = placeYamlErrors(split.yaml, doc.errors);
    const problems = placed.errors.map((e) => problemAt(file, toFile(e.offset), 'error', `invalid YAML: ${e.message}`));
    // The fields outside the broken lines are checked too, so the author sees every mistake at once.
    // A field may be missing only because the broken part swallowed it: that is not said until the YAML reads.
    const broken = brokenLines(placed.broken, toFile);
    const data: unknown = doc.toJS();
    if (data !== null && typeof data === 'object' && !Array.isArray(data)) {
      const fields = fieldProblems(file, doc, data as Record<string, unknown>, toFile);
      problems.push(...fields.problems.filter((p) => !p.missing && !broken(p.problem.line)).map((p) => p.problem));
    }
    return { ticket: undefined, problems: problems.sort((a, b) => a.line - b.line || a.column - b.column) };
  }

  const data: unknown = doc.toJS();
  if (data === null || data === undefined) {
    return { ticket: undefined, problems: [problemAt(file, START_OF_FILE, 'error', 'the front matter is empty: a ticket needs at least "id" and "title"')] };
  }
  if (typeof data !== 'object' || Array.isArray(data)) {
    return {
      ticket: undefined,
      problems: [problemAt(file, toFile(0), 'error', 'the front matter must be a mapping of fields ("id: R01", "title: …"), not a list or a single value')],
    };
  }

  const record = data as Record<string, unknown>;
  const { problems, extra, ticket: fields } = fieldProblems(file, doc, record, toFile);
  if (!fields) return { ticket: undefined, problems: problems.map((p) => p.problem) };
  const ticket: Ticket = { ...fields, description: body.trim(), file, extra, positions: documentPositions(doc, toFile) };
  return { ticket, problems: problems.map((p) => p.problem) };
}

interface FieldProblem {
  readonly problem: TicketProblem;
  /** A required field that is absent (not said while the YAML is broken: the broken part may hold it). */
  readonly missing: boolean;
}

/** Unknown fields (warnings) and every field that breaks its rule (errors); the fields when they are all valid. */
function fieldProblems(file: string, doc: Document, record: Record<string, unknown>, toFile: ToFile): { problems: FieldProblem[]; extra: Record<string, unknown>; ticket: z.infer<typeof ticketFrontMatterSchema> | undefined } {
  const problems: FieldProblem[] = [];
  const extra: Record<string, unknown> = {};
  for (const key of Object.keys(record)) {
    if (!KNOWN_TICKET_FIELDS.includes(key)) {
      extra[key] = record[key];
      const message = `unknown field "${key}" (kept, but Flotilla ignores it); known fields: ${KNOWN_TICKET_FIELDS.join(', ')}`;
      problems.push({ problem: problemAt(file, keyPosition(doc, key, toFile), 'warning', message), missing: false });
    }
  }
  const parsed = ticketFrontMatterSchema.safeParse(record);
  if (parsed.success) return { problems, extra, ticket: parsed.data };
  for (const issue of parsed.error.issues) {
    const missing = issue.path.length === 1 && record[String(issue.path[0])] === undefined;
    problems.push({ problem: problemAt(file, issuePosition(doc, issue, toFile), 'error', describeIssue(issue, record)), missing });
  }
  return { problems, extra, ticket: undefined };
}

/** Whether a file line lies in a stretch the YAML reader could not make sense of. */
function brokenLines(broken: PlacedYamlErrors['broken'], toFile: ToFile): (line: number) => boolean {
  const spans = broken.map(([from, to]) => [toFile(from).line, toFile(to).line] as const);
  return (line) => spans.some(([from, to]) => line >= from && line <= to);
}

function describeIssue(issue: z.core.$ZodIssue, record: Record<string, unknown>): string {
  const path = issue.path.map(String).join('.');
  const field = String(issue.path[0] ?? '');
  // zod does not echo the input, so presence is checked on the data itself.
  if (issue.path.length === 1 && record[field] === undefined) {
    return `missing required field "${path}": ${ruleOf(field) ?? 'it is required'}`;
  }
  // Our own checks (a ticket id that cannot be a branch name) already say what would be valid.
  if (issue.code === 'custom') return path ? `${path}: ${issue.message}` : issue.message;
  const rule = ruleOf(field);
  if (rule === undefined) return path ? `${path}: ${issue.message}` : issue.message;
  const value = issue.path.reduce<unknown>((v, key) => (v !== null && typeof v === 'object' ? (v as Record<PropertyKey, unknown>)[key as PropertyKey] : undefined), record);
  const where = issue.path.length > 1 ? `; entry ${Number(issue.path[1]) + 1} is ${shown(value)}` : ` (it is ${shown(value)})`;
  return `${rule}${where}`;
}

function ruleOf(field: string): string | undefined {
  return Object.hasOwn(TICKET_FIELD_RULES, field) ? TICKET_FIELD_RULES[field as keyof typeof TICKET_FIELD_RULES] : undefined;
}

/** A value as the author wrote it, short: "\"high\"", 7, a list, empty. */
function shown(value: unknown): string {
  if (value === null || value === undefined || value === '') return 'empty';
  if (typeof value === 'string') return value.trim() === '' ? 'empty' : `"${value.length > 40 ? `${value.slice(0, 40)}…` : value}"`;
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  return String(value);
}

type ToFile = (offset: number) => SourcePosition;

function nodePosition(node: Node | null | undefined, toFile: ToFile): SourcePosition | undefined {
  return node?.range ? toFile(node.range[0]) : undefined;
}

function keyPosition(doc: Document, key: string, toFile: ToFile): SourcePosition {
  if (isMap(doc.contents)) {
    const pair = doc.contents.items.find((p) => isScalar(p.key) && p.key.value === key);
    const pos = nodePosition(pair?.key as Node | undefined, toFile);
    if (pos) return pos;
  }
  return toFile(0);
}

function valuePosition(doc: Document, key: string, toFile: ToFile): SourcePosition {
  return nodePosition(doc.get(key, true) as Node | undefined, toFile) ?? keyPosition(doc, key, toFile);
}

/** The most precise position for a schema issue: the offending item, else its field, else the field's key. */
function issuePosition(doc: Document, issue: z.core.$ZodIssue, toFile: ToFile): SourcePosition {
  const path = issue.path.filter((p): p is string | number => typeof p !== 'symbol');
  for (let depth = path.length; depth > 0; depth--) {
    const node = doc.getIn(path.slice(0, depth), true) as Node | undefined;
    const pos = nodePosition(node, toFile);
    if (pos) return pos;
  }
  const top = path[0];
  return typeof top === 'string' ? keyPosition(doc, top, toFile) : toFile(0);
}
