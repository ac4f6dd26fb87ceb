import { runFlatForecast as run } from '../../helpers/flat-forecast-run';

/** Two hours of on/off load: 600 and 0 every other five minutes (mean 300, coefficient of variation 1). */
const ON_OFF = Array.from({ length: 24 }, (_, i) => (i % 2 === 0 ? 600 : 0));

describe('scaleGroups burst floor', () => {
  it('holds a bursty group at the capacity its newest hour of mean load needs', async () => {
    // The forecast sees only the quiet level (30, one instance); the hour's mean needs 300 / 60 = 5.
    const { result } = await run({ forecastLoad: 30, actual: ON_OFF });
    expect(result?.kind === 'ran' && result.outcome).toMatchObject({
      kind: 'applied',
      after: { minSize: 5, desiredCapacity: 5 },
    });
    expect(result?.kind === 'ran' && result.outcome.reason).toContain(
      'bursty load (variation 1.00 of the mean within 60 min): floor 5 for the newest window',
    );
  });

  it('plans a smooth group on its forecast alone', async () => {
    const smooth = Array.from({ length: 24 }, (_, i) => 300 + (i % 2 === 0 ? 10 : -10));
    const { result } = await run({ forecastLoad: 30, actual: smooth });
    expect(result?.kind === 'ran' && result.outcome).toMatchObject({ kind: 'unchanged' });
  });

  it('is off with a zero window, and never floors above MaxSize', async () => {
    const off = await run({ forecastLoad: 30, actual: ON_OFF, defaults: { burstFloorWindowMinutes: 0 } });
    expect(off.result?.kind === 'ran' && off.result.outcome).toMatchObject({ kind: 'unchanged' });
    const capped = await run({
      forecastLoad: 30,
      actual: ON_OFF,
      group: { name: 'web', minSize: 1, maxSize: 3, desiredCapacity: 1, inServiceCapacity: 1 },
    });
    expect(capped.result?.kind === 'ran' && capped.result.outcome).toMatchObject({
      after: { minSize: 3, maxSize: 3, desiredCapacity: 3 },
    });
  });

  it('keeps predictive scale-in of a bursty group to the hold of its own policy', async () => {
    // Bursts of 600 for 20 minutes, then 20 quiet minutes: a release 5 minutes after a burst was
    // never regretted (the next burst comes after a launch could), so the learned window is 5
    // minutes. Ten minutes after the newest burst, that window would let the group go down to the
    // hour's floor (300 / 60 = 5); bursty, it keeps the policy's 15-minute hold (600 at 0.9 × 60: 12).
    const cycle = [600, 600, 600, 600, 0, 0, 0, 0];
    const actual = [...cycle, ...cycle, ...cycle].slice(0, 22);
    const group = {
      name: 'web',
      minSize: 1,
      desiredCapacity: 12,
      inServiceCapacity: 12,
      hasScalingPolicies: true,
    };
    const bursty = await run({ forecastLoad: 30, actual, group });
    expect(bursty.result?.kind === 'ran' && bursty.result.outcome).toMatchObject({
      after: { minSize: 5, desiredCapacity: 12 },
    });
    // The same history judged smooth (burstiness threshold above its 1.0): the learned 5 minutes.
    const smooth = await run({ forecastLoad: 30, actual, group, defaults: { burstFloorMinBurstiness: 2 } });
    expect(smooth.result?.kind === 'ran' && smooth.result.outcome).toMatchObject({
      after: { desiredCapacity: 1 },
    });
  });

  it('raises the floor to the coming hour of past days when the bursts recur at that hour', async () => {
    // Three days of on/off load at 5-minute steps: the coming hour of each day bursts to 600 (mean
    // 300, 5 instances), the other 23 hours to 120 (mean 60, 1 instance); the newest hour is quiet.
    const onOff = (peak: number, steps: number) =>
      Array.from({ length: steps }, (_, i) => (i % 2 === 0 ? peak : 0));
    const day = [...onOff(600, 12), ...onOff(120, 276)];
    const actual = [...day, ...day, ...day];
    const { result } = await run({ forecastLoad: 30, actual });
    expect(result?.kind === 'ran' && result.outcome).toMatchObject({ after: { minSize: 5 } });
    expect(result?.kind === 'ran' && result.outcome.reason).toContain(
      "floor 5 for the newest window's mean load raised to the same time of the past 7 days",
    );
    const off = await run({ forecastLoad: 30, actual, defaults: { burstFloorSeasonalDays: 0 } });
    expect(off.result?.kind === 'ran' && off.result.outcome).toMatchObject({ kind: 'unchanged' });
  });
});
