import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type * as AgentSdk from '@anthropic-ai/claude-agent-sdk';

export type AgentSdkModule = typeof AgentSdk;

/** The SDK's own bundle, copied beside Flotilla's bundles by esbuild.mjs (it imports only Node built-ins). */
export const BUNDLED_SDK_FILE = 'claudeAgentSdk.mjs';

let loading: Promise<AgentSdkModule> | undefined;

/**
 * The Claude Agent SDK, loaded on the first Claude Code run only, so the extension bundle and its
 * start-up do not carry it: the copy beside the running bundle (dist/), else the installed package
 * (tests and development run from source).
 */
export function loadAgentSdk(): Promise<AgentSdkModule> {
  loading ??= load();
  return loading;
}

async function load(): Promise<AgentSdkModule> {
  const bundled = join(__dirname, BUNDLED_SDK_FILE);
  if (existsSync(bundled)) return (await import(pathToFileURL(bundled).href)) as AgentSdkModule;
  return import('@anthropic-ai/claude-agent-sdk');
}
