import { z } from 'zod';
import { readJsonFile, writeJsonAtomic } from './atomicJson';
import { budgetAlertsFile } from './storagePaths';

const alertsSchema = z.object({
  v: z.literal(1),
  /** Months (`YYYY-MM`) whose monthly soft alert was already shown. */
  monthlyShown: z.array(z.string().regex(/^\d{4}-\d{2}$/)),
});

/** Remembers which months' soft alert was shown, in global storage, so it shows once across windows. */
export interface SoftAlertMemory {
  wasShown(month: string): Promise<boolean>;
  markShown(month: string): Promise<void>;
}

/** File-backed memory at `<globalStorage>/budget-alerts.json`. A corrupt file is quarantined and forgotten. */
export function fileAlertMemory(globalStorage: string, now: () => number = Date.now): SoftAlertMemory {
  const path = budgetAlertsFile(globalStorage);
  const read = async (): Promise<string[]> => {
    const result = await readJsonFile(path, alertsSchema, now);
    return result.kind === 'ok' ? result.value.monthlyShown : [];
  };
  return {
    async wasShown(month) {
      return (await read()).includes(month);
    },
    async markShown(month) {
      const months = [...new Set([...(await read()), month])].sort().slice(-24);
      await writeJsonAtomic(path, { v: 1, monthlyShown: months });
    },
  };
}

export function memoryAlertMemory(): SoftAlertMemory {
  const shown = new Set<string>();
  return {
    wasShown: (month) => Promise.resolve(shown.has(month)),
    markShown: (month) => {
      shown.add(month);
      return Promise.resolve();
    },
  };
}
