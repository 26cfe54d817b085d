/**
 * The bench simulator in a process of its own, so a benchmark that measures Flotilla's CPU time does
 * not count the simulated model's. Reads `{oracle, content}` from the JSON file named by argv[2],
 * prints the server's URL as one line, and serves until stdin closes.
 */
import { readFileSync } from 'node:fs';
import { startSimulator } from '../../src/simulator/simulator';
import type { OracleTicket } from './benchTickets';
import { oracleResponder } from './oracleResponder';

async function main(): Promise<void> {
  const input = JSON.parse(readFileSync(process.argv[2] ?? '', 'utf8')) as { oracle: OracleTicket[]; content: [string, string][] };
  const sim = await startSimulator({ responder: oracleResponder({ oracle: input.oracle, content: new Map(input.content) }) });
  process.stdout.write(`${sim.url}\n`);
  process.stdin.resume();
  process.stdin.on('end', () => void sim.close().then(() => process.exit(0)));
}

void main();
