/**
 * Names of variables that hold credentials: the Anthropic key and token (and every other
 * `ANTHROPIC_*` setting, which only the model client needs), Flotilla's own key, and anything named
 * like a key, token, secret or password.
 */
const SECRET_ENV = /^(ANTHROPIC_|FLOTILLA_API_KEY$)|(_API_KEY|_AUTH_TOKEN|_TOKEN|_SECRET|_PASSWORD)$/i;

export function isSecretVariable(name: string): boolean {
  return SECRET_ENV.test(name);
}

/**
 * The environment every child process gets: this process's, minus credentials. git (and the hooks
 * it runs), gates, the command tool — none of them has any use for the user's API key, and a hook or
 * a test script is code the user (or the model) wrote. Only the model client holds the key, in
 * process; a child that needs one (a Claude Code worker) is given its own, explicitly.
 */
export function childEnvironment(base: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(base).filter(([key]) => !isSecretVariable(key)));
}
