import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Mocha from 'mocha';
import * as vscode from 'vscode';
import { writeBenchResult } from '../../bench/benchResults';
import type { FlotillaApi } from '../../src/vscode/api';

/** One test's outcome, as the launcher prints it. */
export interface IntegrationTestResult {
  readonly title: string;
  readonly state: 'passed' | 'failed' | 'pending';
  readonly durationMs: number;
  readonly error?: string;
}

export interface IntegrationResults {
  readonly vscodeVersion: string;
  readonly appName: string;
  readonly passes: number;
  readonly failures: number;
  readonly pending: number;
  readonly tests: readonly IntegrationTestResult[];
}

/**
 * Runs every integration suite next to this file inside the extension host. @vscode/test-electron
 * calls run() directly; under code-server the runner extension calls it with a results file, since
 * nothing else can carry results out of a web workbench.
 */
export function run(resultsFile = process.env.FLOTILLA_IT_RESULTS): Promise<void> {
  const mocha = new Mocha({ ui: 'bdd', timeout: 60_000, color: false, reporter: 'spec' });
  // Suites named restricted*.test.js need an untrusted workspace; the launcher starts a second
  // host for them with FLOTILLA_IT_SUITES=restricted.
  const restricted = process.env.FLOTILLA_IT_SUITES === 'restricted';
  // FLOTILLA_IT_FILES=e_,f_ runs only the suites whose file names start so (while iterating on them).
  const only = process.env.FLOTILLA_IT_FILES?.split(',').filter(Boolean);
  const files = readdirSync(__dirname).filter((f) => f.endsWith('.test.js') && f.startsWith('restricted') === restricted && (!only || only.some((p) => f.startsWith(p))));
  for (const file of files.sort()) mocha.addFile(join(__dirname, file));
  const tests: IntegrationTestResult[] = [];
  if (!restricted) recordActivationTime();
  return new Promise((resolve, reject) => {
    const runner = mocha.run((failures) => {
      if (resultsFile) {
        const results: IntegrationResults = {
          vscodeVersion: vscode.version,
          appName: vscode.env.appName,
          passes: tests.filter((t) => t.state === 'passed').length,
          failures,
          pending: tests.filter((t) => t.state === 'pending').length,
          tests,
        };
        writeFileSync(resultsFile, JSON.stringify(results, null, 2));
      }
      if (failures > 0) reject(new Error(`${failures} integration test(s) failed`));
      else resolve();
    });
    runner.on('pass', (test) => tests.push({ title: test.fullTitle(), state: 'passed', durationMs: test.duration ?? 0 }));
    runner.on('pending', (test) => tests.push({ title: test.fullTitle(), state: 'pending', durationMs: 0 }));
    runner.on('fail', (test, error: Error) =>
      tests.push({ title: test.fullTitle(), state: 'failed', durationMs: test.duration ?? 0, error: error.stack ?? error.message }),
    );
  });
}

/**
 * The editor section of `npm run bench` (bench/README.md): activation time as the extension measured
 * it in this real extension host, recorded where the launcher says (FLOTILLA_BENCH_OUT).
 */
function recordActivationTime(): void {
  const api = vscode.extensions.getExtension<FlotillaApi | undefined>('flotilla.flotilla')?.exports;
  if (!process.env.FLOTILLA_BENCH_OUT || typeof api?.activationMs !== 'number') return;
  writeBenchResult('editor', { activation_ms: api.activationMs, activation_host: `${vscode.env.appName} ${vscode.version}` }, 'activation');
}
