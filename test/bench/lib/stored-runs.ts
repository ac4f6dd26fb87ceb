/**
 * Earlier `bench:frontier --json` runs read back, so their points can be compared again (by this
 * tree's comparison) without running them, and runs of different curves on the same traces merged.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { parseConfig } from '../../../shared/contracts/parse-config';
import type { SweepPoint } from '../../../shared/simulation/evaluation/compare-frontiers';

const nonNegative = z.number().finite().nonnegative();

const sweepPointSchema = z.object({
  policy: z.string().min(1),
  knob: z.string().min(1),
  isDefault: z.boolean(),
  costUsd: nonNegative,
  sloViolationMinutes: nonNegative,
  instanceHours: nonNegative,
});

const storedTraceSchema = z.object({
  name: z.string().min(1),
  warmupDays: nonNegative.optional(),
  /** The seed, in runs of several (`--seed 1,2`). */
  seed: z.number().int().positive().optional(),
  evaluatedDays: z.number().finite().positive(),
  points: z.array(sweepPointSchema),
});

/** What `bench:frontier --json` writes; the comparison it stored is not read (it is recomputed). */
const storedRunSchema = z.object({
  description: z.string(),
  warmPool: z.boolean(),
  /** Absent in runs from before the option: they started cold. */
  burnInMinutes: z.number().int().nonnegative().default(0),
  traces: z.array(storedTraceSchema),
});

/** One trace (or trace-day) of a stored run: its points as the run measured them. */
export type StoredTrace = z.output<typeof storedTraceSchema> & { readonly points: SweepPoint[] };

/** Stored runs merged: whether their groups had warm pools, their burn-in, and every trace's points. */
export interface MergedRuns {
  readonly warmPool: boolean;
  readonly burnInMinutes: number;
  readonly traces: readonly StoredTrace[];
}

/**
 * One stored run from its JSON text.
 * @throws Error naming `file` for text that is not JSON; InvalidConfigError naming each bad field.
 */
export function parseStoredRun(text: string, file: string): z.output<typeof storedRunSchema> {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new Error(`${file}: not a bench:frontier --json file (${(error as Error).message})`);
  }
  return parseConfig(storedRunSchema, json, `bench:frontier run ${file}`);
}

const settingKey = (p: SweepPoint) => `${p.policy} / ${p.knob}`;
const sameRun = (a: SweepPoint, b: SweepPoint) =>
  a.isDefault === b.isDefault &&
  a.costUsd === b.costUsd &&
  a.sloViolationMinutes === b.sloViolationMinutes &&
  a.instanceHours === b.instanceHours;

/**
 * The traces of `runs` merged by name, in the order first seen: each trace's points from every run,
 * a setting (policy and knob) that two runs measured kept once. Runs of one trace must agree where
 * they overlap, or the merged frontier would mix two versions of the product.
 * @throws Error naming both files when they disagree on warm pools, on the burn-in, on a trace's evaluated days or
 *   on a setting's cost, minutes or instance-hours.
 */
export function mergeStoredRuns(
  runs: readonly { readonly file: string; readonly run: z.output<typeof storedRunSchema> }[],
): MergedRuns {
  const first = runs[0];
  if (!first) throw new Error('no stored run to merge');
  const merged = new Map<
    string,
    { file: string; trace: StoredTrace; bySetting: Map<string, { point: SweepPoint; file: string }> }
  >();
  for (const { file, run } of runs) {
    if (run.warmPool !== first.run.warmPool)
      throw new Error(`${file} ran ${run.warmPool ? 'with' : 'without'} warm pools, ${first.file} did not`);
    if (run.burnInMinutes !== first.run.burnInMinutes)
      throw new Error(
        `${file} ran a burn-in of ${run.burnInMinutes} min before each window, ${first.file} ${first.run.burnInMinutes} min`,
      );
    for (const trace of run.traces) {
      let seen = merged.get(trace.name);
      if (!seen) {
        seen = { file, trace: { ...trace, points: [] }, bySetting: new Map() };
        merged.set(trace.name, seen);
      } else if (
        seen.trace.evaluatedDays !== trace.evaluatedDays ||
        seen.trace.warmupDays !== trace.warmupDays ||
        seen.trace.seed !== trace.seed
      )
        throw new Error(`${trace.name}: ${file} evaluated another window than ${seen.file}`);
      for (const p of trace.points) {
        const earlier = seen.bySetting.get(settingKey(p));
        if (!earlier) {
          seen.bySetting.set(settingKey(p), { point: p, file });
          seen.trace.points.push(p);
        } else if (!sameRun(earlier.point, p))
          throw new Error(
            `${trace.name}, ${settingKey(p)}: ${file} measured $${p.costUsd}, ${p.sloViolationMinutes} min; ${earlier.file} $${earlier.point.costUsd}, ${earlier.point.sloViolationMinutes} min (runs of different versions or settings?)`,
          );
      }
    }
  }
  return {
    warmPool: first.run.warmPool,
    burnInMinutes: first.run.burnInMinutes,
    traces: [...merged.values()].map((m) => m.trace),
  };
}

/** The stored runs in `files`, read and merged ({@link parseStoredRun}, {@link mergeStoredRuns}). */
export function readStoredRuns(files: readonly string[]): MergedRuns {
  return mergeStoredRuns(
    files.map((file) => ({ file, run: parseStoredRun(readFileSync(file, 'utf8'), file) })),
  );
}
