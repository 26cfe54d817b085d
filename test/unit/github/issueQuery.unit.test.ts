import * as assert from 'node:assert/strict';
import { GitHubQueryError } from '../../../src/core/tickets/github/githubErrors';
import { parseIssueQuery } from '../../../src/core/tickets/github/issueQuery';

describe('GitHub issue query', () => {
  it('maps the qualifiers the issue list filters on', () => {
    assert.deepEqual(parseIssueQuery('assignee:@me label:flotilla milestone:"Sprint 4" label:"good first issue"'), {
      state: 'open',
      labels: ['flotilla', 'good first issue'],
      assignee: '@me',
      milestone: 'Sprint 4',
    });
    assert.deepEqual(parseIssueQuery(''), { state: 'open', labels: [] });
    assert.deepEqual(parseIssueQuery('is:issue is:closed author:bob mentions:@me no:milestone'), { state: 'closed', labels: [], author: 'bob', mentions: '@me', milestone: 'none' });
    assert.deepEqual(parseIssueQuery('state:all no:assignee'), { state: 'all', labels: [], assignee: 'none' });
  });

  it('refuses what the issue list cannot do, naming the term', () => {
    const refused = (query: string, pattern: RegExp) =>
      assert.throws(
        () => parseIssueQuery(query),
        (error: unknown) => GitHubQueryError.is(error) && pattern.test(error.message),
      );
    refused('label:flotilla crash', /"crash": the issue list cannot search for words/);
    refused('is:pr', /pull requests are never tickets/);
    refused('sort:updated', /cannot filter on sort/);
    refused('assignee:a assignee:b', /more than one assignee/);
    refused('label:a,b', /label:a label:b/);
    refused('label:', /names no label/);
    refused('no:label', /no:assignee and no:milestone only/);
  });
});
