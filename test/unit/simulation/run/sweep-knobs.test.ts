import { loadTraceAt } from '../../../../shared/simulation/load/load-trace';
import { demandInstances } from '../../../../shared/simulation/policies/oracle-capacity';
import { buildScenario } from '../../../../shared/simulation/run/build-scenario';
import { prescaleConfig } from '../../../../shared/simulation/run/prescale-config';
import { type PolicyJobResult, runPolicyJobs } from '../../../../shared/simulation/run/run-policy-jobs';
import {
  DEFAULT_ORACLE_TARGETS_PCT,
  DEFAULT_PRESCALE_CAPPED_TARGETS_PCT,
  DEFAULT_PRESCALE_QUANTILE_CAP,
  DEFAULT_PRESCALE_RECENT_LOAD_HOLD_TARGETS_PCT,
  DEFAULT_PRESCALE_RECURRING_PEAK_TARGETS_PCT,
  DEFAULT_PRESCALE_TARGETS_PCT,
  DEFAULT_RECENT_LOAD_HOLDS,
  knobGrid,
  LEAN_SCALE_IN_TARGET_RATIO,
  MAX_STATIC_SIZES,
  RECENT_LOAD_HOLD_MINUTES,
  RECURRING_PEAK_DAYS,
  staticSizes,
  sweepJobs,
  sweepPoint,
} from '../../../../shared/simulation/run/sweep-knobs';

