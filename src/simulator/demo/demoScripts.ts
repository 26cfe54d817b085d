import type { SimulatedTurn } from '../simulatorTypes';
import { demoScriptId } from './demoIssues';
import { toolUseTurn } from '../responders';

/** Where a worker is in its run: which ticket, on which model, whether it is fixing findings, which turn. */
export interface WorkerStep {
  readonly ticketId: string;
  readonly model: string;
  readonly fixing: boolean;
  readonly step: number;
}

type Script = (step: WorkerStep) => readonly SimulatedTurn[];

const read = (path: string) => toolUseTurn('read_file', { path });
const write = (path: string, content: string) => toolUseTurn('write_file', { path, content });
const edit = (path: string, oldText: string, newText: string) => toolUseTurn('edit_file', { path, oldText, newText });
const run = (command: string) => toolUseTurn('run_command', { command });
const finish = (summary: string) => toolUseTurn('finish', { summary });

const SLUGIFY_TRIMMED = `'use strict';

/** Turns a title into a URL slug: lower case, words joined by dashes, no dash at either end. */
function slugify(text) {
  return text
    .toLowerCase()
    .trim()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

module.exports = { slugify };
`;

const SLUGIFY_MAX_LENGTH = `'use strict';

/**
 * Turns a title into a URL slug: lower case, words joined by dashes, no dash at either end.
 * With { maxLength }, the slug is cut to at most that many characters, again without a trailing dash.
 */
function slugify(text, options = {}) {
  let slug = text
    .toLowerCase()
    .trim()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  if (options.maxLength !== undefined && slug.length > options.maxLength) {
    slug = slug.slice(0, options.maxLength).replace(/-+$/, '');
  }
  return slug;
}

module.exports = { slugify };
`;

const SLUGIFY_TEST_HEAD = `'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { slugify } = require('../src/slugify');

test('slugify joins words with dashes', () => {
  assert.equal(slugify('Hello World'), 'hello-world');
});

test('slugify trims dashes at both ends', () => {
  assert.equal(slugify('  Hello, World!  '), 'hello-world');
});
`;

const WORD_COUNT_TESTS = `'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { countWords } = require('../src/wordCount');

test('countWords counts words', () => {
  assert.equal(countWords('one two three'), 3);
});

test('countWords splits on any whitespace', () => {
  assert.equal(countWords('one  two\\nthree'), 3);
});

test('countWords of an empty text is 0', () => {
  assert.equal(countWords(''), 0);
});
`;

const wordCount = (body: string) => `'use strict';

/** Counts the words of a text: runs of non-whitespace characters. */
function countWords(text) {
  ${body}
}

module.exports = { countWords };
`;

const SESSION_WITH_EXPIRY = `'use strict';

const sessions = new Map();

/** A session unused for this long is treated as logged out. */
const IDLE_LIMIT_MS = 30 * 60 * 1000;

/** Starts a session for a user and returns its id. */
function startSession(userId, now = Date.now()) {
  const id = Math.random().toString(36).slice(2);
  sessions.set(id, { userId, lastSeen: now });
  return id;
}

/** The user of a live session, or null; an idle session is forgotten. */
function sessionUser(id, now = Date.now()) {
  const session = sessions.get(id);
  if (!session) return null;
  if (now - session.lastSeen > IDLE_LIMIT_MS) {
    sessions.delete(id);
    return null;
  }
  session.lastSeen = now;
  return session.userId;
}

module.exports = { startSession, sessionUser, IDLE_LIMIT_MS };
`;

const README_WITH_USAGE = `# textkit

Small text utilities: slugs, word counts and sessions.

## Installation

Copy the \`src\` folder into your project.

## Usage

\`\`\`js
const { slugify } = require('./src/slugify');
slugify('Hello, World!'); // 'hello-world'
slugify('A very long title', { maxLength: 6 }); // 'a-very'

const { countWords } = require('./src/wordCount');
countWords('one  two\\nthree'); // 3
\`\`\`
`;

/**
 * The demo tickets' runs, turn by turn. D3 shows the fix loop and escalation: the fast tier's first
 * change fails the new empty-text test, its fix loop fails again, and the next tier gets it right.
 */
const SCRIPTS: Readonly<Record<string, Script>> = {
  D1: () => [read('README.md'), edit('README.md', '## Instalation', '## Installation'), finish('Fixed the spelling of the Installation heading in README.md.')],
  D2: () => [
    read('src/slugify.js'),
    write('src/slugify.js', SLUGIFY_TRIMMED),
    write('test/slugify.test.js', SLUGIFY_TEST_HEAD),
    run('node --test'),
    finish('slugify now strips dashes at both ends; added a test for it.'),
  ],
  D3: ({ model, fixing }) => {
    if (model.includes('haiku') && !fixing) {
      return [read('src/wordCount.js'), write('src/wordCount.js', wordCount('return text.split(/\\s+/).length;')), write('test/wordCount.test.js', WORD_COUNT_TESTS), finish('countWords splits on any whitespace; added tests.')];
    }
    if (model.includes('haiku')) {
      return [read('src/wordCount.js'), write('src/wordCount.js', wordCount('return text.trim().split(/\\s+/).length;')), finish('Trimmed the text before splitting.')];
    }
    return [
      read('src/wordCount.js'),
      read('test/wordCount.test.js'),
      write('src/wordCount.js', wordCount("return text.split(/\\s+/).filter((word) => word !== '').length;")),
      run('node --test'),
      finish('countWords ignores empty pieces, so runs of whitespace and an empty text count correctly; the tests pass.'),
    ];
  },
  D4: () => [
    read('src/slugify.js'),
    write('src/slugify.js', SLUGIFY_MAX_LENGTH),
    write('test/slugify.test.js', `${SLUGIFY_TEST_HEAD}\ntest('slugify cuts to maxLength without a trailing dash', () => {\n  assert.equal(slugify('Hello big world', { maxLength: 6 }), 'hello');\n  assert.equal(slugify('abc', { maxLength: 10 }), 'abc');\n});\n`),
    run('node --test'),
    finish('Added the maxLength option to slugify, cutting without a trailing dash; tests added.'),
  ],
  D5: () => [read('src/auth/session.js'), write('src/auth/session.js', SESSION_WITH_EXPIRY), finish('Sessions idle for more than 30 minutes are forgotten and report no user.')],
  D6: () => [read('README.md'), write('README.md', README_WITH_USAGE), finish('Added a Usage section with slugify (including maxLength) and countWords.')],
};

/** A ticket without a script: look around, then say honestly that the simulated model cannot do it. */
const UNSCRIPTED: Script = ({ ticketId }) => [
  toolUseTurn('list_dir', { path: '.' }),
  finish(`The simulated model has no script for ticket ${ticketId}, so it made no change. Set ANTHROPIC_API_KEY (or the provider setting) to run it with Claude.`),
];

/** The whole run of a ticket in the built-in engine's tool names (the Claude Code scripts translate it). */
export function workerScript(step: WorkerStep): readonly SimulatedTurn[] {
  return (SCRIPTS[demoScriptId(step.ticketId)] ?? UNSCRIPTED)(step);
}

export function workerTurn(step: WorkerStep): SimulatedTurn {
  const turns = workerScript(step);
  return turns[Math.min(step.step, turns.length - 1)] as SimulatedTurn;
}
