import { groupSettingsSchema } from '../../../shared/contracts/group-settings-schema';
import type { ForecastFn } from '../../../shared/usecases/group-forecaster';
import { historyQuery } from '../../../shared/usecases/history-query';
import { upperLoadForecast } from '../../../shared/usecases/upper-load-forecast';
import { groupSnapshot } from '../../fakes/fake-scaling-target';
import { demandForecast } from '../../helpers/demand-forecast';

const at = (hour: number, minute: number) => Date.UTC(2026, 2, 2, hour, minute);
const ALB = {
  kind: 'alb-requests',
  targetGroupFullName: 'targetgroup/web/0123456789abcdef',
  loadBalancerFullName: 'app/web/0123456789abcdef',
} as const;

describe('upperLoadForecast', () => {
  it("forecasts on the group's wall clock with the 80 % interval, as an update plan does", async () => {
    const seen: { newestMs: number; levels: readonly number[] }[] = [];
    const forecast: ForecastFn = ({ history, stepSeconds, horizonSteps, levels }) => {
      const newestMs = Math.max(...history.map((o) => o.timestampMs));
      seen.push({ newestMs, levels });
      const mean = Array.from({ length: horizonSteps }, () => 100);
      const intervals = levels.map((levelPct) => ({ levelPct, lower: mean, upper: mean }));
      return demandForecast(mean, intervals, { startMs: newestMs + stepSeconds * 1000, stepSeconds });
    };
    const settings = groupSettingsSchema.parse({ stepSeconds: 3600, metric: ALB, timeZone: 'Europe/Berlin' });
    const query = historyQuery('web', settings, at(12, 59));
    const stepMs = query.stepSeconds * 1000;
    const history = Array.from({ length: (query.endMs - query.startMs) / stepMs }, (_, i) => ({
      timestampMs: query.startMs + i * stepMs,
      value: 100,
    }));

    const { upper, note } = await upperLoadForecast(
      { metricHistory: { loadHistory: async () => new Map([['web', history]]) }, forecast },
      groupSnapshot({ name: 'web' }),
      settings,
      { query, endMs: query.endMs, horizonSteps: 3 },
    );

    // The newest step, 11:00Z, is 12:00 in Berlin in winter (+1 h): the forecaster reads it there,
    // and the p90 is read back from 12:00Z.
    expect(note).toBe('');
    expect(seen[0]).toEqual({ newestMs: at(12, 0), levels: [80] });
    expect(upper.startMs).toBe(at(12, 0));
    expect(upper.upperLoad).toHaveLength(3);
  });
});
