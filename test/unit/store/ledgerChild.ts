// Child process for the ledger tests and benchmark: appends `count` records tagged with `tag`.
import { UsageLedger } from '../../../src/core/store/ledgerWriter';
import { usageRecord } from './storeTestKit';

async function main(): Promise<void> {
  const [storage, tag, countText, parallelText] = process.argv.slice(2);
  if (storage === undefined || tag === undefined) throw new Error('usage: ledgerChild STORAGE TAG COUNT [PARALLEL]');
  const count = Number(countText ?? '100');
  const parallel = Number(parallelText ?? '4');
  const ledger = new UsageLedger({ globalStorage: storage });
  let next = 0;
  // A long request id makes each line several hundred bytes, so interleaving would show.
  const padding = tag.repeat(200);
  await Promise.all(
    Array.from({ length: parallel }, async () => {
      while (next < count) {
        const i = next++;
        await ledger.append(usageRecord({ ticketId: `${tag}-${i}`, requestId: padding }));
      }
    }),
  );
  await ledger.close();
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
