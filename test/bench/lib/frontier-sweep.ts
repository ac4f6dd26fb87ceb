/** How `bench:frontier` runs its sweeps: every run of every trace one job on its worker processes. */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { UserConfigInput } from '../../../shared/contracts/user-config';
import { compareFrontiers } from '../../../shared/simulation/evaluation/compare-frontiers';
import type { FrontierTrace } from '../../../shared/simulation/report/render-frontier-report';
import {
  type PolicyJob,
  type PolicyJobResult,
  runPolicyJobs,
} from '../../../shared/simulation/run/run-policy-jobs';
import type { Scenario } from '../../../shared/simulation/run/scenario';
import { type KnobSetting, sweepJobs, sweepPoint } from '../../../shared/simulation/run/sweep-knobs';
import type { FrontierArgs } from './frontier-args';
import { traceLine } from './frontier-text';

/** One trace at one warm-up and seed: its name, its scenario and the settings swept on it. */
export interface TraceRun {
  readonly name: string;
  readonly label: string;
  /** What its name says of it: its warm-up and seed when the command line runs several. */
  readonly run: { readonly warmupDays?: number | undefined; readonly seed?: number };
  readonly warmupDays: number | undefined;
  readonly scenario: Scenario;
  readonly grid: readonly KnobSetting[];
}

/** One bar over every run of the bench (on a terminal only). */
function progress() {
  if (!process.stderr.isTTY) {
    return { update: (_done: number, _total: number, _label: string) => undefined, stop: () => undefined };
  }
  const { SingleBar, Presets } = require('cli-progress') as typeof import('cli-progress');
  const bar = new SingleBar(
    {
      stream: process.stderr,
      format: '{label} [{bar}] {percentage}% | {value}/{total} runs | {duration}s',
      hideCursor: true,
    },
    Presets.shades_classic,
  );
  let started = false;
  return {
    update: (done: number, total: number, label: string) => {
      if (!started) {
        bar.start(total, 0, { label });
        started = true;
      }
      bar.update(Math.round(done * 100) / 100, { label });
    },
    stop: () => bar.stop(),
  };
}

/** Writes `value` to `file` as indented JSON, making its folder. */
export function writeJson(file: string, value: unknown): void {
  mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  writeFileSync(file, `${JSON.stringify(value, null, 2)}\n`);
}

export type SweptTrace = FrontierTrace & { warmupDays?: number; seed?: number };

/**
 * Every setting of every trace run as one batch of jobs on `--workers` processes (each run in its
 * own fresh world, so the points are those of one process running them in turn). A trace is
 * compared, printed and written to `--json` (the traces done so far, in the command line's order)
 * as soon as its last run is done.
 */
export async function sweepTraces(
  args: Pick<FrontierArgs, 'workers' | 'json' | 'warmPool' | 'burnInMinutes'>,
  runs: readonly TraceRun[],
  config: UserConfigInput,
): Promise<SweptTrace[]> {
  const jobs: PolicyJob[] = [];
  const firstJob: number[] = [];
  for (const r of runs) {
    firstJob.push(jobs.length);
    jobs.push(...sweepJobs(r.scenario, r.grid, config));
  }
  const traceOfJob = (job: number) => firstJob.findLastIndex((first) => first <= job);
  const left = runs.map((r) => r.grid.length);
  const traces: (SweptTrace | undefined)[] = runs.map(() => undefined);
  const shares = new Array<number>(jobs.length).fill(0);
  const results: PolicyJobResult[] = [];
  let done = 0;
  const bar = progress();
  await runPolicyJobs(jobs, {
    workers: args.workers,
    onProgress: (job, share) => {
      done += share - (shares[job] as number);
      shares[job] = share;
      bar.update(done, jobs.length, (runs[traceOfJob(job)] as TraceRun).name);
    },
    onDone: (job, result) => {
      results[job] = result;
      done += 1 - (shares[job] as number);
      shares[job] = 1;
      const i = traceOfJob(job);
      left[i] = (left[i] as number) - 1;
      bar.update(done, jobs.length, (runs[i] as TraceRun).name);
      if (left[i] === 0) traces[i] = finishTrace(args, runs, i, results, firstJob[i] as number, traces);
    },
  });
  bar.stop();
  return traces as SweptTrace[];
}

/** One trace run's points and comparison, printed and written with the traces done so far. */
function finishTrace(
  args: Pick<FrontierArgs, 'json' | 'warmPool' | 'burnInMinutes'>,
  runs: readonly TraceRun[],
  i: number,
  results: readonly PolicyJobResult[],
  first: number,
  done: readonly (SweptTrace | undefined)[],
): SweptTrace {
  const r = runs[i] as TraceRun;
  const points = r.grid.map((setting, k) => sweepPoint(setting, (results[first + k] as PolicyJobResult).run));
  const comparison = compareFrontiers(points);
  const evaluatedDays = (r.scenario.evalEndMs - r.scenario.evalStartMs) / 86_400_000;
  const trace: SweptTrace = { name: r.name, ...r.run, evaluatedDays, points, comparison };
  const seconds = r.grid.reduce((sum, _, k) => sum + (results[first + k]?.wallSeconds ?? 0), 0);
  console.log(traceLine(r.name, comparison, seconds));
  if (args.json) {
    const sofar = done.map((t, k) => (k === i ? trace : t)).filter((t) => t !== undefined);
    writeJson(args.json, {
      description: 'partial: traces done so far',
      warmPool: args.warmPool,
      burnInMinutes: args.burnInMinutes,
      traces: sofar,
    });
  }
  return trace;
}
