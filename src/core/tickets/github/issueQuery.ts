import type { GitHubApi, IssueListParameters } from './githubApi';
import { GitHubQueryError } from './githubErrors';
import type { GitHubRepository } from './githubRepository';

/**
 * A query as people write it in GitHub's search box (`assignee:@me label:flotilla milestone:"v2"`),
 * limited to what the issue list itself filters on: the list is REST, cheap with ETags, and lists
 * exactly the repository's issues, where the search API would cost a separate, smaller rate limit.
 */
export interface IssueQuery {
  readonly state: IssueListParameters['state'];
  readonly labels: readonly string[];
  /** A login, `@me`, or `none` (no:assignee). */
  readonly assignee?: string;
  readonly author?: string;
  readonly mentions?: string;
  /** A milestone's title, or `none` (no:milestone). */
  readonly milestone?: string;
}

type Single = 'assignee' | 'author' | 'mentions' | 'milestone';

/** Splits on spaces outside double quotes: `label:"good first issue"` is one term. */
function terms(query: string): string[] {
  const found: string[] = [];
  const pattern = /(\S*?"[^"]*"\S*|\S+)/g;
  for (const match of query.matchAll(pattern)) found.push(match[0]);
  return found;
}

const unquote = (value: string): string => value.replace(/^"(.*)"$/, '$1').trim();

export function parseIssueQuery(query: string): IssueQuery {
  let state: IssueQuery['state'] = 'open';
  const labels: string[] = [];
  const single: Partial<Record<Single, string>> = {};
  const setOnce = (key: Single, value: string, term: string) => {
    if (value === '') throw new GitHubQueryError(`"${term}" names no ${key}`);
    if (single[key] !== undefined && single[key] !== value) throw new GitHubQueryError(`the query names more than one ${key} (${single[key]}, ${value}); the issue list filters on one`);
    single[key] = value;
  };
  for (const term of terms(query)) {
    const colon = term.indexOf(':');
    const qualifier = colon > 0 ? term.slice(0, colon).toLowerCase() : '';
    const value = unquote(term.slice(colon + 1));
    switch (qualifier) {
      case 'label':
        if (value === '') throw new GitHubQueryError(`"${term}" names no label`);
        // label:a,b is GitHub's OR; the issue list ANDs its labels, so keep the meanings apart.
        if (value.includes(',')) throw new GitHubQueryError(`"${term}": the issue list cannot match one of several labels; write label:a label:b for issues with both`);
        labels.push(value);
        break;
      case 'assignee':
      case 'author':
      case 'mentions':
      case 'milestone':
        setOnce(qualifier, value, term);
        break;
      case 'no':
        if (value === 'assignee' || value === 'milestone') setOnce(value, 'none', term);
        else throw new GitHubQueryError(`"${term}": the issue list filters on no:assignee and no:milestone only`);
        break;
      case 'state':
      case 'is':
        if (value === 'open' || value === 'closed' || (qualifier === 'state' && value === 'all')) state = value;
        else if (qualifier === 'is' && value === 'issue') break;
        else throw new GitHubQueryError(`"${term}": Flotilla lists issues that are open, closed or all (pull requests are never tickets)`);
        break;
      default:
        throw new GitHubQueryError(
          qualifier === '' ? `"${term}": the issue list cannot search for words; filter with qualifiers` : `"${term}": the issue list cannot filter on ${qualifier}`,
        );
    }
  }
  return { state, labels, ...single };
}

/** The list parameters for a query: `@me` becomes the token's login, a milestone title its number. */
export async function listParameters(query: IssueQuery, api: GitHubApi, repo: GitHubRepository): Promise<IssueListParameters> {
  const person = async (value: string | undefined): Promise<string | undefined> => (value === '@me' ? api.currentLogin() : value);
  const [assignee, creator, mentioned] = await Promise.all([person(query.assignee), person(query.author), person(query.mentions)]);
  let milestone: string | undefined;
  if (query.milestone === 'none' || query.milestone === '*') milestone = query.milestone;
  else if (query.milestone !== undefined) {
    const wanted = query.milestone.toLowerCase();
    const found = (await api.milestones(repo)).find((m) => m.title.toLowerCase() === wanted);
    if (!found) throw new GitHubQueryError(`${repo.owner}/${repo.name} has no milestone titled "${query.milestone}"`);
    milestone = String(found.number);
  }
  return {
    state: query.state,
    ...(query.labels.length > 0 ? { labels: query.labels.join(',') } : {}),
    ...(assignee === undefined ? {} : { assignee }),
    ...(creator === undefined ? {} : { creator }),
    ...(mentioned === undefined ? {} : { mentioned }),
    ...(milestone === undefined ? {} : { milestone }),
  };
}
