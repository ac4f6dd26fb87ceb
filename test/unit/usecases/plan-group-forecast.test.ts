import { groupSettingsSchema } from '../../../shared/contracts/group-settings-schema';
import type { LoadObservation } from '../../../shared/core/forecast/types';
import type { HistoryQuery } from '../../../shared/ports/metric-history';
import { planGroupForecast } from '../../../shared/usecases/plan-group-forecast';
import type { ForecastFn } from '../../../shared/usecases/scale-groups';
import { groupSnapshot } from '../../fakes/fake-scaling-target';
import { demandForecast } from '../../helpers/demand-forecast';

const HOUR_MS = 3_600_000;
const at = (hour: number, minute: number) => Date.UTC(2026, 2, 2, hour, minute);
const ALB = {
  kind: 'alb-requests',
  targetGroupFullName: 'targetgroup/web/0123456789abcdef',
  loadBalancerFullName: 'app/web/0123456789abcdef',
} as const;

/** Every step of the query, 100 each: a source whose settled steps are all there. */
function wholeHistory(query: HistoryQuery): LoadObservation[] {
  const stepMs = query.stepSeconds * 1000;
  return Array.from({ length: (query.endMs - query.startMs) / stepMs }, (_, i) => ({
    timestampMs: query.startMs + i * stepMs,
    value: 100,
  }));
}

describe('planGroupForecast', () => {
  it('reads a cumulative load up to its last settled step, not a step before, and forecasts on from there to now + span', async () => {
    const seen: { history: readonly LoadObservation[]; horizonSteps: number }[] = [];
    const forecast: ForecastFn = ({ history, stepSeconds, horizonSteps }) => {
      seen.push({ history, horizonSteps });
      return demandForecast(
        Array.from({ length: horizonSteps }, () => 100),
        [],
        { startMs: Math.max(...history.map((o) => o.timestampMs)) + stepSeconds * 1000, stepSeconds },
      );
    };
    const settings = groupSettingsSchema.parse({ stepSeconds: 3600, metric: ALB });
    const nowMs = at(12, 59);
    const spanMs = 2 * HOUR_MS;

    const planned = await planGroupForecast(
      {
        metricHistory: {
          loadHistory: async (queries) => new Map(queries.map((q) => [q.groupName, wholeHistory(q)])),
        },
        forecast,
      },
      groupSnapshot({ name: 'web' }),
      settings,
      { nowMs, spanMs },
    );

    // 12:59 less the 3 settling minutes is 12:56: the step [11:00, 12:00) is whole, [12:00, 13:00)
    // is not. Rounding 12:59 to 12:00 before the query left out [11:00, 12:00) as well.
    const newestMs = Math.max(...(seen[0]?.history ?? []).map((o) => o.timestampMs));
    expect(newestMs).toBe(at(11, 0));
    expect(planned.startMs).toBe(at(12, 0));
    expect(planned.startMs + planned.mean.length * HOUR_MS).toBeGreaterThanOrEqual(nowMs + spanMs);
  });

  it("forecasts on the group's wall clock with the 80 % interval, read back on UTC steps", async () => {
    const { forecast, seen } = recordingForecast();
    const settings = groupSettingsSchema.parse({ stepSeconds: 3600, metric: ALB, timeZone: 'Europe/Berlin' });

    const planned = await planGroupForecast(
      { metricHistory: { loadHistory: wholeHistories }, forecast },
      groupSnapshot({ name: 'web' }),
      settings,
      { nowMs: at(12, 59), spanMs: 2 * HOUR_MS },
    );

    // The newest step, 11:00Z, is 12:00 in Berlin in winter (+1 h): the forecaster reads it there.
    expect(seen[0]?.newestMs).toBe(at(12, 0));
    expect(seen[0]?.levels).toEqual([80]);
    expect(planned.startMs).toBe(at(12, 0));
  });
});

/** A flat forecaster (intervals of no width) that records the newest step and the levels it was asked for. */
function recordingForecast() {
  const seen: { newestMs: number; levels: readonly number[] }[] = [];
  const forecast: ForecastFn = ({ history, stepSeconds, horizonSteps, levels }) => {
    const newestMs = Math.max(...history.map((o) => o.timestampMs));
    seen.push({ newestMs, levels });
    const mean = Array.from({ length: horizonSteps }, () => 100);
    const intervals = levels.map((levelPct) => ({ levelPct, lower: mean, upper: mean }));
    return demandForecast(mean, intervals, { startMs: newestMs + stepSeconds * 1000, stepSeconds });
  };
  return { forecast, seen };
}

async function wholeHistories(queries: readonly HistoryQuery[]) {
  return new Map(queries.map((q) => [q.groupName, wholeHistory(q)]));
}
