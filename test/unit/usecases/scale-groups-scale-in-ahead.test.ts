import { FLAT_RUN_NOW as NOW, runFlatForecast as run } from '../../helpers/flat-forecast-run';

/** A group with target tracking, sized for twice the load it now has. */
const OVERSIZED_TRACKED_GROUP = {
  name: 'web',
  minSize: 1,
  desiredCapacity: 12,
  inServiceCapacity: 12,
  hasScalingPolicies: true,
};

describe('scaleGroups scale-in ahead', () => {
  it("lowers desired capacity ahead of the group's policy by default when the forecast and the recent peak need less", async () => {
    const group = OVERSIZED_TRACKED_GROUP;
    const { result } = await run({
      forecastLoad: 120,
      actual: [240, 250, 240],
      group,
      defaults: { scaleInAheadWindowMinutes: 15, scaleInAheadTargetRatio: 1 },
    });
    expect(result?.kind === 'ran' && result.outcome).toMatchObject({
      kind: 'applied',
      after: { minSize: 2, desiredCapacity: 5 },
    });
    const off = await run({
      forecastLoad: 120,
      actual: [240, 250, 240],
      group,
      defaults: { scaleInAhead: false },
    });
    expect(off.result?.kind === 'ran' && off.result.outcome).toMatchObject({
      after: { desiredCapacity: 12 },
    });
  });

  it('reads the recent peak over the configured window (5 minutes by default) at the configured share of the target (0.9)', async () => {
    const group = OVERSIZED_TRACKED_GROUP;
    // Five-minute observations, newest last: the peak of 480 is 10 minutes old.
    const actual = [480, 240, 240];
    const fifteen = await run({
      forecastLoad: 120,
      actual,
      group,
      defaults: { scaleInAheadWindowMinutes: 15, scaleInAheadTargetRatio: 1 },
    });
    expect(fifteen.result?.kind === 'ran' && fifteen.result.outcome).toMatchObject({
      after: { desiredCapacity: 8 },
    });
    const five = await run({
      forecastLoad: 120,
      actual,
      group,
      defaults: { scaleInAheadTargetRatio: 1 },
    });
    expect(five.result?.kind === 'ran' && five.result.outcome).toMatchObject({
      after: { desiredCapacity: 4 },
    });
    // The defaults: the newest 5 minutes at 60 × 0.9 = 54 per instance: 240 needs 5 instances.
    const defaults = await run({ forecastLoad: 120, actual, group });
    expect(defaults.result?.kind === 'ran' && defaults.result.outcome).toMatchObject({
      after: { desiredCapacity: 5 },
    });
  });

  it("serves one group's recent peak at the share of the target its tag sets, over the configured 0.9", async () => {
    const actual = [480, 240, 240];
    const tagged = (ratio: string) =>
      run({
        forecastLoad: 120,
        actual,
        group: { ...OVERSIZED_TRACKED_GROUP, tags: { 'prescale:scale-in-ahead-target-ratio': ratio } },
      });
    // 240 at the target itself (60 per instance) needs 4; at 0.9 of it (54) 5.
    const atTarget = await tagged('1');
    expect(atTarget.result?.kind === 'ran' && atTarget.result.outcome).toMatchObject({
      after: { desiredCapacity: 4 },
    });
    // A malformed tag is ignored and reported: the configured 0.9 serves the peak.
    const malformed = await tagged('90%');
    expect(malformed.result?.kind === 'ran' && malformed.result.outcome).toMatchObject({
      after: { desiredCapacity: 5 },
    });
    expect(malformed.result?.kind === 'ran' && malformed.result.outcome.reason).toContain(
      'ignored tag prescale:scale-in-ahead-target-ratio=90% (expected a number in (0, 1])',
    );
  });

  it('keeps capacity between bursts that history shows return within a launch, and releases it on smooth load', async () => {
    const group = OVERSIZED_TRACKED_GROUP;
    // A burst every 15 minutes for a day: a release right after one is needed again 5–10 minutes
    // later, before capacity launched then (lead time 300 s + the 5-minute tick) is in service.
    const bursty = Array.from({ length: 96 }, () => [480, 120, 120]).flat();
    // The learned window alone: the burst floor (on for load this bursty) is off here.
    const learned = await run({
      forecastLoad: 120,
      actual: bursty,
      group,
      defaults: { burstFloorWindowMinutes: 0 },
    });
    // The learned window is the policy's 15 minutes: the burst's 480 at 54 per instance needs 9.
    expect(learned.result?.kind === 'ran' && learned.result.outcome).toMatchObject({
      after: { desiredCapacity: 9 },
      reason: expect.stringContaining('scale-in window 15 min learned from bursts'),
    });
    // The window alone: a steady hold would keep the bursts' 8 instances, which target tracking
    // holds on this load anyway (scale-groups-steady-hold.test.ts).
    const fixed = await run({
      forecastLoad: 120,
      actual: bursty,
      group,
      defaults: { scaleInAheadMaxWindowMinutes: 5, burstFloorWindowMinutes: 0, steadyHoldMaxExtraCost: 0 },
    });
    expect(fixed.result?.kind === 'ran' && fixed.result.outcome).toMatchObject({
      after: { desiredCapacity: 3 },
    });
    // The same newest 15 minutes after a day that fell once and stayed down: the window stays 5 minutes.
    // (The steady hold, off here, would hold the 480 begun 15 minutes ago: a fall target tracking
    // has not acted on yet, scale-groups-steady-hold.test.ts.)
    const smooth = [...Array.from({ length: 285 }, () => 480), 480, 120, 120];
    const fell = await run({
      forecastLoad: 120,
      actual: smooth,
      group,
      defaults: { steadyHoldMaxExtraCost: 0 },
    });
    expect(fell.result?.kind === 'ran' && fell.result.outcome).toMatchObject({
      after: { desiredCapacity: 3 },
    });
    expect(fell.result?.kind === 'ran' && fell.result.outcome.reason).not.toContain('scale-in window');
  });

  it('releases between the same bursts when scaleInAheadMaxRegretShare tolerates every release regretted', async () => {
    const bursty = Array.from({ length: 96 }, () => [480, 120, 120]).flat();
    const tolerant = await run({
      forecastLoad: 120,
      actual: bursty,
      group: OVERSIZED_TRACKED_GROUP,
      defaults: { burstFloorWindowMinutes: 0, steadyHoldMaxExtraCost: 0, scaleInAheadMaxRegretShare: 1 },
    });
    // Each release after a burst is regretted; at a share of 1 the shortest window stands (5 minutes).
    expect(tolerant.result?.kind === 'ran' && tolerant.result.outcome).toMatchObject({
      after: { desiredCapacity: 3 },
    });
    expect(tolerant.result?.kind === 'ran' && tolerant.result.outcome.reason).not.toContain(
      'scale-in window',
    );
  });

  it('holds after a launch where history shows bursts returning soon after one, and releases at once after other falls', async () => {
    const group = OVERSIZED_TRACKED_GROUP;
    // 27 five-minute steps, ten times: idle at 50, a burst of 480 that comes back two steps later,
    // then a plateau of 300 that falls to 200 and stays. Releases right after the first burst are
    // always regretted; releases elsewhere never (the learned window alone is 5 minutes).
    const cycle = [
      ...Array.from({ length: 6 }, () => 50),
      480,
      50,
      480,
      ...Array.from({ length: 6 }, () => 50),
      ...Array.from({ length: 6 }, () => 300),
      ...Array.from({ length: 6 }, () => 200),
    ];
    const days = Array.from({ length: 10 }, () => cycle).flat();
    const defaults = { burstFloorWindowMinutes: 0 };
    // The newest step one after a burst (a launch): the 10 minutes' 480 at 54 per instance needs 9.
    const afterBurst = await run({
      forecastLoad: 120,
      actual: [...days, ...cycle.slice(0, 8)],
      group,
      defaults,
    });
    expect(afterBurst.result?.kind === 'ran' && afterBurst.result.outcome).toMatchObject({
      after: { desiredCapacity: 9 },
      reason: expect.stringContaining(
        'scale-in window 10 min learned from bursts that return within a launch, held after a launch',
      ),
    });
    // The newest step after the plateau's fall, its launch 30 minutes back: the newest 5 minutes' 200 needs 4.
    const afterFall = await run({
      forecastLoad: 120,
      actual: [...days, ...cycle.slice(0, 22)],
      group,
      defaults,
    });
    expect(afterFall.result?.kind === 'ran' && afterFall.result.outcome).toMatchObject({
      after: { desiredCapacity: 4 },
    });
    expect(afterFall.result?.kind === 'ran' && afterFall.result.outcome.reason).not.toContain(
      'scale-in window',
    );
  });

  it('regains the capacity released on a deep fall when the load comes back into it, where such regrets cost more than the releases save', async () => {
    // 23 five-minute steps, six times: idle at 50, a burst of 540 (10 instances at 54) for 20
    // minutes, one step back at idle, the burst again for two, then idle. A third of the one-step
    // window's releases are regretted (it stays 5 minutes), but each regret climbs back from one
    // instance at most 100/60 a return under CPU: 480 instance-steps missed against 162 saved.
    const cycle = [
      ...Array.from({ length: 8 }, () => 50),
      540,
      540,
      540,
      540,
      50,
      540,
      540,
      ...Array.from({ length: 8 }, () => 50),
    ];
    const days = Array.from({ length: 6 }, () => cycle).flat();
    const group = { ...OVERSIZED_TRACKED_GROUP, desiredCapacity: 1, inServiceCapacity: 1 };
    const defaults = { burstFloorWindowMinutes: 0 };
    // The newest step is the burst back one step after the dip released to one: take the ten back.
    const back = await run({ forecastLoad: 60, actual: [...days, ...cycle.slice(0, 14)], group, defaults });
    expect(back.result?.kind === 'ran' && back.result.outcome).toMatchObject({
      after: { minSize: 10, desiredCapacity: 10 },
      reason: expect.stringContaining('regained 10 released ahead of a deep fall the load came back into'),
    });
    // The newest step is the dip itself: nothing has come back yet.
    const dip = await run({ forecastLoad: 60, actual: [...days, ...cycle.slice(0, 13)], group, defaults });
    expect(dip.result?.kind === 'ran' && dip.result.outcome.reason).not.toContain('regained');
  });

  it("reads the metric's saturation from saturatedLoadPerInstance: none takes cpu's away, a number gives it to any kind", async () => {
    // The deep-fall history above, the newest step the burst back one step after the dip.
    const cycle = [
      ...Array.from({ length: 8 }, () => 50),
      ...[540, 540, 540, 540, 50, 540, 540],
      ...Array.from({ length: 8 }, () => 50),
    ];
    const actual = [...Array.from({ length: 6 }, () => cycle).flat(), ...cycle.slice(0, 14)];
    const group = { ...OVERSIZED_TRACKED_GROUP, desiredCapacity: 1, inServiceCapacity: 1 };
    const regained = async (defaults: Parameters<typeof run>[0]['defaults']) => {
      const { result } = await run({
        forecastLoad: 60,
        actual,
        group,
        defaults: { burstFloorWindowMinutes: 0, ...defaults },
      });
      return result?.kind === 'ran' && result.outcome.reason.includes('regained');
    };
    const offered = { kind: 'custom', namespace: 'Shop', metricName: 'OfferedLoad' } as const;
    // An offered-load measure read as cpu (a Timestream measure with the default kind) says so.
    expect(await regained({ saturatedLoadPerInstance: 'none' })).toBe(false);
    // A custom metric that is itself a CPU percentage says it saturates.
    expect(await regained({ metric: offered })).toBe(false);
    expect(await regained({ metric: offered, saturatedLoadPerInstance: 100 })).toBe(true);
  });

  it('holds capacity like the policy when the load keeps coming back above an SLO set below the target', async () => {
    const group = OVERSIZED_TRACKED_GROUP;
    // A day of flat load, 640 then 600 twice, at a 70 target (63 per instance for scale-in ahead):
    // the newest 5 minutes' 600 keeps 10 instances, the 15 minutes' 640 keeps 11. At the target the
    // 640 that returns needs 10, so a release is never missed; at a 60 SLO it needs 11.
    const flat = Array.from({ length: 96 }, () => [640, 600, 600]).flat();
    const defaults = { targetLoadPerInstance: 70, burstFloorWindowMinutes: 0 };
    const atTarget = await run({ forecastLoad: 120, actual: flat, group, defaults });
    expect(atTarget.result?.kind === 'ran' && atTarget.result.outcome).toMatchObject({
      after: { desiredCapacity: 10 },
    });
    const belowTarget = await run({
      forecastLoad: 120,
      actual: flat,
      group,
      defaults: { ...defaults, sloLoadPerInstance: 60 },
    });
    expect(belowTarget.result?.kind === 'ran' && belowTarget.result.outcome).toMatchObject({
      after: { desiredCapacity: 11 },
      reason: expect.stringContaining('scale-in window 15 min'),
    });
  });

  it('drops the headroom below an SLO above the target where the history never needed it, and keeps it where it did', async () => {
    const group = OVERSIZED_TRACKED_GROUP;
    // At a 50 target for a 60 SLO, the newest 5 minutes' 450 keeps 10 instances at 0.9 × 50 = 45 per
    // instance and 9 at 50 (what the policy scales in to). A flat day never needed the tenth again
    // (450 needs 8 at the SLO); a day with a 560 every hour needed it (10 at the SLO) within the
    // lead time plus a tick after a quarter of the lean releases, past the 2 % SLO budget.
    const defaults = { targetLoadPerInstance: 50, sloLoadPerInstance: 60, burstFloorWindowMinutes: 0 };
    const flat = await run({
      forecastLoad: 120,
      actual: Array.from({ length: 288 }, () => 450),
      group,
      defaults,
    });
    expect(flat.result?.kind === 'ran' && flat.result.outcome).toMatchObject({
      after: { desiredCapacity: 9 },
      // The run record says why: 0.9 × 60 / 50 = 1.08, capped at the target.
      reason: expect.stringMatching(
        /scale-in ahead serves its peak at 100 % of the target: 0 of the history's \d+ leaner releases needed the headroom/,
      ),
    });
    const hourly = [
      ...Array.from({ length: 24 }, () => [...Array.from({ length: 11 }, () => 450), 560]).flat(),
      450,
    ];
    const returning = await run({ forecastLoad: 120, actual: hourly.slice(-288), group, defaults });
    expect(returning.result?.kind === 'ran' && returning.result.outcome).toMatchObject({
      after: { desiredCapacity: 10 },
    });
    expect(returning.result?.kind === 'ran' && returning.result.outcome.reason).not.toContain(
      'serves its peak at',
    );
    // Without an SLO above the target, the headroom stays whatever the history.
    const { sloLoadPerInstance: _, ...atTarget } = defaults;
    const noSlo = await run({
      forecastLoad: 120,
      actual: Array.from({ length: 288 }, () => 450),
      group,
      defaults: atTarget,
    });
    expect(noSlo.result?.kind === 'ran' && noSlo.result.outcome).toMatchObject({
      after: { desiredCapacity: 10 },
    });
  });

  it('keeps ready capacity for the recent peak on top of the instances still inside their warmup', async () => {
    const group = { ...OVERSIZED_TRACKED_GROUP, defaultInstanceWarmupSeconds: 180 };
    // Newest first: three InService 1–2 minutes ago (warming), two 10 minutes ago (warm).
    const launches = [60, 90, 120, 600, 600].map((secondsAgo) => ({
      startMs: NOW - (secondsAgo + 150) * 1000,
      endMs: NOW - secondsAgo * 1000,
    }));
    const warming = await run({ forecastLoad: 120, actual: [240, 250, 240], group, launches });
    // 250 at 54 per instance needs 5 ready instances, and 3 of the group's 12 are warming.
    expect(warming.result?.kind === 'ran' && warming.result.outcome).toMatchObject({
      kind: 'applied',
      after: { desiredCapacity: 8 },
      reason: expect.stringContaining("kept 3 warming instances' worth of ready capacity"),
    });
    const warm = await run({
      forecastLoad: 120,
      actual: [240, 250, 240],
      group,
      launches: launches.slice(3),
    });
    expect(warm.result?.kind === 'ran' && warm.result.outcome).toMatchObject({
      after: { desiredCapacity: 5 },
    });
  });

  it('leaves desired capacity to the policy when the metric step is longer than the window', async () => {
    const group = OVERSIZED_TRACKED_GROUP;
    const { result } = await run({
      forecastLoad: 120,
      actual: [240, 240, 240],
      group,
      defaults: { stepSeconds: 3600, scaleInAheadWindowMinutes: 15 },
    });
    expect(result?.kind === 'ran' && result.outcome).toMatchObject({ after: { desiredCapacity: 12 } });
  });
});
