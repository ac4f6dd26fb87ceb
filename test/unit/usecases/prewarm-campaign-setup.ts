/** A campaign on two groups over synthetic hourly load, and the use case's deps around fakes. */
import { type UserConfig, userConfigSchema } from '../../../shared/contracts/user-config';
import { applyCampaigns } from '../../../shared/core/forecast/apply-campaigns';
import type { LoadObservation } from '../../../shared/core/forecast/types';
import type { CampaignDefinition } from '../../../shared/ports/campaign-store';
import type { HistoryQuery, MetricHistory } from '../../../shared/ports/metric-history';
import type { CapacityChange } from '../../../shared/ports/scaling-target';
import type { ScheduledCapacityAction } from '../../../shared/ports/scheduled-capacity';
import type { ForecastFn } from '../../../shared/usecases/scale-groups';
import { FakeScalingTarget, groupSnapshot } from '../../fakes/fake-scaling-target';
import { FakeScheduledCapacity } from '../../fakes/fake-scheduled-capacity';
import { MemoryCampaigns } from '../../fakes/memory-campaigns';
import { MemoryStateStore } from '../../fakes/memory-state-store';
import { RecordingGroupOwnership } from '../../fakes/recording-group-ownership';
import { syntheticLoad } from '../core/forecast/synthetic-load';

export const HOUR = 3_600_000;
const EPOCH = Date.UTC(2024, 0, 1);
export const START = Date.UTC(2024, 0, 15, 10);
export const END = START + 6 * HOUR;

export const config: UserConfig = userConfigSchema.parse({
  groups: { names: ['web', 'api'] },
  mode: 'forecast-and-scale',
  defaults: { stepSeconds: 3600, targetLoadPerInstance: 60, floorCapacity: 1 },
});

/** Hourly synthetic load from 2024-01-01, × 1.5 inside the campaign window. */
class SyntheticHistory implements MetricHistory {
  readonly values = syntheticLoad({ steps: 24 * 20, stepSeconds: 3600, noise: 1 });
  async loadHistory(queries: readonly HistoryQuery[]): Promise<Map<string, LoadObservation[]>> {
    return new Map(
      queries.map((q) => [
        q.groupName,
        this.values
          .map((v, i) => {
            const t = EPOCH + i * HOUR;
            return { timestampMs: t, value: t >= START && t < END ? v * 1.5 : v };
          })
          .filter((o) => o.timestampMs >= q.startMs && o.timestampMs < q.endMs),
      ]),
    );
  }
}

/** A flat forecast (mean 100, 80 % interval 90–110) with the campaigns applied, as forecastDemand does. */
export const flatForecast: ForecastFn = ({ history, stepSeconds, horizonSteps, levels, campaigns }) => {
  const startMs = Math.max(...history.map((o) => o.timestampMs)) + stepSeconds * 1000;
  const flat = (v: number) => Array.from({ length: horizonSteps }, () => v);
  const adjusted = applyCampaigns(
    startMs,
    stepSeconds,
    flat(100),
    levels.map((levelPct) => ({ levelPct, lower: flat(90), upper: flat(110) })),
    campaigns ?? [],
  );
  return {
    startMs,
    stepSeconds,
    mean: adjusted.mean,
    intervals: adjusted.intervals,
    selection: { kind: 'single', models: ['flat'], backtest: [], lowConfidence: false, reason: 'test' },
    cleaning: {
      inputPoints: history.length,
      droppedNonFinite: 0,
      droppedNegative: 0,
      mergedDuplicates: 0,
      reordered: false,
      filledGapSteps: 0,
      outputSteps: history.length,
    },
    anomalies: [],
    campaignsApplied: adjusted.campaignsApplied,
  };
};

/** `load` observed every whole hour of each query's span: a history that never departs from a flat forecast. */
export function hourlyFlatHistory(load: number): MetricHistory {
  return {
    loadHistory: async (queries) =>
      new Map(
        queries.map((q) => {
          const points: LoadObservation[] = [];
          for (let t = Math.ceil(q.startMs / HOUR) * HOUR; t < q.endMs; t += HOUR)
            points.push({ timestampMs: t, value: load });
          return [q.groupName, points];
        }),
      ),
  };
}

export const definition: CampaignDefinition = {
  campaignId: 'bf',
  version: 1,
  kind: 'sale',
  groupNames: ['api', 'web'],
  startMs: START,
  endMs: END,
  rampUpSeconds: 0,
  expectedLoad: { kind: 'multiplier', factor: 3 },
  extraInstances: 2,
  expiresAtMs: END + 30 * 24 * HOUR,
};

export async function setup(
  apiTags: Record<string, string> = {},
  scheduledActions: Record<string, readonly ScheduledCapacityAction[]> = {},
) {
  const campaigns = new MemoryCampaigns();
  await campaigns.schedule(definition, 'e-1', START - 24 * HOUR);
  const scalingTarget = new FakeScalingTarget([
    groupSnapshot({ name: 'web', minSize: 1, desiredCapacity: 1, maxSize: 20 }),
    groupSnapshot({ name: 'api', minSize: 2, desiredCapacity: 2, maxSize: 20, tags: apiTags }),
  ]);
  let nowMs = START - 6 * 60_000;
  const scheduledCapacity = new FakeScheduledCapacity(scheduledActions);
  const deps = {
    scheduledCapacity,
    store: campaigns,
    calendar: campaigns,
    scalingTarget,
    metricHistory: new SyntheticHistory(),
    stateStore: new MemoryStateStore(),
    clock: { nowMs: () => nowMs },
    forecast: flatForecast,
    isGloballyPaused: async () => false,
    groupOwnership: new RecordingGroupOwnership({ target: scalingTarget }),
  };
  return { deps, campaigns, scalingTarget, scheduledCapacity, setNow: (ms: number) => (nowMs = ms) };
}

/**
 * Runs `around` in place of the first capacity change of `groupName` (the pre-warm's raise), with
 * the change and a `land` that applies it: a test puts a release, a loop run or a timeout before or
 * after the raise lands. Every other change applies as asked. Returns whether that change came.
 */
export function aroundFirstChange(
  ctx: Pick<Awaited<ReturnType<typeof setup>>, 'scalingTarget'>,
  groupName: string,
  around: (land: () => Promise<void>, change: CapacityChange) => Promise<void>,
): () => boolean {
  const update = ctx.scalingTarget.updateCapacity.bind(ctx.scalingTarget);
  let came = false;
  ctx.scalingTarget.updateCapacity = async (name, change) => {
    if (came || name !== groupName) return update(name, change);
    came = true;
    await around(() => update(name, change), change);
  };
  return () => came;
}
