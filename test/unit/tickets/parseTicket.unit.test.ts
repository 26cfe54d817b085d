import assert from 'node:assert/strict';
import { parseTicket } from '../../../src/core/tickets/parseTicket';
import { TICKET_FIELD_RULES, ticketFrontMatterSchema } from '../../../src/core/tickets/ticketSchema';

const FILE = '/repo/.flotilla/tickets/T.md';

function errors(text: string) {
  return parseTicket(FILE, text).problems.filter((p) => p.severity === 'error');
}

describe('parseTicket', () => {
  it('reads every documented field and the description', () => {
    const text = [
      '---',
      'id: R03',
      'title: Replace withUIContext with launchIO in DownloadManager',
      'labels: [refactor]',
      'priority: 2',
      'dependsOn: [R01]',
      'files: [app/src/DownloadManager.kt]',
      'model: auto',
      'review: auto',
      'acceptance:',
      '  - Code compiles',
      'status: open',
      '---',
      'Free text description.',
      '',
    ].join('\n');
    const { ticket, problems } = parseTicket(FILE, text);
    assert.deepEqual(problems, []);
    assert.ok(ticket);
    assert.equal(ticket.id, 'R03');
    assert.equal(ticket.title, 'Replace withUIContext with launchIO in DownloadManager');
    assert.deepEqual(ticket.labels, ['refactor']);
    assert.equal(ticket.priority, 2);
    assert.deepEqual(ticket.dependsOn, ['R01']);
    assert.deepEqual(ticket.files, ['app/src/DownloadManager.kt']);
    assert.deepEqual(ticket.acceptance, ['Code compiles']);
    assert.equal(ticket.status, 'open');
    assert.equal(ticket.description, 'Free text description.');
    assert.deepEqual(ticket.positions.id, { line: 2, column: 5 });
    assert.deepEqual(ticket.positions.dependsOn, [{ line: 6, column: 13 }]);
  });

  it('fills defaults for optional fields', () => {
    const { ticket } = parseTicket(FILE, '---\nid: A1\ntitle: Something\n---\n');
    assert.ok(ticket);
    assert.equal(ticket.status, 'open');
    assert.equal(ticket.model, 'auto');
    assert.equal(ticket.review, 'auto');
    assert.deepEqual(ticket.labels, []);
    assert.equal(ticket.priority, undefined);
    assert.equal(ticket.description, '');
  });

  it('accepts a numeric id as text and CRLF line endings and a BOM', () => {
    const { ticket, problems } = parseTicket(FILE, '\uFEFF---\r\nid: 42\r\ntitle: Windows file\r\n---\r\nBody\r\n');
    assert.deepEqual(problems, []);
    assert.equal(ticket?.id, '42');
    assert.equal(ticket?.description, 'Body');
  });

  it('reports a missing front matter at line 1', () => {
    const [problem] = errors('# Just markdown\n');
    assert.equal(problem?.line, 1);
    assert.match(problem?.message ?? '', /no YAML front matter/);
  });

  it('reports an unclosed front matter', () => {
    const [problem] = errors('---\nid: X\ntitle: never closed\n');
    assert.match(problem?.message ?? '', /never closed/);
  });

  it('reports empty front matter', () => {
    const [problem] = errors('---\n---\nbody\n');
    assert.match(problem?.message ?? '', /front matter is empty/);
  });

  it('reports a wrong type at the line of the offending value', () => {
    const result = errors('---\nid: R1\ntitle: T\nlabels: refactor\npriority: 9\n---\n');
    assert.deepEqual(
      result.map((p) => [p.line, p.message]),
      [
        [4, 'labels must be a list of words, e.g. labels: [bug, cli] (it is "refactor")'],
        [5, 'priority must be a whole number from 1 (highest) to 5 (it is 9)'],
      ],
    );
  });

  it('says in plain words what every field accepts when its value is wrong', () => {
    assert.deepEqual(Object.keys(TICKET_FIELD_RULES).sort(), Object.keys(ticketFrontMatterSchema.shape).sort(), 'one rule per field of the schema');
    const wrong: Record<string, string> = {
      id: 'id: [1, 2]',
      title: 'title: ""',
      labels: 'labels: {a: 1}',
      priority: 'priority: high',
      dependsOn: 'dependsOn: R01',
      files: 'files: 3',
      model: 'model: ""',
      review: 'review: deep',
      acceptance: 'acceptance: yes',
      status: 'status: finished',
    };
    for (const [field, line] of Object.entries(wrong)) {
      const head = field === 'id' ? '' : 'id: R1\n';
      const text = `---\n${head}${field === 'title' ? '' : 'title: T\n'}${line}\n---\n`;
      const messages = errors(text).map((p) => p.message);
      assert.ok(messages.some((m) => m.startsWith(TICKET_FIELD_RULES[field as keyof typeof TICKET_FIELD_RULES])), `${field}: ${messages.join(' | ')}`);
      assert.ok(messages.every((m) => !/expected|received|Invalid/.test(m)), `${field}: no parser jargon in ${messages.join(' | ')}`);
    }
    assert.deepEqual(errors('---\ntitle: T\n---\n').map((p) => p.message), [`missing required field "id": ${TICKET_FIELD_RULES.id}`]);
  });

  it('points at the exact list item that is wrong', () => {
    const [problem] = errors('---\nid: R1\ntitle: T\ndependsOn:\n  - R0\n  - "bad id!"\n---\n');
    assert.equal(problem?.line, 6);
    assert.match(problem?.message ?? '', /dependsOn\.1/);
  });

  it('names a missing required field', () => {
    const [problem] = errors('---\nid: R1\n---\n');
    assert.match(problem?.message ?? '', /missing required field "title"/);
  });

  it('rejects an invalid status and lists the valid ones', () => {
    const [problem] = errors('---\nid: R1\ntitle: T\nstatus: finished\n---\n');
    assert.equal(problem?.line, 4);
    assert.match(problem?.message ?? '', /open/);
    assert.match(problem?.message ?? '', /in-progress/);
  });

  it('warns about unknown fields but keeps the ticket and the value', () => {
    const { ticket, problems } = parseTicket(FILE, '---\nid: R1\ntitle: T\nowner: dana\n---\n');
    assert.equal(problems.length, 1);
    assert.equal(problems[0]?.severity, 'warning');
    assert.equal(problems[0]?.line, 4);
    assert.match(problems[0]?.message ?? '', /unknown field "owner"/);
    assert.deepEqual(ticket?.extra, { owner: 'dana' });
  });

  it('reports YAML syntax errors at their line', () => {
    const [problem] = errors('---\nid: R1\ntitle: [unclosed\nstatus: open\n---\n');
    assert.ok(problem);
    assert.equal(problem.line, 3);
    assert.match(problem.message, /invalid YAML/);
  });

  it('reports duplicate keys', () => {
    const [problem] = errors('---\nid: R1\ntitle: T\ntitle: U\n---\n');
    assert.match(problem?.message ?? '', /invalid YAML: this field is given twice/);
    assert.equal(problem?.line, 4);
  });

  describe('a YAML error is reported on the line that causes it, in plain words', () => {
    // The yaml library places these where it gave up: the end of the front matter, the next field.
    const cases: readonly { name: string; lines: readonly string[]; line: number; column: number; message: RegExp }[] = [
      { name: 'an unclosed double quote', lines: ['id: R1', 'title: "Fix the thing', 'labels: [a]', 'priority: 2'], line: 3, column: 8, message: /the " opened here is never closed/ },
      { name: 'an unclosed single quote', lines: ['id: R1', "title: 'Fix the thing", 'priority: 2'], line: 3, column: 8, message: /the ' opened here is never closed/ },
      { name: 'an unclosed [', lines: ['id: R1', 'title: Fix', 'labels: [a, b', 'priority: 2'], line: 4, column: 9, message: /the \[ opened here is never closed: end it with \]/ },
      { name: 'an unclosed {', lines: ['id: R1', 'title: Fix', 'owner: {name: a', 'priority: 2'], line: 4, column: 8, message: /the \{ opened here is never closed: end it with \}/ },
      { name: 'a field indented under the one above', lines: ['id: R1', 'title: Fix', '  labels: [a]', 'priority: 2'], line: 4, column: 3, message: /indented under a field that already has a value/ },
      { name: 'a value with ": " and no quotes', lines: ['id: R1', 'title: Fix: the thing', 'priority: 2'], line: 3, column: 8, message: /must be in quotes/ },
      { name: 'no space after the colon', lines: ['id: R1', 'title:Fix', 'priority: 2'], line: 3, column: 1, message: /"name: value", with a space after the colon/ },
      { name: 'text after a closing quote', lines: ['id: R1', 'title: "Fix" the thing', 'priority: 2'], line: 3, column: 14, message: /text follows the closing quote/ },
    ];
    for (const c of cases) {
      it(c.name, () => {
        const problems = errors(['---', ...c.lines, '---', ''].join('\n'));
        assert.equal(problems.length, 1, problems.map((p) => `${p.line}: ${p.message}`).join('\n'));
        assert.deepEqual({ line: problems[0]?.line, column: problems[0]?.column }, { line: c.line, column: c.column }, problems[0]?.message);
        assert.match(problems[0]?.message ?? '', c.message);
        assert.match(problems[0]?.message ?? '', /^invalid YAML: /);
      });
    }
  });

  it('reports every error of a file at once: the YAML error and the fields that break their rules elsewhere', () => {
    const problems = errors('---\nid: R1\ntitle: "Fix: the thing" extra\npriority: 9\nreview: deep\n---\n');
    assert.deepEqual(
      problems.map((p) => [p.line, p.message.split(':')[0]]),
      [
        [3, 'invalid YAML'],
        [4, 'priority must be a whole number from 1 (highest) to 5 (it is 9)'],
        [5, 'review must be one of auto, minimal, standard, thorough, comprehensive (it is "deep")'],
      ],
    );
    const duplicate = errors('---\nid: R1\ntitle: T\ntitle: U\npriority: 0\n---\n');
    assert.deepEqual(duplicate.map((p) => p.line), [4, 5]);
  });

  it('says nothing about fields the broken part of the YAML may hold: no "missing title" under an unclosed quote', () => {
    const problems = errors('---\nid: R1\npriority: 9\ntitle: "Fix the thing\nlabels: [a]\n---\n');
    assert.deepEqual(problems.map((p) => p.line), [3, 4]);
    assert.ok(!problems.some((p) => /missing required field/.test(p.message)));
  });

  it('reads YAML 1.2 core values the same on the fast path: dates and yes/no stay text', () => {
    const { ticket, problems } = parseTicket(FILE, '---\nid: R1\ntitle: 2026-11-21\nlabels: [yes, no, on]\n---\n');
    assert.deepEqual(problems, []);
    assert.equal(ticket?.title, '2026-11-21');
    assert.deepEqual(ticket?.labels, ['yes', 'no', 'on']);
  });

  it('gives positions on a clean ticket when they are asked for (graph checks)', () => {
    const { ticket } = parseTicket(FILE, '---\nid: R1\ntitle: T\ndependsOn:\n  - R0\n  - R2\n---\n');
    assert.deepEqual(ticket?.positions.id, { line: 2, column: 5 });
    assert.deepEqual(ticket?.positions.dependsOn, [
      { line: 5, column: 5 },
      { line: 6, column: 5 },
    ]);
  });

  it('refuses a front matter that is a list', () => {
    const [problem] = errors('---\n- a\n- b\n---\n');
    assert.match(problem?.message ?? '', /must be a mapping/);
  });

  it('refuses control characters in a title, naming the line, the field and the character; tab and a block scalar\'s last line break are fine', () => {
    const refused: [string, RegExp][] = [
      ['"Fix\\0 the parser"', /NUL \(U\+0000\) at character 4/],
      ['"Colour \\e[31mred\\e[0m"', /ESC \(U\+001B\) at character 8/],
      ['"one\\rtwo"', /a carriage return \(CR\) \(U\+000D\) at character 4/],
      ['"one\\ntwo"', /a line break \(LF\) \(U\+000A\) at character 4/],
      ['"bell\\a"', /BEL \(U\+0007\)/],
      ['"delete\\x7f"', /DEL \(U\+007F\)/],
      ['"csi\\x9b"', /U\+009B at character 4/],
    ];
    for (const [value, why] of refused) {
      const problems = errors(`---\nid: R1\n\ntitle: ${value}\n---\n`);
      assert.equal(problems.length, 1, `${value}: ${JSON.stringify(problems)}`);
      assert.equal(problems[0]?.line, 4, value);
      assert.match(problems[0]?.message ?? '', /^title: must be one line of printable text, but it contains /, value);
      assert.match(problems[0]?.message ?? '', why, value);
    }
    // Ids keep git's rule (letters, digits, dot, dash, underscore), so no control character gets through there either.
    for (const id of ['"R\\01"', '"R\\e1"', '"R\\t1"']) assert.match(errors(`---\nid: ${id}\ntitle: T\n---\n`)[0]?.message ?? '', /cannot be a ticket id/, id);
    assert.equal(parseTicket(FILE, '---\nid: R1\ntitle: "a\\tb"\n---\n').ticket?.title, 'a\tb');
    assert.equal(parseTicket(FILE, '---\nid: R1\ntitle: |\n  Fix it\n---\n').ticket?.title, 'Fix it');
  });
});
