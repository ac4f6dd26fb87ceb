import { faultScenario, runFaultScenario } from '../../../../shared/simulation/faults/run-fault-scenario';
import { prescaleConfig } from '../../../../shared/simulation/run/prescale-config';
import { PrescaleLambdas } from '../../../../shared/simulation/run/prescale-lambdas';

const HOUR_MS = 3_600_000;

describe('fault injection: schedule and worker deliveries', () => {
  let lambdas: PrescaleLambdas;

  beforeAll(async () => {
    lambdas = await PrescaleLambdas.start(prescaleConfig(faultScenario(1)));
  });

  afterAll(async () => {
    await lambdas.stop();
  });

  it('applies each group once per tick when every schedule delivery arrives twice', async () => {
    const result = await runFaultScenario(lambdas, {
      seed: 1,
      hours: 1,
      groups: 2,
      duplicateDeliveries: true,
    });
    expect(result.invariants.filter((i) => !i.held)).toEqual([]);
  });

  it('dead-letters the batch of a worker that times out mid-batch, applies no group twice, and runs every group from the next tick', async () => {
    const result = await runFaultScenario(lambdas, { seed: 1, hours: 1, groups: 3, workerTimeoutTicks: [2] });
    expect(result.invariants.filter((i) => !i.held)).toEqual([]);
    expect(result.handlerErrors).toEqual(['worker: Sandbox.Timedout: Task timed out']);
    // The whole batch fails with its invocation, the group that ran before the freeze too; nothing
    // is delivered again (maxReceiveCount 1), so no later tick lacks a run.
    const timedOutTick = new Date(faultScenario(1).evalStartMs + 8 * HOUR_MS + 2 * 300_000).toISOString();
    expect([...result.deadLettered].sort()).toEqual(
      ['api', 'batch', 'web'].map((g) => `${g}@${timedOutTick}`),
    );
    expect(result.missingRuns).toEqual([]);
  });

  it('dead-letters the work of a tick whose history CloudWatch refuses, and runs every group from the next tick', async () => {
    const result = await runFaultScenario(lambdas, {
      seed: 1,
      hours: 1,
      groups: 3,
      historyFailureTicks: [2],
    });
    expect(result.invariants.filter((i) => !i.held)).toEqual([]);
    const refusedTick = new Date(faultScenario(1).evalStartMs + 8 * HOUR_MS + 2 * 300_000).toISOString();
    expect([...result.deadLettered].sort()).toEqual(
      ['api', 'batch', 'web'].map((g) => `${g}@${refusedTick}`),
    );
  });
});
