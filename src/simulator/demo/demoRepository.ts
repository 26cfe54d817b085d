/**
 * The demo's sample project: a tiny text-utilities library with real tests (node:test), so the
 * test gate actually runs and a wrong edit actually fails it. Tickets span the three classes and
 * include dependencies and a security-sensitive one.
 */
export const DEMO_FILES: Readonly<Record<string, string>> = {
  'package.json': `{
  "name": "textkit",
  "version": "1.0.0",
  "private": true,
  "scripts": { "test": "node --test" }
}
`,
  'README.md': `# textkit

Small text utilities: slugs, word counts and sessions.

## Instalation

Copy the \`src\` folder into your project.
`,
  'src/slugify.js': `'use strict';

/** Turns a title into a URL slug: lower case, words joined by dashes. */
function slugify(text) {
  return text
    .toLowerCase()
    .trim()
    .replace(/[^a-z0-9]+/g, '-');
}

module.exports = { slugify };
`,
  'src/wordCount.js': `'use strict';

/** Counts the words of a text. */
function countWords(text) {
  return text.split(' ').length;
}

module.exports = { countWords };
`,
  'src/auth/session.js': `'use strict';

const sessions = new Map();

/** Starts a session for a user and returns its id. */
function startSession(userId, now = Date.now()) {
  const id = Math.random().toString(36).slice(2);
  sessions.set(id, { userId, lastSeen: now });
  return id;
}

/** The user of a live session, or null. */
function sessionUser(id, now = Date.now()) {
  const session = sessions.get(id);
  if (!session) return null;
  session.lastSeen = now;
  return session.userId;
}

module.exports = { startSession, sessionUser };
`,
  'test/slugify.test.js': `'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { slugify } = require('../src/slugify');

test('slugify joins words with dashes', () => {
  assert.equal(slugify('Hello World'), 'hello-world');
});
`,
  'test/wordCount.test.js': `'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { countWords } = require('../src/wordCount');

test('countWords counts words', () => {
  assert.equal(countWords('one two three'), 3);
});
`,
};

export const DEMO_TICKETS: Readonly<Record<string, string>> = {
  'D1.md': `---
id: D1
title: Fix the spelling of "Installation" in the README
labels: [docs]
priority: 3
files: [README.md]
acceptance:
  - The README heading reads "Installation"
---
The README heading says "Instalation".
`,
  'D2.md': `---
id: D2
title: Trim leading and trailing dashes in slugify
labels: [bug]
priority: 2
files: [src/slugify.js, test/slugify.test.js]
acceptance:
  - slugify("  Hello, World!  ") returns "hello-world"
  - npm test passes
---
slugify("Hello, World!") returns "hello-world-" with a trailing dash, because the final "!" becomes a
dash. Slugs must not start or end with a dash. Add a test.
`,
  'D3.md': `---
id: D3
title: Count words separated by any whitespace
labels: [bug]
priority: 2
files: [src/wordCount.js, test/wordCount.test.js]
acceptance:
  - countWords("one  two\\nthree") returns 3
  - countWords("") returns 0
  - npm test passes
---
countWords splits on single spaces only, so double spaces, tabs and new lines give wrong counts, and an
empty text counts as one word. Split on runs of whitespace and ignore empty input. Add tests for both.
`,
  'D4.md': `---
id: D4
title: Add a maxLength option to slugify
labels: [feature]
priority: 3
dependsOn: [D2]
files: [src/slugify.js, test/slugify.test.js]
acceptance:
  - "slugify(text, { maxLength: 5 }) never returns more than 5 characters and never ends with a dash"
  - npm test passes
---
Long titles make very long URLs. Add an optional second argument { maxLength } that cuts the slug,
without leaving a trailing dash. Build on the trimming from D2.
`,
  'D5.md': `---
id: D5
title: Expire sessions after 30 minutes without activity
labels: [security, auth]
priority: 1
files: [src/auth/session.js]
acceptance:
  - sessionUser returns null for a session idle for more than 30 minutes, and forgets it
  - An active session stays valid
---
Sessions never expire today, which is a security problem for shared computers. A session that has not
been used for 30 minutes must be treated as logged out.
`,
  'D6.md': `---
id: D6
title: Document slugify and countWords in the README
labels: [docs]
priority: 4
dependsOn: [D1, D4]
files: [README.md]
---
Add a "Usage" section with one example for each function, including the maxLength option.
`,
};