describe('knobGrid', () => {
  const scenario = buildScenario({ seed: 1, warmupDays: 1, days: 0.25 });
  const targetsOf = (grid: ReturnType<typeof knobGrid>, policy: string) =>
    grid
      .filter(
        (s) =>
          s.policy === policy &&
          s.knobs.planningQuantileMax === undefined &&
          s.knobs.recurringPeakDays === undefined &&
          s.knobs.recentLoadHoldMinutes === undefined &&
          s.knobs.forecastFloor === undefined &&
          s.knobs.scaleInAheadTargetRatio === undefined &&
          s.knobs.floorCheckDays === undefined &&
          s.knobs.steadyHoldMaxExtraCost === undefined,
      )
      .map((s) => s.knobs.targetPct as number);
  const cappedOf = (grid: ReturnType<typeof knobGrid>) =>
    grid.filter((s) => s.policy === 'prescale' && s.knobs.planningQuantileMax !== undefined);
  const recurringPeakOf = (grid: ReturnType<typeof knobGrid>) =>
    grid.filter((s) => s.policy === 'prescale' && s.knobs.recurringPeakDays !== undefined);

  it('sizes static fleets at every whole size up to the peak demand, at most a hundred', () => {
    const scenario = buildScenario({ seed: 1, warmupDays: 1, days: 0.5 });
    let peak = 1;
    for (let t = scenario.evalStartMs; t < scenario.evalEndMs; t += 60_000)
      peak = Math.max(peak, demandInstances(loadTraceAt(scenario.trace, t), scenario.targetLoadPerInstance));
    expect(peak).toBeGreaterThan(2);
    expect(staticSizes(scenario)).toEqual(Array.from({ length: peak }, (_, i) => i + 1));
    const grid = knobGrid(scenario);
    expect(grid.filter((s) => s.policy === 'static').map((s) => s.knobs.staticCapacity)).toEqual(
      staticSizes(scenario),
    );
    expect(grid.find((s) => s.policy === 'static')).toMatchObject({ label: '1 instances', isDefault: false });
    // A peak of 250 (at a hundredth of the target's load per instance): every third size, the peak last.
    const big = staticSizes({ ...scenario, targetLoadPerInstance: scenario.targetLoadPerInstance / 100 });
    expect(big.length).toBeLessThanOrEqual(MAX_STATIC_SIZES + 1);
    const bigPeak = big.at(-1) ?? 0;
    const step = Math.ceil(bigPeak / MAX_STATIC_SIZES);
    expect(step).toBeGreaterThan(1);
    expect(big.slice(0, 3)).toEqual([1, 1 + step, 1 + 2 * step]);
    expect(big.at(-1)).toBeGreaterThan(MAX_STATIC_SIZES);
  });

  it('sweeps Prescale past both ends of reactive’s target range by default', () => {
    const grid = knobGrid(scenario);
    const prescale = targetsOf(grid, 'prescale');
    const reactive = targetsOf(grid, 'reactive');
    expect(prescale).toEqual([...DEFAULT_PRESCALE_TARGETS_PCT]);
    expect(Math.max(...prescale)).toBeGreaterThan(Math.max(...reactive));
    expect(Math.min(...prescale)).toBeLessThan(Math.min(...reactive) + 10);
  });

  it('sweeps the oracle at each foresight as its own series, never as a default', () => {
    const oracle = knobGrid(scenario).filter((s) => s.policy === 'oracle');
    expect(oracle.map((s) => [s.series, s.knobs.foresightMinutes, s.knobs.targetPct])).toEqual([
      ...DEFAULT_ORACLE_TARGETS_PCT.map((t) => ['oracle', 1, t]),
      ...DEFAULT_ORACLE_TARGETS_PCT.map((t) => ['oracle-5min', 5, t]),
    ]);
    expect(oracle.some((s) => s.isDefault)).toBe(false);
    expect(oracle[0]?.label).toBe(`target ${DEFAULT_ORACLE_TARGETS_PCT[0]} %, 1-min foresight`);
    expect(knobGrid(scenario, { oracleTargetsPct: [] }).some((s) => s.policy === 'oracle')).toBe(false);
  });

  it('marks only the scenario’s target as Prescale’s default setting', () => {
    const defaults = knobGrid(scenario).filter((s) => s.policy === 'prescale' && s.isDefault);
    expect(defaults.map((s) => s.knobs.targetPct)).toEqual([scenario.targetLoadPerInstance]);
  });

  it('uses the Prescale targets it is given instead of the default list', () => {
    const grid = knobGrid(scenario, { prescaleTargetsPct: [55, 85] });
    expect(targetsOf(grid, 'prescale')).toEqual([55, 85]);
    expect(grid.some((s) => s.policy === 'prescale' && s.isDefault)).toBe(false);
  });

  it('sweeps Prescale’s cheap end again with the planning quantile capped, never as the default', () => {
    const capped = cappedOf(knobGrid(scenario));
    expect(capped.map((s) => s.knobs)).toEqual(
      DEFAULT_PRESCALE_CAPPED_TARGETS_PCT.map((targetPct) => ({
        targetPct,
        planningQuantileMax: DEFAULT_PRESCALE_QUANTILE_CAP,
      })),
    );
    expect(Math.min(...capped.map((s) => s.knobs.targetPct as number))).toBeGreaterThan(
      scenario.targetLoadPerInstance,
    );
    expect(
      capped.every((s) => !s.isDefault && s.label.endsWith(`quantile ≤ ${DEFAULT_PRESCALE_QUANTILE_CAP}`)),
    ).toBe(true);
  });

  it('uses the capped targets and cap it is given, and none when given none', () => {
    const grid = knobGrid(scenario, { prescaleCappedTargetsPct: [80], prescaleQuantileCap: 0.6 });
    expect(cappedOf(grid).map((s) => s.knobs)).toEqual([{ targetPct: 80, planningQuantileMax: 0.6 }]);
    expect(cappedOf(knobGrid(scenario, { prescaleCappedTargetsPct: [] }))).toEqual([]);
  });

  it('sweeps targets on both sides of the SLO again with the recurring peak’s instance, labelled, never as the default', () => {
    const peak = recurringPeakOf(knobGrid(scenario));
    expect(peak.map((s) => s.knobs)).toEqual(
      DEFAULT_PRESCALE_RECURRING_PEAK_TARGETS_PCT.map((targetPct) => ({
        targetPct,
        recurringPeakDays: RECURRING_PEAK_DAYS,
      })),
    );
    const targets = peak.map((s) => s.knobs.targetPct as number);
    expect(Math.min(...targets)).toBeLessThan(scenario.targetLoadPerInstance);
    expect(Math.max(...targets)).toBeGreaterThan(scenario.targetLoadPerInstance);
    expect(
      peak.every((s) => !s.isDefault && s.label === `target ${s.knobs.targetPct} %, recurring peak`),
    ).toBe(true);
    const given = knobGrid(scenario, { prescaleRecurringPeakTargetsPct: [90] });
    expect(recurringPeakOf(given).map((s) => s.knobs.targetPct)).toEqual([90]);
    expect(recurringPeakOf(knobGrid(scenario, { prescaleRecurringPeakTargetsPct: [] }))).toEqual([]);
  });

  it('sweeps targets on both sides of the SLO again holding the recent load, labelled, never as the default', () => {
    const heldOf = (grid: ReturnType<typeof knobGrid>) =>
      grid.filter((s) => s.policy === 'prescale' && s.knobs.recentLoadHoldMinutes !== undefined);
    const held = heldOf(
      knobGrid(scenario, { prescaleRecentLoadHolds: [{ minutes: RECENT_LOAD_HOLD_MINUTES }] }),
    );
    expect(held.map((s) => s.knobs)).toEqual(
      DEFAULT_PRESCALE_RECENT_LOAD_HOLD_TARGETS_PCT.map((targetPct) => ({
        targetPct,
        recentLoadHoldMinutes: RECENT_LOAD_HOLD_MINUTES,
      })),
    );
    const targets = held.map((s) => s.knobs.targetPct as number);
    expect(Math.min(...targets)).toBeLessThan(scenario.targetLoadPerInstance);
    expect(Math.max(...targets)).toBeGreaterThan(scenario.targetLoadPerInstance);
    expect(
      held.every((s) => !s.isDefault && s.label === `target ${s.knobs.targetPct} %, recent load held`),
    ).toBe(true);
    expect(
      heldOf(knobGrid(scenario, { prescaleRecentLoadHoldTargetsPct: [90] })).map((s) => s.knobs.targetPct),
    ).toEqual([90, 90, 90, 90]);
    expect(heldOf(knobGrid(scenario, { prescaleRecentLoadHoldTargetsPct: [] }))).toEqual([]);
  });

  it('runs the hold targets once per window, the hour, four hours and the day at p95 and p98 by default, a window other than the hour named in its label', () => {
    const heldOf = (grid: ReturnType<typeof knobGrid>) =>
      grid.filter((s) => s.policy === 'prescale' && s.knobs.recentLoadHoldMinutes !== undefined);
    expect(DEFAULT_RECENT_LOAD_HOLDS).toEqual([
      { minutes: 60 },
      { minutes: 240 },
      { minutes: 1440, quantile: 0.95 },
      { minutes: 1440, quantile: 0.98 },
    ]);
    const held = heldOf(knobGrid(scenario, { prescaleRecentLoadHoldTargetsPct: [58, 70] }));
    expect(held.map((s) => [s.knobs.recentLoadHoldMinutes, s.knobs.recentLoadHoldQuantile, s.label])).toEqual(
      [
        [60, undefined, 'target 58 %, recent load held'],
        [60, undefined, 'target 70 %, recent load held'],
        [240, undefined, 'target 58 %, recent load held 240 min'],
        [240, undefined, 'target 70 %, recent load held 240 min'],
        [1440, 0.95, 'target 58 %, recent load held 1440 min at p95'],
        [1440, 0.95, 'target 70 %, recent load held 1440 min at p95'],
        [1440, 0.98, 'target 58 %, recent load held 1440 min at p98'],
        [1440, 0.98, 'target 70 %, recent load held 1440 min at p98'],
      ],
    );
    const one = heldOf(
      knobGrid(scenario, {
        prescaleRecentLoadHoldTargetsPct: [70],
        prescaleRecentLoadHolds: [{ minutes: 120 }],
      }),
    );
    expect(one.map((s) => s.label)).toEqual(['target 70 %, recent load held 120 min']);
    const day = heldOf(
      knobGrid(scenario, {
        prescaleRecentLoadHoldTargetsPct: [70],
        prescaleRecentLoadHolds: [
          { minutes: 1440 },
          { minutes: 1440, quantile: 0.75 },
          { minutes: 60, quantile: 0.995 },
        ],
      }),
    );
    expect(day.map((s) => [s.label, s.knobs.recentLoadHoldQuantile])).toEqual([
      ['target 70 %, recent load held 1440 min', undefined],
      ['target 70 %, recent load held 1440 min at p75', 0.75],
      ['target 70 %, recent load held at p99.5', 0.995],
    ]);
    for (const bad of [0, 1441, 30.5])
      expect(() => knobGrid(scenario, { prescaleRecentLoadHolds: [{ minutes: bad }] })).toThrow(
        /prescaleRecentLoadHolds: expected whole minutes in 1–1440/,
      );
    for (const bad of [0, 1.5])
      expect(() => knobGrid(scenario, { prescaleRecentLoadHolds: [{ minutes: 60, quantile: bad }] })).toThrow(
        /prescaleRecentLoadHolds: expected a quantile in \(0, 1\]/,
      );
  });

  it('sweeps every Prescale target again with predictive scale-in alone, labelled, never as the default', () => {
    const aloneOf = (grid: ReturnType<typeof knobGrid>) =>
      grid.filter((s) => s.policy === 'prescale' && s.knobs.forecastFloor !== undefined);
    const alone = aloneOf(knobGrid(scenario));
    expect(alone.map((s) => s.knobs)).toEqual(
      DEFAULT_PRESCALE_TARGETS_PCT.map((targetPct) => ({ targetPct, forecastFloor: false })),
    );
    expect(
      alone.every((s) => !s.isDefault && s.label === `target ${s.knobs.targetPct} %, scale-in only`),
    ).toBe(true);
    const given = aloneOf(
      knobGrid(scenario, { prescaleScaleInOnlyTargetsPct: [70], prescaleTargetsPct: [60] }),
    );
    expect(given.map((s) => s.label)).toEqual(['target 70 %, scale-in only']);
    expect(aloneOf(knobGrid(scenario, { prescaleScaleInOnlyTargetsPct: [] }))).toEqual([]);
  });

  it('sweeps every Prescale target again with predictive scale-in serving its peak at the target, labelled, never as the default', () => {
    const leanOf = (grid: ReturnType<typeof knobGrid>) =>
      grid.filter((s) => s.policy === 'prescale' && s.knobs.scaleInAheadTargetRatio !== undefined);
    const lean = leanOf(knobGrid(scenario));
    expect(lean.map((s) => s.knobs)).toEqual(
      DEFAULT_PRESCALE_TARGETS_PCT.map((targetPct) => ({
        targetPct,
        scaleInAheadTargetRatio: LEAN_SCALE_IN_TARGET_RATIO,
      })),
    );
    expect(LEAN_SCALE_IN_TARGET_RATIO).toBe(1);
    expect(
      lean.every(
        (s) => !s.isDefault && s.label === `target ${s.knobs.targetPct} %, scale-in ahead at the target`,
      ),
    ).toBe(true);
    const given = leanOf(knobGrid(scenario, { prescaleLeanScaleInTargetsPct: [58, 60] }));
    expect(given.map((s) => s.label)).toEqual([
      'target 58 %, scale-in ahead at the target',
      'target 60 %, scale-in ahead at the target',
    ]);
    expect(leanOf(knobGrid(scenario, { prescaleLeanScaleInTargetsPct: [] }))).toEqual([]);
  });

  it('sweeps every Prescale target again with its floor kept (no daily judgement), labelled, never as the default', () => {
    const keptOf = (grid: ReturnType<typeof knobGrid>) =>
      grid.filter((s) => s.policy === 'prescale' && s.knobs.floorCheckDays !== undefined);
    const kept = keptOf(knobGrid(scenario));
    expect(kept.map((s) => s.knobs)).toEqual(
      DEFAULT_PRESCALE_TARGETS_PCT.map((targetPct) => ({ targetPct, floorCheckDays: 0 })),
    );
    expect(kept.every((s) => !s.isDefault && s.label === `target ${s.knobs.targetPct} %, floor kept`)).toBe(
      true,
    );
    expect(keptOf(knobGrid(scenario, { prescaleFloorKeptTargetsPct: [55] })).map((s) => s.label)).toEqual([
      'target 55 %, floor kept',
    ]);
    expect(keptOf(knobGrid(scenario, { prescaleFloorKeptTargetsPct: [] }))).toEqual([]);
  });

  it('runs every target again with the steady hold off, the first curve as it ran before it', () => {
    const plainOf = (grid: ReturnType<typeof knobGrid>) =>
      grid.filter((s) => s.policy === 'prescale' && s.knobs.steadyHoldMaxExtraCost !== undefined);
    const plain = plainOf(knobGrid(scenario));
    expect(plain.map((s) => s.knobs)).toEqual(
      DEFAULT_PRESCALE_TARGETS_PCT.map((targetPct) => ({ targetPct, steadyHoldMaxExtraCost: 0 })),
    );
    expect(
      plain.every((s) => !s.isDefault && s.label === `target ${s.knobs.targetPct} %, no steady hold`),
    ).toBe(true);
    expect(plainOf(knobGrid(scenario, { prescaleNoSteadyHoldTargetsPct: [58] })).map((s) => s.label)).toEqual(
      ['target 58 %, no steady hold'],
    );
    expect(plainOf(knobGrid(scenario, { prescaleNoSteadyHoldTargetsPct: [] }))).toEqual([]);
    // The first curve's own list does not narrow it: it runs the default targets.
    expect(plainOf(knobGrid(scenario, { prescaleTargetsPct: [60] }))).toHaveLength(
      DEFAULT_PRESCALE_TARGETS_PCT.length,
    );
  });

  it('rejects a quantile cap outside (0.5, 0.99], the highest quantile the forecast gives', () => {
    expect(() => knobGrid(scenario, { prescaleQuantileCap: 1 })).toThrow('prescaleQuantileCap');
    expect(() => knobGrid(scenario, { prescaleQuantileCap: 0.995 })).toThrow(
      'prescaleQuantileCap: expected a number in (0.5, 0.99]',
    );
  });
});

