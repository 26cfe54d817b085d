/** A guard by literal name: it survives minification and a second copy of the module (CONVENTIONS.md 18, 25). */
function guard<T extends Error>(name: T['name']): (error: unknown) => error is T {
  return (error: unknown): error is T => error instanceof Error && error.name === name;
}

/**
 * Typed failures of the GitHub ticket source and pull requests. Callers branch on the class (its
 * static `is()` guard, which survives minification and module copies), never on message text; each
 * message is one line a person can act on, and none of them ever holds the token.
 */
export abstract class GitHubError extends Error {
  /** What the user can do next, for a terminal ("set GITHUB_TOKEN …"); the editor words its own. */
  abstract readonly nextStep: string;

  static readonly is: (error: unknown) => error is GitHubError = (error): error is GitHubError => error instanceof Error && GITHUB_ERROR_NAMES.has(error.name);
}

/** 401, or no token at all: the token is missing, expired or revoked. */
export class GitHubAuthError extends GitHubError {
  override readonly name = 'GitHubAuthError';
  readonly nextStep = 'set GITHUB_TOKEN or GH_TOKEN to a valid token with access to the repository (repo scope)';

  static override readonly is = guard<GitHubAuthError>('GitHubAuthError');
}

/** 404 on the repository: it does not exist, or the token cannot see it. */
export class GitHubNotFoundError extends GitHubError {
  override readonly name = 'GitHubNotFoundError';
  readonly nextStep = 'check the repository name (--github-repo OWNER/NAME) and that the token can read it';

  static override readonly is = guard<GitHubNotFoundError>('GitHubNotFoundError');
}

/**
 * 403/429 with the rate limit spent (primary) or a secondary limit. Nothing was lost: nothing is
 * written before a listing completes, and a pull request either exists or was not created.
 */
export class GitHubRateLimitError extends GitHubError {
  override readonly name = 'GitHubRateLimitError';
  readonly nextStep: string;

  /** `resetAt`: when GitHub said the limit resets (or a retry may start), if it said. */
  constructor(readonly resetAt: Date | null) {
    const when = resetAt === null ? 'in a while' : `after ${resetAt.toISOString().slice(11, 19)} UTC`;
    super(`GitHub's API rate limit is used up; nothing was changed${resetAt === null ? '' : ` (it resets at ${resetAt.toISOString()})`}`);
    this.nextStep = `try again ${when}`;
  }

  static override readonly is = guard<GitHubRateLimitError>('GitHubRateLimitError');
}

/** The workspace's repository is not on GitHub, or no repository was named. */
export class NotOnGitHubError extends GitHubError {
  override readonly name = 'NotOnGitHubError';

  constructor(message: string, readonly nextStep: string) {
    super(message);
  }

  static override readonly is = guard<NotOnGitHubError>('NotOnGitHubError');
}

/** The query (`assignee:@me label:flotilla …`) uses something the issue list cannot filter on. */
export class GitHubQueryError extends GitHubError {
  override readonly name = 'GitHubQueryError';
  readonly nextStep = 'use label:NAME, assignee:LOGIN|@me|none, author:LOGIN|@me, mentions:LOGIN|@me, milestone:TITLE|none, state:open|closed|all';

  static override readonly is = guard<GitHubQueryError>('GitHubQueryError');
}

/** Anything else GitHub (or the way to it) answered: a refused write, a server error, no connection. */
export class GitHubRequestError extends GitHubError {
  override readonly name = 'GitHubRequestError';
  readonly nextStep = 'check the connection to the GitHub API (GITHUB_API_URL) and try again';

  constructor(message: string, readonly status: number | null) {
    super(message);
  }

  static override readonly is = guard<GitHubRequestError>('GitHubRequestError');
}

const GITHUB_ERROR_NAMES: ReadonlySet<string> = new Set(['GitHubAuthError', 'GitHubNotFoundError', 'GitHubRateLimitError', 'NotOnGitHubError', 'GitHubQueryError', 'GitHubRequestError']);
