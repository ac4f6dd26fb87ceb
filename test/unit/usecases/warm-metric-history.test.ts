import fc from 'fast-check';
import { GROUP_WORK_DELIVERY } from '../../../shared/contracts/group-work-delivery';
import { MAX_UPSTREAM_GROUPS_PER_BATCH } from '../../../shared/core/dependencies/nearest-upstreams';
import type { LoadObservation } from '../../../shared/core/forecast/types';
import type { HistoryQuery, LoadMetricSpec, MetricHistory } from '../../../shared/ports/metric-history';
import {
  WARM_HISTORY_DEFAULTS,
  WarmHistoryStore,
  warmMetricHistory,
} from '../../../shared/usecases/warm-metric-history';

const STEP_MS = 300_000;
const DAY_MS = 86_400_000;
const T0 = Date.UTC(2024, 0, 15);
const CPU: LoadMetricSpec = { kind: 'cpu' };

/** A metric source over a mutable store of datapoints per group; records every query it answers. */
function fakeSource(points: Map<string, Map<number, number>>) {
  const asked: HistoryQuery[] = [];
  let failNext = false;
  const source: MetricHistory = {
    async loadHistory(queries) {
      if (failNext) {
        failNext = false;
        throw new Error('throttled');
      }
      asked.push(...queries);
      const out = new Map<string, LoadObservation[]>();
      for (const q of queries) {
        const series = [...(points.get(q.groupName) ?? new Map()).entries()]
          .filter(([t]) => t >= q.startMs && t < q.endMs)
          .sort(([a], [b]) => a - b)
          .map(([timestampMs, value]) => ({ timestampMs, value }));
        out.set(q.groupName, series);
      }
      return out;
    },
  };
  return { source, asked, failNextCall: () => (failNext = true) };
}

function filled(groupName: string, fromMs: number, toMs: number, value = (t: number) => t / STEP_MS) {
  const series = new Map<number, number>();
  for (let t = fromMs; t < toMs; t += STEP_MS) series.set(t, value(t));
  return new Map([[groupName, series]]);
}

const query = (endMs: number, metric: LoadMetricSpec = CPU, groupName = 'web', days = 14): HistoryQuery => ({
  groupName,
  metric,
  startMs: endMs - days * DAY_MS,
  endMs,
  stepSeconds: 300,
});

