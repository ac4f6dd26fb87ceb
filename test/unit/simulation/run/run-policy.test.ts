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
