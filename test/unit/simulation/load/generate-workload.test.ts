import { generateWorkload } from '../../../../shared/simulation/load/generate-workload';
import { seededRandom } from '../../../../shared/simulation/seeded-random';

describe('generateWorkload', () => {
  const { trace, events } = generateWorkload({ days: 14 }, seededRandom(3));
  const at = (day: number, hour: number) => trace.values[day * 1440 + hour * 60] as number;

  it('is the same for the same seed and differs for another', () => {
    expect(generateWorkload({ days: 14 }, seededRandom(3)).trace.values).toEqual(trace.values);
    expect(generateWorkload({ days: 14 }, seededRandom(4)).trace.values).not.toEqual(trace.values);
  });

  it('peaks on weekday middays, is quiet at night and lighter at weekends', () => {
    expect(at(1, events.dailyPeakHourUtc)).toBeGreaterThan(3 * at(1, 3));
    expect(at(5, events.dailyPeakHourUtc)).toBeLessThan(0.8 * at(1, events.dailyPeakHourUtc));
  });

  it('has a campaign surge and an outage dip where it says', () => {
    const { campaign, anomaly } = events;
    if (!campaign || !anomaly) throw new Error('expected both events');
    const index = (ms: number) => (ms - trace.startMs) / 60_000;
    const during = trace.values[index(campaign.startMs) + 90] as number;
    const dayBefore = trace.values[index(campaign.startMs) + 90 - 1440] as number;
    expect(during).toBeGreaterThan(1.4 * dayBefore);
    expect(trace.values[index(anomaly.startMs) + 10]).toBeLessThan(
      0.5 * (trace.values[index(anomaly.startMs) - 1440 + 10] as number),
    );
  });

  it('never produces negative or non-finite load', () => {
    expect(trace.values.every((v) => Number.isFinite(v) && v >= 0)).toBe(true);
  });
});
