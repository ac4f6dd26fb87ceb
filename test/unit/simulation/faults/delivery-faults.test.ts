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

  it('never applies a group twice when the worker times out mid-batch, and runs every group from the next tick', async () => {
    const result = await runFaultScenario(lambdas, { seed: 1, hours: 1, groups: 3, workerTimeoutTicks: [2] });
    const held = new Map(result.invariants.map((i) => [i.name, i.held]));
    expect(held.get('capacity within [floor, MaxSize + raise] every minute')).toBe(true);
    expect(held.get('no group applied twice for one tick')).toBe(true);
    expect(held.get('fault visible in counters')).toBe(true);
    expect(result.handlerErrors).toEqual(['worker: Sandbox.Timedout: Task timed out']);
    // Known product gap (see the fault bench): the groups claimed by the frozen run are skipped as
    // duplicates on redelivery, so only the timed-out tick may lack their runs.
    const scenario = faultScenario(1);
    const timedOutTick = new Date(scenario.evalStartMs + 8 * HOUR_MS + 2 * 300_000).toISOString();
    expect(result.missingRuns.every((m) => m.endsWith(`@${timedOutTick}`))).toBe(true);
  });
});
