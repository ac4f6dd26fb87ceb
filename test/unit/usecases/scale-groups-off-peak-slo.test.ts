import { runFlatForecast as run } from '../../helpers/flat-forecast-run';

/** A group without scaling policies: Prescale sets DesiredCapacity = MinSize. */
const GROUP = { name: 'web', minSize: 1, maxSize: 40, desiredCapacity: 1, inServiceCapacity: 1 };

describe('scaleGroups with an SLO below the target', () => {
  // The next hour at 400, the rest of the day at 1500 (a trough before the day's peaks), target 80:
  // 5 instances now, 19 at the median step; at a 60 SLO the trough needs 7.
  const trough = [...Array.from({ length: 12 }, () => 400), 1500];
  const defaults = { targetLoadPerInstance: 80, burstFloorWindowMinutes: 0, scaleInAhead: false };

  it('plans the off-peak steps at the SLO', async () => {
    const atTarget = await run({ forecastLoad: trough, actual: [400, 400, 400], group: GROUP, defaults });
    expect(atTarget.result?.kind === 'ran' && atTarget.result.outcome).toMatchObject({
      after: { minSize: 5, desiredCapacity: 5 },
    });
    const withSlo = await run({
      forecastLoad: trough,
      actual: [400, 400, 400],
      group: GROUP,
      defaults: { ...defaults, sloLoadPerInstance: 60 },
    });
    expect(withSlo.result?.kind === 'ran' && withSlo.result.outcome).toMatchObject({
      after: { minSize: 7, desiredCapacity: 7 },
    });
  });

  it('plans the peak at the target', async () => {
    // The day's peak now (1500 for an hour), a trough of 400 after: 19 at 80, 25 at the SLO.
    const peak = [...Array.from({ length: 12 }, () => 1500), 400];
    const withSlo = await run({
      forecastLoad: peak,
      actual: [1500, 1500, 1500],
      group: GROUP,
      defaults: { ...defaults, sloLoadPerInstance: 60 },
    });
    expect(withSlo.result?.kind === 'ran' && withSlo.result.outcome).toMatchObject({
      after: { minSize: 19, desiredCapacity: 19 },
    });
  });
});
