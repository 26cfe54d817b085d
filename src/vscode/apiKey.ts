import type * as vscode from 'vscode';
import { apiKeyProblem } from '../core/llm/apiKeyShape';
import { registerSecret } from '../core/redactSecrets';

const SECRET_KEY = 'flotilla.anthropicApiKey';

/** The Anthropic API key, kept only in SecretStorage: never in settings, never in a log. */
export class ApiKeyStore {
  constructor(private readonly secrets: vscode.SecretStorage) {}

  /** The key; the redactor learns it too, since a key from SecretStorage is not in the environment. */
  async get(): Promise<string | undefined> {
    const key = await this.secrets.get(SECRET_KEY);
    registerSecret(key);
    return key;
  }

  store(key: string): Thenable<void> {
    registerSecret(key.trim());
    return this.secrets.store(SECRET_KEY, key.trim());
  }

  clear(): Thenable<void> {
    return this.secrets.delete(SECRET_KEY);
  }

  /** A recognisable but unusable form of the stored key, e.g. "sk-ant-…9f3a", for messages. */
  async masked(): Promise<string | undefined> {
    const key = await this.get();
    return key === undefined ? undefined : maskApiKey(key);
  }
}

export function maskApiKey(key: string): string {
  const prefix = key.startsWith('sk-ant-') ? 'sk-ant-' : '';
  return key.length <= prefix.length + 8 ? `${prefix}…` : `${prefix}…${key.slice(-4)}`;
}

/**
 * Why a typed key cannot be right, or undefined: core's rule (printable, long enough to be redacted
 * everywhere), the same one a run applies. Deliberately loose on the format: key formats change.
 */
export function apiKeyInputProblem(value: string): string | undefined {
  const key = value.trim();
  if (key === '') return 'Paste your Anthropic API key (it starts with sk-ant-).';
  return apiKeyProblem(key);
}
