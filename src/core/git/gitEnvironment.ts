import { devNull } from 'node:os';
import { isSecretVariable } from '../process/childEnvironment';

/**
 * What git needs from the environment, and nothing else: where it is (PATH, GIT_EXEC_PATH), where the
 * user's own config files are (HOME, XDG_CONFIG_HOME, GIT_CONFIG_GLOBAL/SYSTEM/NOSYSTEM, and on
 * Windows USERPROFILE/HOMEDRIVE/HOMEPATH/APPDATA/PROGRAMDATA), who the user is (GIT_AUTHOR_*,
 * GIT_COMMITTER_*, EMAIL, USER/LOGNAME), a temp folder, certificate paths, and what Windows needs to
 * start a program.
 * Everything else — tokens, cloud credentials, the SSH agent — stays out of every process git starts
 * (a filter or merge driver from the user's config, a hook if one ever ran). A remote operation
 * (the push of `flotilla pr`) gets REMOTE_NEEDS besides.
 */
const GIT_NEEDS = new Set([
  'PATH',
  'HOME',
  'XDG_CONFIG_HOME',
  'USER',
  'LOGNAME',
  'EMAIL',
  'TMPDIR',
  'TZ',
  'GIT_EXEC_PATH',
  'GIT_CONFIG_GLOBAL',
  'GIT_CONFIG_SYSTEM',
  'GIT_CONFIG_NOSYSTEM',
  'GIT_AUTHOR_NAME',
  'GIT_AUTHOR_EMAIL',
  'GIT_COMMITTER_NAME',
  'GIT_COMMITTER_EMAIL',
  // Certificates for HTTPS remotes; paths, not secrets.
  'GIT_SSL_CAINFO',
  'GIT_SSL_CAPATH',
  'SSL_CERT_FILE',
  'SSL_CERT_DIR',
  // Windows: starting programs (git for Windows runs sh for some commands) and finding the user's files.
  'SYSTEMROOT',
  'WINDIR',
  'COMSPEC',
  'PATHEXT',
  'USERPROFILE',
  'HOMEDRIVE',
  'HOMEPATH',
  'APPDATA',
  'LOCALAPPDATA',
  'PROGRAMDATA',
  'TEMP',
  'TMP',
]);

/**
 * What a push needs besides, to use the user's own git credentials as in their terminal: the SSH agent
 * and the program git runs for ssh, an askpass helper (and the display it may need), proxies. No token:
 * GITHUB_TOKEN and GH_TOKEN are secret-named and stay out even here (`isSecretVariable`), so the token
 * Flotilla holds for GitHub's REST API never reaches git or a credential helper.
 */
const REMOTE_NEEDS = new Set(['SSH_AUTH_SOCK', 'SSH_AGENT_PID', 'GIT_SSH', 'GIT_SSH_COMMAND', 'GIT_SSH_VARIANT', 'GIT_ASKPASS', 'SSH_ASKPASS', 'DISPLAY', 'HTTP_PROXY', 'HTTPS_PROXY', 'ALL_PROXY', 'NO_PROXY']);

/**
 * The environment of every git process Flotilla starts: the allowed variables of `base` (names
 * compared in upper case, as Windows spells them either way), English messages (the one place we read
 * stderr, "not a git repository", is localised otherwise) and no prompts, so a credential helper can
 * never hang a worker.
 */
export function gitEnvironment(base: NodeJS.ProcessEnv, options: { readonly remote?: boolean } = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(base)) {
    const needed = GIT_NEEDS.has(name.toUpperCase()) || (options.remote === true && REMOTE_NEEDS.has(name.toUpperCase()));
    if (value !== undefined && needed && !isSecretVariable(name)) env[name] = value;
  }
  return { ...env, LC_ALL: 'C', LANGUAGE: 'C', GIT_TERMINAL_PROMPT: '0' };
}

/**
 * Configuration given on every git command line, which wins over every config file: no hooks at all
 * (a repository's `core.hooksPath` may name a folder in the worktree, such as `.husky/`, which a
 * worker can write; Flotilla's own gates check the result instead), and no file-system monitor
 * (`core.fsmonitor` names a program git would start on status, add and diff).
 */
export const GIT_SAFETY_CONFIG: readonly string[] = ['-c', `core.hooksPath=${devNull}`, '-c', 'core.fsmonitor=false'];