describe('warmMetricHistory', () => {
  it('reads only the tail after a whole read, from the re-read window before what it holds', async () => {
    const { source, asked } = fakeSource(filled('web', T0 - 15 * DAY_MS, T0 + DAY_MS));
    const warm = warmMetricHistory(source, new WarmHistoryStore());
    await warm.loadHistory([query(T0)]);
    const second = await warm.loadHistory([query(T0 + STEP_MS)]);
    expect(asked[1]).toEqual({ ...query(T0 + STEP_MS), startMs: T0 - WARM_HISTORY_DEFAULTS.rereadMs });
    expect(second.get('web')).toEqual((await source.loadHistory([query(T0 + STEP_MS)])).get('web'));
  });

  it('answers what a whole read answers while datapoints older than the window stay put', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer({ min: 0, max: 30 }), { minLength: 1, maxLength: 30 }),
        fc.array(fc.integer({ min: 0, max: 300 }), { maxLength: 20 }),
        async (advances, missingSteps) => {
          // One day of history keeps each comparison small; the window logic does not depend on it.
          const points = filled('web', T0 - 2 * DAY_MS, T0 + 2 * DAY_MS, (t) => Math.sin(t / 7e6) * 40 + 50);
          for (const k of missingSteps) points.get('web')?.delete(T0 - k * STEP_MS);
          const { source } = fakeSource(points);
          const store = new WarmHistoryStore();
          const warm = warmMetricHistory(source, store);
          let endMs = T0;
          for (const advance of advances) {
            endMs += advance * STEP_MS;
            const got = await warm.loadHistory([query(endMs, CPU, 'web', 1)]);
            expect(got.get('web')).toEqual(
              (await source.loadHistory([query(endMs, CPU, 'web', 1)])).get('web'),
            );
          }
          expect(store.stats.wholeReads + store.stats.tailReads).toBe(advances.length);
        },
      ),
      { numRuns: 40 },
    );
  });

  it('sees a datapoint changed within the window at once, and one changed before it at the next whole read', async () => {
    const points = filled('web', T0 - 15 * DAY_MS, T0 + DAY_MS);
    const { source } = fakeSource(points);
    const warm = warmMetricHistory(source, new WarmHistoryStore());
    await warm.loadHistory([query(T0)]);
    points.get('web')?.set(T0 - 2 * STEP_MS, -1);
    points.get('web')?.set(T0 - 6 * 3_600_000, -2);
    const next = (await warm.loadHistory([query(T0 + STEP_MS)])).get('web') ?? [];
    expect(next.find((p) => p.timestampMs === T0 - 2 * STEP_MS)?.value).toBe(-1);
    expect(next.find((p) => p.timestampMs === T0 - 6 * 3_600_000)?.value).not.toBe(-2);
    const afterWholeRead = (await warm.loadHistory([query(T0 + WARM_HISTORY_DEFAULTS.fullReadEveryMs)])).get(
      'web',
    );
    expect(afterWholeRead?.find((p) => p.timestampMs === T0 - 6 * 3_600_000)?.value).toBe(-2);
  });

  it('reads expression metrics, an earlier end and a cleared store whole', async () => {
    const { source, asked } = fakeSource(filled('web', T0 - 15 * DAY_MS, T0 + DAY_MS));
    const store = new WarmHistoryStore();
    const warm = warmMetricHistory(source, store);
    const expression: LoadMetricSpec = { kind: 'expression', expression: 'RUNNING_SUM(m1)' };
    await warm.loadHistory([query(T0, expression)]);
    await warm.loadHistory([query(T0 + STEP_MS, expression)]);
    await warm.loadHistory([query(T0)]);
    await warm.loadHistory([query(T0 - STEP_MS)]);
    store.clear();
    await warm.loadHistory([query(T0)]);
    expect(asked.map((q) => q.startMs)).toEqual([
      query(T0).startMs,
      query(T0 + STEP_MS).startMs,
      query(T0).startMs,
      query(T0 - STEP_MS).startMs,
      query(T0).startMs,
    ]);
  });

  it('keeps what it holds when a read fails, and drops the least recently read group beyond capacity', async () => {
    const points = new Map([
      ...filled('a', T0 - 15 * DAY_MS, T0 + DAY_MS),
      ...filled('b', T0 - 15 * DAY_MS, T0 + DAY_MS),
    ]);
    const { source, asked, failNextCall } = fakeSource(points);
    const warm = warmMetricHistory(
      source,
      new WarmHistoryStore({ ...WARM_HISTORY_DEFAULTS, capacityGroups: 1 }),
    );
    await warm.loadHistory([query(T0, CPU, 'a')]);
    failNextCall();
    await expect(warm.loadHistory([query(T0 + STEP_MS, CPU, 'a')])).rejects.toThrow('throttled');
    await warm.loadHistory([query(T0 + STEP_MS, CPU, 'a')]);
    await warm.loadHistory([query(T0, CPU, 'b')]);
    await warm.loadHistory([query(T0 + 2 * STEP_MS, CPU, 'a')]);
    expect(asked.map((q) => [q.groupName, q.startMs === query(q.endMs).startMs ? 'whole' : 'tail'])).toEqual([
      ['a', 'whole'],
      ['a', 'tail'],
      ['b', 'whole'],
      ['a', 'whole'],
    ]);
  });

  it('holds a whole batch and its upstreams by default: its next run reads only tails', async () => {
    // The most groups one worker run reads: its batch and the upstreams it forecasts beside them.
    const names = Array.from(
      { length: GROUP_WORK_DELIVERY.batchSize + MAX_UPSTREAM_GROUPS_PER_BATCH },
      (_, i) => `g${i}`,
    );
    const points = new Map(names.flatMap((name) => [...filled(name, T0 - 15 * DAY_MS, T0 + DAY_MS)]));
    const { source, asked } = fakeSource(points);
    const warm = warmMetricHistory(source, new WarmHistoryStore());
    await warm.loadHistory(names.map((name) => query(T0, CPU, name)));
    await warm.loadHistory(names.map((name) => query(T0 + STEP_MS, CPU, name)));
    const second = asked.slice(names.length);
    expect(second.filter((q) => q.startMs === query(q.endMs).startMs)).toEqual([]);
  });

  it('reads the quiet steps of an alb-requests load as zero across the join of what it holds and the tail', async () => {
    // ELB publishes no request metric for a minute without requests: quiet from T0 − 3 h to T0 + 2 h.
    const HOUR_MS = 3_600_000;
    const points = new Map([
      [
        'web',
        new Map([
          ...(filled('web', T0 - 15 * DAY_MS, T0 - 3 * HOUR_MS).get('web') ?? []),
          ...(filled('web', T0 + 2 * HOUR_MS, T0 + DAY_MS).get('web') ?? []),
        ]),
      ],
    ]);
    const alb: LoadMetricSpec = {
      kind: 'alb-requests',
      targetGroupFullName: 'tg',
      loadBalancerFullName: 'lb',
    };
    const read = async (metric: LoadMetricSpec) => {
      const warm = warmMetricHistory(
        fakeSource(points).source,
        new WarmHistoryStore({ ...WARM_HISTORY_DEFAULTS, fullReadEveryMs: DAY_MS }),
      );
      await warm.loadHistory([query(T0 - 2 * HOUR_MS, metric)]);
      const tail = await warm.loadHistory([query(T0 + 2 * HOUR_MS + STEP_MS, metric)]);
      return (tail.get('web') ?? []).filter((p) => p.timestampMs >= T0 - 3 * HOUR_MS);
    };
    const quiet = await read(alb);
    expect(quiet.map((p) => p.timestampMs)).toEqual(
      Array.from({ length: 61 }, (_, i) => T0 - 3 * HOUR_MS + i * STEP_MS),
    );
    expect(quiet.slice(0, 60).every((p) => p.value === 0)).toBe(true);
    // A CPU load keeps its holes: a missing step there is a datapoint lost, not an idle one.
    expect((await read(CPU)).map((p) => p.timestampMs)).toEqual([T0 + 2 * HOUR_MS]);
  });
});
