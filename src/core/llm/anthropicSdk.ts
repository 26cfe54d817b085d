type SdkModule = typeof import('@anthropic-ai/sdk');

let loaded: SdkModule | undefined;

/**
 * The official Anthropic SDK, loaded on first use rather than when the extension activates: opening
 * a workspace lists tickets and never needs it. The production build keeps it in a bundle of its own
 * (dist/anthropic-sdk.js, see esbuild.mjs), so the extension's bundle does not carry it either.
 */
export function anthropicSdk(): SdkModule {
  // A require inside a function is what keeps the load lazy in the CommonJS bundles.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  loaded ??= require('@anthropic-ai/sdk') as SdkModule;
  return loaded;
}