describe('sweepJobs', () => {
  // Three hours after two days of history, as runPolicyJobs' own test.
  const scenario = buildScenario({ seed: 5, warmupDays: 2, days: 0.125 });
  const grid = knobGrid(scenario, {
    targetsPct: [60],
    prescaleTargetsPct: [50, 60],
    prescaleCappedTargetsPct: [],
    prescaleRecurringPeakTargetsPct: [],
    prescaleRecentLoadHoldTargetsPct: [],
    prescaleScaleInOnlyTargetsPct: [],
    prescaleLeanScaleInTargetsPct: [],
    prescaleFloorKeptTargetsPct: [60],
    prescaleNoSteadyHoldTargetsPct: [],
    oracleTargetsPct: [60],
    schedulingBuffersSeconds: [300],
  }).filter((s) => s.policy !== 'static' || s.knobs.staticCapacity === 3);
  const base = prescaleConfig(scenario);
  // Scaling at a planning quantile the controller never starts at: its runs differ from the defaults'.
  const pinned = {
    ...base,
    defaults: {
      ...base.defaults,
      planningQuantile: 0.98,
      planningQuantileMin: 0.98,
      planningQuantileMax: 0.98,
    },
  };

  const pointsOf = async (config: typeof base | undefined, workers: number) => {
    const results = await runPolicyJobs(sweepJobs(scenario, grid, config), { workers });
    return grid.map((setting, i) => sweepPoint(setting, (results[i] as PolicyJobResult).run));
  };

  it('gives, on two processes, the points one process gives running the grid in turn, with the configuration asked for', async () => {
    const points = await pointsOf(pinned, 2);
    const [inTurn, atDefaults] = [await pointsOf(pinned, 1), await pointsOf(undefined, 1)];
    expect(points).toEqual(inTurn);
    expect(points.map((p) => p.policy)).toContain('prescale');
    // The configuration reached the worker: the defaults' Prescale points are not these.
    const prescaleOf = (ps: typeof points) => ps.filter((p) => p.policy === 'prescale');
    expect(prescaleOf(atDefaults)).not.toEqual(prescaleOf(points));
  });

  it('fails a Prescale job whose handlers failed, and deploys the simulation’s configuration when given none', () => {
    const jobs = sweepJobs(scenario, grid);
    expect(jobs.every((j) => j.failOnPrescaleErrors === true && j.prescaleConfig === undefined)).toBe(true);
    expect(sweepJobs(scenario, grid, pinned).filter((j) => j.prescaleConfig === pinned).length).toBe(
      grid.filter((s) => s.policy === 'prescale').length,
    );
  });
});
