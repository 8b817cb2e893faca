import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { addMonths, DAY_MS } from './periods.service';

/** The institution's mandatory training: configuration (config/mandatory-training.json), checked at start. */

const itemSchema = z.object({
  id: z.string().regex(/^[a-z0-9-]{1,40}$/, 'must be 1 to 40 lower-case letters, digits or hyphens'),
  title: z.string().min(1, 'must not be empty').max(120, 'must be 120 characters or fewer'),
  renewalMonths: z.number({ invalid_type_error: 'must be a number of months' }).int('must be a whole number of months').min(1, 'must be at least 1').max(120, 'must be 120 or fewer'),
});
const fileSchema = z.object({
  dueSoonDays: z.number().int().min(1).max(365).default(30),
  items: z.array(itemSchema).min(1, 'must list at least one item').max(50, 'must list 50 items or fewer'),
});

export type MandatoryTraining = z.infer<typeof fileSchema>;
export type MandatoryItem = z.infer<typeof itemSchema>;

export class MandatoryTrainingError extends Error {
  constructor(readonly file: string, readonly problems: string[]) {
    super(`The mandatory training file ${file} has ${problems.length} problem(s):\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

/** config/mandatory-training.json beside src/ (run by ts tools) or dist/src/ (built). */
export const DEFAULT_TRAINING_FILE = [path.resolve(__dirname, '../../config'), path.resolve(__dirname, '../../../config')]
  .map((dir) => path.join(dir, 'mandatory-training.json'))
  .find((file) => existsSync(file)) ?? path.resolve('config/mandatory-training.json');

/** Reads and validates the file; throws one error listing every problem, so the tool refuses to start. */
export function loadMandatoryTraining(file: string = DEFAULT_TRAINING_FILE): MandatoryTraining {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new MandatoryTrainingError(file, [`cannot be read as JSON (${(err as Error).message})`]);
  }
  const parsed = fileSchema.safeParse(raw);
  const problems = parsed.success ? [] : parsed.error.issues.map((i) => `${i.path.join('.') || '(top)'} ${i.message}`);
  if (parsed.success) {
    const seen = new Set<string>();
    parsed.data.items.forEach((item, n) => {
      if (seen.has(item.id)) problems.push(`items.${n}.id "${item.id}" is used twice`);
      seen.add(item.id);
    });
  }
  if (!parsed.success || problems.length) throw new MandatoryTrainingError(file, problems);
  return parsed.data;
}

export type TrainingState = 'current' | 'due_soon' | 'overdue' | 'not_recorded';
export const TRAINING_STATE_LABELS: Record<TrainingState, string> = {
  current: 'Current',
  due_soon: 'Due soon',
  overdue: 'Overdue',
  not_recorded: 'Not recorded',
};

export interface TrainingStatus {
  item: MandatoryItem;
  state: TrainingState;
  lastDone: Date | null;
  renewBy: Date | null;
}

/** Each item's state at `now`, from the latest end date of the person's entries for it. Pure: no database. */
export function trainingStatus(training: MandatoryTraining, lastDone: Map<string, Date>, now: Date): TrainingStatus[] {
  return training.items.map((item) => {
    const done = lastDone.get(item.id) ?? null;
    if (!done) return { item, state: 'not_recorded', lastDone: null, renewBy: null };
    const renewBy = addMonths(done, item.renewalMonths);
    const left = renewBy.getTime() - now.getTime();
    const state: TrainingState = left < 0 ? 'overdue' : left <= training.dueSoonDays * DAY_MS ? 'due_soon' : 'current';
    return { item, state, lastDone: done, renewBy };
  });
}
