import { faultScenario, runFaultScenario } from '../../../../shared/simulation/faults/run-fault-scenario';
import { prescaleConfig } from '../../../../shared/simulation/run/prescale-config';
import { PrescaleLambdas } from '../../../../shared/simulation/run/prescale-lambdas';

describe('fault injection: capacity faults in the simulated group', () => {
  let lambdas: PrescaleLambdas;

  beforeAll(async () => {
    lambdas = await PrescaleLambdas.start(prescaleConfig(faultScenario(1)));
  });

  afterAll(async () => {
    await lambdas.stop();
  });

  it('keeps bounds under InsufficientInstanceCapacity and gets the capacity once launches succeed', async () => {
    const result = await runFaultScenario(lambdas, {
      seed: 1,
      hours: 3,
      launchFailures: { share: 0.5, fromHour: 0, toHour: 2 },
    });
    expect(result.invariants.filter((i) => !i.held)).toEqual([]);
    expect(result.failedLaunches).toBeGreaterThan(0);
    // The runs' records say so, for operators (the LaunchFailures metric and alarm read the same).
    expect(result.invariants.find((i) => i.name === 'fault visible in counters')?.detail).toMatch(
      /launches failed, reported by [1-9]\d* run\(s\)$/,
    );
  });

  it('rolls a failing instance refresh back, restores capacity and leaves no refresh running', async () => {
    const result = await runFaultScenario(lambdas, { seed: 3, hours: 2, failingRefreshAtHour: 0.25 });
    expect(result.invariants.filter((i) => !i.held)).toEqual([]);
    expect(result.refreshStatuses).toEqual(['RollbackSuccessful']);
  });
});
