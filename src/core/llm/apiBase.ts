/** An API base URL that cannot be used: bad input, refused before anything is written or sent. */
export class InvalidApiBaseError extends Error {
  override readonly name = 'InvalidApiBaseError';

  /** The URL as given, without any credentials in it: what may be shown. */
  readonly given: string;

  constructor(given: string, reason: string) {
    const shown = given.replace(GIVEN_USERINFO, '$1');
    super(`--api-base ${shown}: ${reason}; give an http(s) URL such as https://gateway.example.com or http://127.0.0.1:8080`);
    this.given = shown;
  }
}

/** Whatever sits between `scheme://` and the last `@` before the path, even in a string that is not a valid URL. */
const GIVEN_USERINFO = /^([a-z][a-z0-9+.-]*:\/\/)[^/?#]*@/i;

/**
 * The one check of an API base URL (the CLI's --api-base, any other front end's endpoint): an
 * absolute http or https URL with a host and no credentials in it. The SDK would accept a malformed
 * one and fail every call at send time — retried, logged and billed as attempts — so it is refused
 * up front instead. Returns the URL as the SDK wants it.
 */
export function parseApiBase(given: string): string {
  let url: URL;
  try {
    url = new URL(given);
  } catch {
    throw new InvalidApiBaseError(given, 'not a URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new InvalidApiBaseError(given, `the scheme is ${url.protocol.replace(/:$/, '')}, not http or https`);
  if (url.hostname === '') throw new InvalidApiBaseError(given, 'it names no host');
  // A user name or password in the URL would be sent with every request and shown in every error;
  // the refusal itself shows the URL without them.
  if (url.username !== '' || url.password !== '') throw new InvalidApiBaseError(given, 'it contains credentials, which Flotilla does not send or show (the key comes from ANTHROPIC_API_KEY)');
  return given;
}
