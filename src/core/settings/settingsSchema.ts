import { z } from 'zod';

/**
 * Every `flotilla.*` setting, keyed as in package.json without the prefix. package.json's
 * `contributes.configuration` must list the same keys and defaults (a unit test holds them together).
 */
export const settingsShape = {
  'tickets.folder': z
    .string()
    .trim()
    .min(1, 'a folder path, relative to the workspace folder or absolute')
    .default('.flotilla/tickets'),
} as const;

export const settingsSchema = z.object(settingsShape);
export type Settings = z.infer<typeof settingsSchema>;
export type SettingKey = keyof typeof settingsShape;

export interface SettingProblem {
  readonly key: SettingKey;
  readonly message: string;
}

/**
 * Validates raw setting values one by one: an invalid value falls back to its default and is
 * reported, so one bad setting never disables the others.
 */
export function parseSettings(read: (key: SettingKey) => unknown): { settings: Settings; problems: SettingProblem[] } {
  const problems: SettingProblem[] = [];
  const values: Record<string, unknown> = {};
  for (const key of Object.keys(settingsShape) as SettingKey[]) {
    const schema = settingsShape[key];
    const result = schema.safeParse(read(key));
    if (result.success) {
      values[key] = result.data;
    } else {
      problems.push({ key, message: result.error.issues.map((i) => i.message).join('; ') });
      values[key] = schema.parse(undefined);
    }
  }
  return { settings: settingsSchema.parse(values), problems };
}
