import { KeyMatcher, replaceKeys } from './keySpellings';

/**
 * Keys must never be stored or shown (ARCHITECTURE.md), yet an API or gateway error may repeat the
 * key it was sent, and a model may read one from a file. Everything Flotilla prints or stores passes
 * through here once, at the boundary: error texts (errorText.ts, classifyError.ts), the stores'
 * writers (state, execution log, reviews, transcripts, ledger), the CLI's output and the log.
 */

/** Anthropic keys and tokens: `sk-ant-api03-…`, `sk-ant-admin01-…`, `sk-ant-oat01-…`. */
const ANTHROPIC_KEY_SHAPE = /sk-ant-[A-Za-z0-9_-]+/g;
const REDACTED_SHAPE = 'sk-ant-…';
/** GitHub tokens: classic and OAuth/app tokens (`ghp_…`, `gho_…`, `ghu_…`, `ghs_…`, `ghr_…`) and fine-grained ones (`github_pat_…`). */
const GITHUB_TOKEN_SHAPE = /\b(?:gh[pousr]_[A-Za-z0-9]{20,}|github_pat_[A-Za-z0-9_]{20,})/g;
const REDACTED_GITHUB_SHAPE = 'gh…[redacted]';
export const REDACTED = '[redacted]';

/** Variables whose values are credentials whatever they look like. */
const SECRET_VALUE_VARIABLE = /^FLOTILLA_API_KEY$|(_API_KEY|_AUTH_TOKEN|_TOKEN|_SECRET|_PASSWORD)$/i;
/** Shorter values ("1", "true") are not worth redacting and would mangle ordinary text. */
const MIN_SECRET_LENGTH = 8;

const registered = new Set<string>();

/**
 * Adds a credential that does not come from the environment (the key from VS Code's SecretStorage,
 * a key for a gateway with its own format). The model client registers the key it is given.
 */
export function registerSecret(value: string | undefined): void {
  if (value !== undefined && value.length >= MIN_SECRET_LENGTH) registered.add(value);
}

const matchers = new Map<string, KeyMatcher>();

function knownSecrets(): KeyMatcher[] {
  const fromEnv = Object.entries(process.env).flatMap(([name, value]) => (value !== undefined && value.length >= MIN_SECRET_LENGTH && SECRET_VALUE_VARIABLE.test(name) ? [value] : []));
  // Longest first, so a secret that contains another is replaced whole.
  const secrets = [...new Set([...registered, ...fromEnv])].sort((a, b) => b.length - a.length);
  return secrets.map((secret) => {
    let matcher = matchers.get(secret);
    if (matcher === undefined) matchers.set(secret, (matcher = new KeyMatcher(secret)));
    return matcher;
  });
}

/** A scheme's `//` followed by credentials up to their `@` (no spaces: the URL is inside other text). */
const URL_USERINFO = /\b([a-z][a-z0-9+.-]*:\/\/)[^\s/?#]*@/gi;

/** `http://user:password@host/…` as `http://host/…`: a URL's credentials are never shown or stored. */
export function withoutUserinfo(text: string): string {
  return text.replace(URL_USERINFO, '$1');
}

/**
 * `text` with every key-shaped string and every known credential replaced — also where JSON escaping
 * or percent-encoding spelled it differently (keySpellings.ts) — and credentials taken out of URLs.
 */
export function redactSecrets(text: string): string {
  const shaped = withoutUserinfo(text.replace(ANTHROPIC_KEY_SHAPE, REDACTED_SHAPE).replace(GITHUB_TOKEN_SHAPE, REDACTED_GITHUB_SHAPE));
  return replaceKeys(shaped, knownSecrets(), () => REDACTED).text;
}
