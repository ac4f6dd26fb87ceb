import { runFlatForecast as run } from '../../helpers/flat-forecast-run';

/** A group without scaling policies: Prescale sets DesiredCapacity = MinSize. */
const GROUP = { name: 'web', minSize: 1, maxSize: 40, desiredCapacity: 1, inServiceCapacity: 1 };

// Two days of 5-minute load at 50; in the newest hour it swings to 130 every other step. The
// forecast says 50 (one instance at target 80); the last hour's high load needs two.
const actual = Array.from({ length: 2 * 288 }, (_, i) => (i >= 2 * 288 - 12 && i % 2 === 0 ? 130 : 50));
const defaults = { targetLoadPerInstance: 80, burstFloorWindowMinutes: 0, scaleInAhead: false };
const outcomeOf = (r: Awaited<ReturnType<typeof run>>) =>
  r.result?.kind === 'ran' ? r.result.outcome : undefined;

describe('scaleGroups holding the recent load', () => {
  it('plans the newest hour’s high load until the next launches are in service when the group opts in', async () => {
    const held = await run({
      forecastLoad: 50,
      actual,
      group: GROUP,
      defaults: { ...defaults, recentLoadHoldMinutes: 60 },
    });
    expect(outcomeOf(held)).toMatchObject({ after: { minSize: 2, desiredCapacity: 2 } });
    expect(outcomeOf(held)?.reason).toContain(
      'recent load held: 130, the p95 of the last 60 min, until the next launches are in service',
    );
  });

  it('opts in by the prescale:recent-load-hold-minutes tag with the setting off', async () => {
    const tagged = await run({
      forecastLoad: 50,
      actual,
      group: { ...GROUP, tags: { 'prescale:recent-load-hold-minutes': '60' } },
      defaults,
    });
    expect(outcomeOf(tagged)).toMatchObject({ after: { minSize: 2, desiredCapacity: 2 } });
  });

  it('holds the quantile the prescale:recent-load-hold-quantile tag sets, and reports one it cannot read', async () => {
    // The hour's 0.3-quantile is 50: one instance, where the configured 0.95 holds two.
    const tagged = await run({
      forecastLoad: 50,
      actual,
      group: { ...GROUP, tags: { 'prescale:recent-load-hold-quantile': '0.3' } },
      defaults: { ...defaults, recentLoadHoldMinutes: 60 },
    });
    expect(outcomeOf(tagged)).toMatchObject({ kind: 'unchanged' });
    const malformed = await run({
      forecastLoad: 50,
      actual,
      group: { ...GROUP, tags: { 'prescale:recent-load-hold-quantile': '30%' } },
      defaults: { ...defaults, recentLoadHoldMinutes: 60 },
    });
    expect(outcomeOf(malformed)).toMatchObject({ after: { minSize: 2 } });
    expect(outcomeOf(malformed)?.reason).toContain(
      'ignored tag prescale:recent-load-hold-quantile=30% (expected a number in (0, 1])',
    );
  });

  it('holds only as far back as asked, and the quantile asked', async () => {
    // The newest 5 minutes hold one step (50): too few loads to hold anything.
    const short = await run({
      forecastLoad: 50,
      actual,
      group: GROUP,
      defaults: { ...defaults, recentLoadHoldMinutes: 5 },
    });
    expect(outcomeOf(short)).toMatchObject({ kind: 'unchanged' });
    // The hour's twelve steps: six of 50, six of 130; the 0.6-quantile is 130.
    const high = await run({
      forecastLoad: 50,
      actual,
      group: GROUP,
      defaults: { ...defaults, recentLoadHoldMinutes: 60, recentLoadHoldQuantile: 0.6 },
    });
    expect(outcomeOf(high)).toMatchObject({ after: { minSize: 2 } });
    // Its 0.3-quantile is 50: one instance.
    const low = await run({
      forecastLoad: 50,
      actual,
      group: GROUP,
      defaults: { ...defaults, recentLoadHoldMinutes: 60, recentLoadHoldQuantile: 0.3 },
    });
    expect(outcomeOf(low)).toMatchObject({ kind: 'unchanged' });
  });

  it('holds every step of the window: 15 minutes at 5-minute steps are three loads, enough to hold', async () => {
    // Steps are stamped with their start: the newest three began 15, 10 and 5 minutes ago.
    const rising = Array.from({ length: 2 * 288 }, (_, i) => (i >= 2 * 288 - 3 ? 130 : 50));
    const held = await run({
      forecastLoad: 50,
      actual: rising,
      group: GROUP,
      defaults: { ...defaults, recentLoadHoldMinutes: 15 },
    });
    expect(outcomeOf(held)).toMatchObject({ after: { minSize: 2 } });
    expect(outcomeOf(held)?.reason).toContain('recent load held: 130, the p95 of the last 15 min');
  });

  it('holds a day: the level of the day, which a burst in it does not move', async () => {
    const day = 288;
    const hold = (minutes: number, load: readonly number[]) =>
      run({
        forecastLoad: 50,
        actual: load,
        group: GROUP,
        defaults: { ...defaults, recentLoadHoldMinutes: minutes },
      });
    // The newest day at 70 (one instance at target 80) but for a 30-minute burst at 170 three hours ago.
    const burst = Array.from({ length: 2 * day }, (_, i) =>
      i >= 2 * day - 36 && i < 2 * day - 30 ? 170 : 70,
    );
    expect(outcomeOf(await hold(240, burst))).toMatchObject({ after: { minSize: 3 } });
    expect(outcomeOf(await hold(1440, burst))).toMatchObject({ kind: 'unchanged' });
    // The newest day at 100 (two instances) until a quiet last four hours at 50.
    const quiet = Array.from({ length: 2 * day }, (_, i) => (i >= 2 * day - 48 ? 50 : 100));
    expect(outcomeOf(await hold(240, quiet))).toMatchObject({ kind: 'unchanged' });
    const held = outcomeOf(await hold(1440, quiet));
    expect(held).toMatchObject({ after: { minSize: 2 } });
    expect(held?.reason).toContain('the p95 of the last 1440 min');
  });

  it('plans the forecast alone by default', async () => {
    const plain = await run({ forecastLoad: 50, actual, group: GROUP, defaults });
    expect(outcomeOf(plain)).toMatchObject({ kind: 'unchanged' });
    expect(outcomeOf(plain)?.reason).not.toContain('recent load held');
  });
});
