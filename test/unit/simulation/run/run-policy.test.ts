import { buildScenario } from '../../../../shared/simulation/run/build-scenario';
import type { PolicyRun } from '../../../../shared/simulation/run/policy-run';
import { prescaleConfig } from '../../../../shared/simulation/run/prescale-config';
import { PrescaleLambdas } from '../../../../shared/simulation/run/prescale-lambdas';
import { runPolicy } from '../../../../shared/simulation/run/run-policy';

const MINUTE_MS = 60_000;

describe('runPolicy (end to end, real Prescale handlers)', () => {
  // Eight days of seeded history, then Tuesday 06:00–15:00 UTC evaluated: the morning ramp and the
  // weekday peak at 13:00 UTC, where reactive scaling falls behind (a whole day proves no more).
  const scenario = buildScenario({ seed: 7, warmupDays: 8.25, days: 0.375 });
  let prescale: PolicyRun;
  let reactive: PolicyRun;
  let lambdas: PrescaleLambdas;

  beforeAll(async () => {
    lambdas = await PrescaleLambdas.start(prescaleConfig(scenario));
    prescale = await runPolicy('prescale', scenario, { prescale: lambdas });
    reactive = await runPolicy('reactive', scenario);
  });

  afterAll(async () => {
    await lambdas.stop();
  });

  it('has capacity in service before the known weekday peak', () => {
    const dayStartMs = Math.floor(scenario.evalStartMs / (1440 * MINUTE_MS)) * 1440 * MINUTE_MS;
    const peakMs = dayStartMs + (scenario.dailyPeakHourUtc ?? 13) * 60 * MINUTE_MS;
    expect(peakMs).toBeGreaterThan(scenario.evalStartMs + 60 * MINUTE_MS);
    expect(peakMs).toBeLessThan(scenario.evalEndMs);
    const k = (peakMs - scenario.evalStartMs) / MINUTE_MS;
    const demandAtPeak = prescale.samples.demand[k] as number;
    // Ten minutes before the peak, Prescale's group already serves the peak's demand.
    expect(prescale.samples.supply[k - 10]).toBeGreaterThanOrEqual(demandAtPeak);
  });

  it('beats target tracking alone on under-provisioned time (τU)', () => {
    expect(prescale.summary.tauU).toBeLessThan(reactive.summary.tauU);
    expect(prescale.summary.sloViolationMinutes).toBeLessThan(reactive.summary.sloViolationMinutes);
  });

  it('ran the handlers every five minutes and recorded a forecast for each run', () => {
    // 9 hours of 5-minute ticks; one hourly forecast step scored per evaluated hour.
    expect(prescale.notes.join(' ')).toContain('108 run records');
    expect(prescale.summary.forecast?.points).toBeGreaterThanOrEqual(8);
    expect(prescale.band?.timestampsMs.length).toBe(108);
  });
});

describe('runPolicy knobs', () => {
  const scenario = buildScenario({ seed: 3, warmupDays: 2, days: 0.5 });

  it('buys fewer SLO-violation minutes with more instances at a lower reactive target', async () => {
    const low = await runPolicy('reactive', scenario, { knobs: { targetPct: 40 } });
    const high = await runPolicy('reactive', scenario, { knobs: { targetPct: 80 } });
    expect(low.summary.instanceHours).toBeGreaterThan(high.summary.instanceHours);
    expect(low.summary.sloViolationMinutes).toBeLessThan(high.summary.sloViolationMinutes);
  });

  it('runs a static fleet of the size asked for', async () => {
    const run = await runPolicy('static', scenario, { knobs: { staticCapacity: 3 } });
    expect(new Set(run.samples.desired)).toEqual(new Set([3]));
  });

  it('runs the oracle at its own target and foresight: no SLO minute at the SLO, cheaper above it', async () => {
    const atSlo = await runPolicy('oracle', scenario);
    const above = await runPolicy('oracle', scenario, { knobs: { targetPct: 75 } });
    const stepMeans = await runPolicy('oracle', scenario, { knobs: { foresightMinutes: 5 } });
    expect(atSlo.summary.sloViolationMinutes).toBe(0);
    expect(above.summary.instanceHours).toBeLessThan(atSlo.summary.instanceHours);
    expect(above.summary.sloViolationMinutes).toBeGreaterThan(0);
    // Step means hide each step's busiest minute: never dearer, and it misses some of them.
    expect(stepMeans.summary.instanceHours).toBeLessThanOrEqual(atSlo.summary.instanceHours);
    expect(stepMeans.summary.sloViolationMinutes).toBeGreaterThan(0);
  });

  it('rejects a scheduling buffer that is not a whole minute below an hour', async () => {
    await expect(
      runPolicy('ec2-predictive', scenario, { knobs: { schedulingBufferSeconds: 90 } }),
    ).rejects.toThrow(/schedulingBufferSeconds/);
  });
});

describe('runPolicy burn-in', () => {
  const base = buildScenario({ seed: 3, warmupDays: 2, days: 0.25 });
  // 20 instances' load until ten minutes before the window, then 10: target tracking's low alarm
  // needs 15 minutes below it, so a group that lived through the fall still holds 20.
  const fallMs = base.evalStartMs - 10 * MINUTE_MS;
  const trace = {
    ...base.trace,
    values: base.trace.values.map((_, i) => (base.trace.startMs + i * MINUTE_MS < fallMs ? 1200 : 600)),
  };
  const cold = { ...base, trace, maxSize: 40 };
  const burnt = { ...cold, burnInMinutes: 60 };

  it("starts the window from the policy's own state, not sized to its first minute", async () => {
    const fromCold = await runPolicy('reactive', cold);
    const fromBurnIn = await runPolicy('reactive', burnt);
    expect(fromCold.samples.supply[0]).toBe(10);
    expect(fromBurnIn.samples.supply[0]).toBe(20);
    // Sampled and billed from the window's start either way.
    expect(fromBurnIn.samples.startMs).toBe(base.evalStartMs);
    expect(fromBurnIn.samples.load).toHaveLength(fromCold.samples.load.length);
    expect(fromBurnIn.summary.instanceHours).toBeGreaterThan(fromCold.summary.instanceHours);
  });

  it('bills only the window: a fixed fleet costs the same with or without it', async () => {
    const knobs = { staticCapacity: 12 };
    const withBurnIn = await runPolicy('static', burnt, { knobs });
    const without = await runPolicy('static', cold, { knobs });
    expect(withBurnIn.summary.instanceHours).toBe(without.summary.instanceHours);
    expect(withBurnIn.summary.instanceHours).toBe(12 * 6);
  });

  it("keeps the oracle's foresight on the clock: no SLO minute at the SLO after a burn-in", async () => {
    const day = buildScenario({ seed: 3, warmupDays: 2, days: 1 });
    const run = await runPolicy('oracle', { ...day, burnInMinutes: 120 });
    expect(run.summary.sloViolationMinutes).toBe(0);
  });

  it('refuses a burn-in that is not whole minutes within the history', async () => {
    await expect(runPolicy('reactive', { ...cold, burnInMinutes: 1.5 })).rejects.toThrow(
      /^scenario\.burnInMinutes: expected a whole number of minutes ≥ 0 within the warm-up history, got 1\.5$/,
    );
    await expect(runPolicy('reactive', { ...cold, burnInMinutes: 3 * 1440 })).rejects.toThrow(RangeError);
  });
});
