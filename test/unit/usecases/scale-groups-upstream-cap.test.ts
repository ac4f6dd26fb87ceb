import { parseConfig } from '../../../shared/contracts/parse-config';
import { userConfigSchema } from '../../../shared/contracts/user-config';
import { MAX_UPSTREAM_GROUPS_PER_BATCH } from '../../../shared/core/dependencies/nearest-upstreams';
import type { DependencyEdge } from '../../../shared/core/dependencies/types';
import { forecastDemand } from '../../../shared/core/forecast/forecast-demand';
import type { LoadObservation } from '../../../shared/core/forecast/types';
import type { HistoryQuery, MetricHistory } from '../../../shared/ports/metric-history';
import { scaleGroups } from '../../../shared/usecases/scale-groups';
import { FakeScalingTarget, groupSnapshot } from '../../fakes/fake-scaling-target';
import { MemoryStateStore } from '../../fakes/memory-state-store';
import { RecordingGroupOwnership } from '../../fakes/recording-group-ownership';

const STEP_MS = 300_000;
const NOW = Date.UTC(2026, 3, 6, 12, 0);
const STEPS = 2 * 288;

/** Every group on the same gentle daily cycle: the forecasts matter less than what is read. */
function series(scale: number): LoadObservation[] {
  const start = NOW - STEPS * STEP_MS;
  return Array.from({ length: STEPS }, (_, i) => ({
    timestampMs: start + i * STEP_MS,
    value: scale * (100 + 20 * Math.sin((2 * Math.PI * i) / 288)),
  }));
}

class History implements MetricHistory {
  readonly asked: string[][] = [];
  async loadHistory(queries: readonly HistoryQuery[]) {
    this.asked.push(queries.map((q) => q.groupName));
    return new Map(queries.map((q) => [q.groupName, series(q.groupName === 'db' ? 2 : 1)]));
  }
}

/** Runs `db` alone in its batch under `edges`, every group they name enrolled. */
async function runDb(edges: readonly DependencyEdge[]) {
  const names = [...new Set(['db', ...edges.flatMap((e) => [e.from, e.to])])];
  const scalingTarget = new FakeScalingTarget(names.map((name) => groupSnapshot({ name, maxSize: 100 })));
  const metricHistory = new History();
  const config = parseConfig(
    userConfigSchema,
    {
      groups: { names },
      mode: 'forecast-and-scale',
      defaults: { targetLoadPerInstance: 10, maxChangePerTick: 50, defaultLeadTimeSeconds: 600 },
      dependencies: { edges: edges.map((e) => ({ ...e })) },
    },
    'test',
  );
  const [result] = await scaleGroups(
    {
      scalingTarget,
      metricHistory,
      stateStore: new MemoryStateStore(),
      clock: { nowMs: () => NOW },
      forecast: forecastDemand,
      isGloballyPaused: async () => false,
      groupOwnership: new RecordingGroupOwnership(),
      dependencyEdges: async () => edges,
    },
    config,
    [{ groupName: 'db', tickMs: NOW }],
  );
  return { result, described: scalingTarget.described[0] ?? [], read: metricHistory.asked[0] ?? [] };
}

const caller = (i: number) => `svc-${String(i).padStart(3, '0')}`;

describe('scaleGroups with a shared back end above the upstream cap', () => {
  it('describes and reads the batch and at most the cap of upstreams, the heaviest edges, and names the cut', async () => {
    const extra = 5;
    // svc-000 has the fewest requests, so the five lightest callers are the ones left out.
    const edges = Array.from({ length: MAX_UPSTREAM_GROUPS_PER_BATCH + extra }, (_, i) => ({
      from: caller(i),
      to: 'db',
      requestCount: 100 + i,
    }));
    const { result, described, read } = await runDb(edges);
    const cut = Array.from({ length: extra }, (_, i) => caller(i));
    expect(described).toHaveLength(1 + MAX_UPSTREAM_GROUPS_PER_BATCH);
    expect(read).toHaveLength(1 + MAX_UPSTREAM_GROUPS_PER_BATCH);
    for (const name of cut) {
      expect(described).not.toContain(name);
      expect(read).not.toContain(name);
    }
    expect(result).toMatchObject({
      kind: 'ran',
      upstreamsLeftOut: {
        groupNames: cut,
        reason: expect.stringContaining(`${MAX_UPSTREAM_GROUPS_PER_BATCH}`),
      },
    });
  });

  it('keeps the nearest upstreams first: direct callers before their own callers', async () => {
    const direct = Array.from({ length: MAX_UPSTREAM_GROUPS_PER_BATCH }, (_, i) => caller(i));
    const edges = [
      // Listed first and with more requests: distance still wins.
      ...direct.map((name) => ({ from: `front-${name}`, to: name, requestCount: 1_000_000 })),
      ...direct.map((name) => ({ from: name, to: 'db' })),
    ];
    const { result, described } = await runDb(edges);
    expect([...described].sort()).toEqual(['db', ...direct].sort());
    expect(result?.kind === 'ran' && result.upstreamsLeftOut?.groupNames).toEqual(
      direct.map((name) => `front-${name}`),
    );
  });

  it('reads a chain under the cap whole, with no note', async () => {
    const edges = [
      { from: 'web', to: 'api' },
      { from: 'api', to: 'auth' },
      { from: 'auth', to: 'db' },
    ];
    const { result, described, read } = await runDb(edges);
    expect([...described].sort()).toEqual(['api', 'auth', 'db', 'web']);
    expect([...read].sort()).toEqual(['api', 'auth', 'db', 'web']);
    expect(result).toMatchObject({ kind: 'ran' });
    expect(result).not.toHaveProperty('upstreamsLeftOut');
  });
});
