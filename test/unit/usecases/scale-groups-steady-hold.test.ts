import { runFlatForecast as run } from '../../helpers/flat-forecast-run';

/** A group whose own target-tracking policy holds 30 instances; Prescale raises its floor. */
const TRACKED = {
  name: 'web',
  minSize: 1,
  maxSize: 40,
  desiredCapacity: 30,
  inServiceCapacity: 30,
  hasScalingPolicies: true,
};
const DAY = 288;

// Two days of flat load: 25 instances' worth at target 60 (1500), up to 26.5 (1590) every
// seventh 5-minute step. The forecast says 1500; the day's p98 needs 27 instances.
const flat = Array.from({ length: 2 * DAY }, (_, i) => (i % 7 === 0 ? 1590 : 1500));
// The same level swinging to 28 instances' load (1680) every seventeenth step, with a 15-minute
// lull every three hours that lets target tracking scale in: the p98 needs 28 instances, too dear.
const highSwings = Array.from({ length: 2 * DAY }, (_, i) =>
  i % 36 < 3 ? 1200 : i % 17 === 5 ? 1680 : i % 4 === 0 ? 1530 : 1500,
);
// A daily cycle: 10 instances' load at night, 40 by day, the newest step at night.
const cycle = Array.from({ length: 2 * DAY }, (_, i) => (i % DAY >= 48 && i % DAY < 192 ? 2400 : 600));
const defaults = { burstFloorWindowMinutes: 0, scaleInAhead: false, floorCheckDays: 0 };
const outcomeOf = (r: Awaited<ReturnType<typeof run>>) =>
  r.result?.kind === 'ran' ? r.result.outcome : undefined;
/** One run of the flat day's group, with its group and configuration changed as given. */
const onFlat = async (group: Partial<typeof TRACKED> & { tags?: Record<string, string> }, more = {}) =>
  outcomeOf(
    await run({
      forecastLoad: 1500,
      actual: flat,
      group: { ...TRACKED, ...group },
      defaults: { ...defaults, ...more },
    }),
  );

describe('scaleGroups with a steady hold', () => {
  it('holds flat load at its day’s p98, which costs its target tracking little, and says why', async () => {
    const held = outcomeOf(await run({ forecastLoad: 1500, actual: flat, group: TRACKED, defaults }));
    expect(held).toMatchObject({ after: { minSize: 27 } });
    expect(held?.reason).toContain('steady hold: 1590 until the next launches are in service');
    expect(held?.reason).toMatch(
      /the day's p98 held \(27 instances\) would have cost \d+\.\d % more than target tracking alone \(at most 5\.0 %\)/,
    );
  });

  it('holds one instance under the p98’s when those are too dear, and says so', async () => {
    const held = outcomeOf(await run({ forecastLoad: 1500, actual: highSwings, group: TRACKED, defaults }));
    expect(held).toMatchObject({ after: { minSize: 27 } });
    expect(held?.reason).toContain('steady hold: 1620 until the next launches are in service');
    expect(held?.reason).toMatch(
      /the day's p98 held \(28 instances\) would have cost \d+\.\d % more .*; one instance under it \(27\) costs \d\.\d %/,
    );
  });

  it('holds through a fall younger than 15 minutes, which target tracking has not acted on yet', async () => {
    // The flat day, its newest two steps (the last 10 minutes) at 10 instances' load: the step
    // before them, stamped 15 minutes ago, is still inside target tracking's low-alarm hold.
    const fell = flat.map((load, i) => (i >= 2 * DAY - 2 ? 600 : load));
    const held = outcomeOf(await run({ forecastLoad: 1500, actual: fell, group: TRACKED, defaults }));
    expect(held?.reason).toContain('steady hold: 1590 until the next launches are in service');
    // Fallen for 15 minutes, the hold lets go.
    const fallen = flat.map((load, i) => (i >= 2 * DAY - 3 ? 600 : load));
    const released = outcomeOf(await run({ forecastLoad: 1500, actual: fallen, group: TRACKED, defaults }));
    expect(released?.reason).not.toContain('steady hold: 1590');
  });

  it('leaves a daily cycle to the forecast', async () => {
    const planned = outcomeOf(await run({ forecastLoad: 600, actual: cycle, group: TRACKED, defaults }));
    expect(planned).toMatchObject({ after: { minSize: 10 } });
    expect(planned?.reason).not.toContain('steady hold');
  });

  it('is off at a stake of 0, by configuration or by the group’s tag, and a bad tag is reported', async () => {
    const off = await onFlat({}, { steadyHoldMaxExtraCost: 0 });
    expect(off).toMatchObject({ after: { minSize: 25 } });
    const tagged = await onFlat({ tags: { 'prescale:steady-hold-max-extra-cost': '0' } });
    expect(tagged).toMatchObject({ after: { minSize: 25 } });
    const bad = await onFlat({ tags: { 'prescale:steady-hold-max-extra-cost': '5%' } });
    expect(bad).toMatchObject({ after: { minSize: 27 } });
    expect(bad?.reason).toContain(
      'ignored tag prescale:steady-hold-max-extra-cost=5% (expected a number in [0, 1])',
    );
  });

  it('gives way to a recent-load hold the group chose, and needs the group’s own policies to replay', async () => {
    const chosen = await onFlat({}, { recentLoadHoldMinutes: 60, recentLoadHoldQuantile: 0.5 });
    expect(chosen).toMatchObject({ after: { minSize: 25 } });
    expect(chosen?.reason ?? '').not.toContain('steady hold');
    const untracked = await onFlat({ hasScalingPolicies: false, desiredCapacity: 25, inServiceCapacity: 25 });
    expect(untracked?.reason ?? '').not.toContain('steady hold');
  });

  it('waits for a day of history', async () => {
    const young = outcomeOf(
      await run({ forecastLoad: 1500, actual: flat.slice(-200), group: TRACKED, defaults }),
    );
    expect(young?.reason ?? '').not.toContain('steady hold');
  });
});
