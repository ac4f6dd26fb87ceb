import type { LaunchActivity } from '../../../shared/ports/scaling-target';
import { runFlatForecast as run } from '../../helpers/flat-forecast-run';

/** A day of 5-minute load at 60: one instance. */
const QUIET_DAY = Array.from({ length: 288 }, () => 60);

/** Load 60 (1 instance) for two steps, then 360 (6 instances) from ten minutes after now. */
const PEAK_IN_TEN_MINUTES = [60, 60, 360];

/** The group's 20 newest launches, all out of its warm pool: 40 s each. */
const WARM_STARTS: LaunchActivity[] = Array.from({ length: 20 }, (_, i) => ({
  startMs: i * 600_000,
  endMs: i * 600_000 + 40_000,
  fromWarmPool: true,
}));

/** Group `web` at 1, its warm pool holding `instances`. */
const pooled = (instances: number) => ({
  name: 'web',
  minSize: 1,
  desiredCapacity: 1,
  inServiceCapacity: 1,
  warmPool: { minSize: 0, poolState: 'Stopped' },
  warmPoolInstances: instances,
});

describe('scaleGroups on a group whose launches were warm starts', () => {
  it('starts now, a cold lead time ahead, a peak that needs more than its warm pool holds', async () => {
    // 6 needed in ten minutes, the pool holds 1: five launches start cold (300 s, the default).
    const drawnDown = await run({
      forecastLoad: PEAK_IN_TEN_MINUTES,
      actual: QUIET_DAY,
      group: pooled(1),
      launches: WARM_STARTS,
    });
    expect(drawnDown.result).toMatchObject({
      kind: 'ran',
      leadTimeSeconds: 300,
      outcome: {
        after: { minSize: 6, desiredCapacity: 6 },
        reason: expect.stringContaining(
          'lead time 300s (default), 40s out of the warm pool for up to its 1 instance(s)',
        ),
      },
    });
  });

  it('leaves a peak its warm pool can serve to the runs within the warm starts’ lead time', async () => {
    const full = await run({
      forecastLoad: PEAK_IN_TEN_MINUTES,
      actual: QUIET_DAY,
      group: pooled(10),
      launches: WARM_STARTS,
    });
    // The step before the peak ramps into it (4 at its busiest minute) and is within reach: no more.
    expect(full.result).toMatchObject({ kind: 'ran', plannedCapacity: 4 });
  });
});
