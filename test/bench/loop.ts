import { RecordingGroupOwnership } from '../fakes/recording-group-ownership';
/**
 * Scaling-loop throughput: one worker batch after another through `scaleGroups` with the real
 * forecaster and in-memory ports, for N groups of 14 days of 5-minute history, as one scheduled
 * run would process them. Reports the per-group time and whether 1000 groups fit the interval.
 *
 * Run: npx tsx test/bench/loop.ts [--groups N]   (npm run bench:loop)
 */

import * as os from 'node:os';
import { parseConfig } from '../../shared/contracts/parse-config';
import { userConfigSchema } from '../../shared/contracts/user-config';
import { forecastDemand } from '../../shared/core/forecast/forecast-demand';
import type { LoadObservation } from '../../shared/core/forecast/types';
import type { HistoryQuery, MetricHistory } from '../../shared/ports/metric-history';
import { parseWholeNumber } from '../../shared/simulation/parse-cli-args';
import { scaleGroups } from '../../shared/usecases/scale-groups';
import { FakeScalingTarget, groupSnapshot } from '../fakes/fake-scaling-target';
import { MemoryStateStore } from '../fakes/memory-state-store';
import { benchArgs, benchValue } from './lib/bench-args';

const USAGE = `Usage: npx tsx test/bench/loop.ts [--groups N]

  --groups N  groups per run, a whole number ≥ 1 (default 200)`;
const GROUPS_TEXT = benchArgs(USAGE, { groups: { type: 'string', default: '200' } }).groups;
const GROUPS = benchValue(
  () => parseWholeNumber('--groups', GROUPS_TEXT, { noun: 'a whole number', min: 1 }),
  USAGE,
);
const STEP_MS = 300_000;
const STEPS = 14 * 288;
const NOW = Date.UTC(2026, 1, 1);

function history(seed: number): LoadObservation[] {
  let state = seed;
  const rand = () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
  const start = NOW - STEPS * STEP_MS;
  return Array.from({ length: STEPS }, (_, t) => {
    const day = (2 * Math.PI * t) / 288;
    return {
      timestampMs: start + t * STEP_MS,
      value: Math.max(0, 300 + 200 * Math.sin(day - 1) + 30 * (rand() - 0.5)),
    };
  });
}

class Histories implements MetricHistory {
  private readonly cache = new Map<string, LoadObservation[]>();
  async loadHistory(queries: readonly HistoryQuery[]) {
    return new Map(
      queries.map((q) => {
        const h =
          this.cache.get(q.groupName) ?? history(q.groupName.length * 7919 + Number(q.groupName.slice(1)));
        this.cache.set(q.groupName, h);
        return [q.groupName, h] as const;
      }),
    );
  }
}

async function main() {
  const names = Array.from({ length: GROUPS }, (_, i) => `g${i}`);
  const config = parseConfig(userConfigSchema, { groups: { names }, mode: 'forecast-and-scale' }, 'bench');
  const deps = {
    scalingTarget: new FakeScalingTarget(names.map((name) => groupSnapshot({ name, maxSize: 100 }))),
    metricHistory: new Histories(),
    stateStore: new MemoryStateStore(),
    clock: { nowMs: () => NOW },
    forecast: forecastDemand,
    isGloballyPaused: async () => false,
    groupOwnership: new RecordingGroupOwnership(),
  };
  // Warm up the JIT and the history cache outside the timed run.
  await scaleGroups(deps, config, [{ groupName: 'g0', tickMs: NOW - STEP_MS }]);
  const perBatch: number[] = [];
  const started = performance.now();
  for (let i = 0; i < names.length; i += 10) {
    const t = performance.now();
    const results = await scaleGroups(
      deps,
      config,
      names.slice(i, i + 10).map((groupName) => ({ groupName, tickMs: NOW })),
    );
    perBatch.push(performance.now() - t);
    const failed = results.filter((r) => r.kind === 'failed');
    if (failed.length > 0) throw new Error(`failed: ${JSON.stringify(failed)}`);
  }
  const totalMs = performance.now() - started;
  const perGroupMs = totalMs / names.length;
  const sorted = [...perBatch].sort((a, b) => a - b);
  const p95 = sorted[Math.min(sorted.length - 1, Math.ceil(0.95 * sorted.length) - 1)] ?? 0;
  console.log(`machine: ${os.cpus()[0]?.model} × ${os.cpus().length}, node ${process.version}`);
  console.log(`groups: ${names.length}, 14 days of 5-minute history each, 24 h horizon`);
  console.log(`per group: ${perGroupMs.toFixed(1)} ms (compute only; AWS calls are in-memory fakes)`);
  console.log(`batch of 10: p95 ${p95.toFixed(0)} ms`);
  console.log(`1000 groups: ${((perGroupMs * 1000) / 1000).toFixed(1)} s of Lambda compute per run`);
  console.log(
    `with 5 concurrent workers: ${((perGroupMs * 1000) / 5 / 1000).toFixed(1)} s wall time (interval 300 s)`,
  );
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
