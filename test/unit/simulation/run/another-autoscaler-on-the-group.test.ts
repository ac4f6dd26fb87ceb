import type { RunRecord } from '../../../../shared/ports/state-store';
import { prescaleConfig } from '../../../../shared/simulation/run/prescale-config';
import { PrescaleLambdas } from '../../../../shared/simulation/run/prescale-lambdas';
import type { GroupSpec } from '../../../../shared/simulation/world/simulated-auto-scaling';
import { SimulatedWorld } from '../../../../shared/simulation/world/simulated-world';
import { webGroupSpec } from '../../../helpers/web-group-spec';

const DAY_MS = 86_400_000;
const START_MS = Date.UTC(2024, 2, 4);
const TARGET = 50;
/** About 300 load all day: six instances of 50, where every group starts at one. */
const loadAt = (ms: number) => 300 + 20 * Math.sin((2 * Math.PI * (ms % DAY_MS)) / DAY_MS);

const NO_FLOOR = { 'prescale:enabled': 'true', 'prescale:forecast-floor': 'false' };
const GROUPS: Record<string, Partial<GroupSpec>> = {
  predicted: { targetTrackingCpu: TARGET, predictiveScaling: true },
  'forecast-only': {
    targetTrackingCpu: TARGET,
    predictiveScaling: true,
    predictiveScalingMode: 'ForecastOnly',
  },
  tracking: { targetTrackingCpu: TARGET },
  // Predictive scale-in alone: Prescale raises no floor, and the group's own policy scales out.
  'disabled-tracking': { targetTrackingCpu: TARGET, targetTrackingEnabled: false, tags: NO_FLOOR },
  'floorless-tracking': { targetTrackingCpu: TARGET, tags: NO_FLOOR },
  'scale-out-only': { targetTrackingCpu: TARGET, targetTrackingDisableScaleIn: true },
};

/** Each group's policies as the real worker reads them from the simulated DescribePolicies. */
describe('a group another autoscaler also scales, through the deployed handlers', () => {
  let lambdas: PrescaleLambdas;
  let world: SimulatedWorld;
  const record = async (name: string): Promise<RunRecord> => {
    const [first] = await lambdas.runRecords(name, START_MS);
    if (!first) throw new Error(`no run record for ${name}`);
    return first;
  };

  beforeAll(async () => {
    lambdas = await PrescaleLambdas.start(
      prescaleConfig({ targetLoadPerInstance: TARGET, prescaleStepSeconds: 3600 }),
    );
    world = new SimulatedWorld({ startMs: START_MS, seed: 3 });
    for (const [name, over] of Object.entries(GROUPS)) {
      world.createGroup(
        webGroupSpec({ name, minSize: 1, desiredCapacity: 1, tags: { 'prescale:enabled': 'true' }, ...over }),
      );
      world.seedHistory(name, START_MS - 7 * DAY_MS, START_MS, loadAt, TARGET);
    }
    await lambdas.attach(world);
    world.advanceTo(START_MS);
    const tick = await lambdas.tick();
    expect([tick.handlerErrors, tick.failedItems]).toEqual([[], 0]);
  });

  afterAll(async () => {
    await lambdas.stop();
  });

  it('holds a group whose EC2 predictive scaling policy scales it, and says which policy and what to do', async () => {
    const { outcome } = await record('predicted');
    expect(outcome).toEqual({
      kind: 'held',
      reason:
        'EC2 predictive scaling policy "cpu-predictive" scales the group (ForecastAndScale mode); set its mode to ForecastOnly or delete it for Prescale to act',
    });
    expect(world.autoScaling.counts('predicted')).toMatchObject({ minSize: 1, desiredCapacity: 1 });
    expect(scheduledActionNames('predicted')).toEqual([]);
  });

  it('scales a group whose predictive policy only forecasts, as one without it', async () => {
    const forecastOnly = await record('forecast-only');
    const plain = await record('tracking');
    expect(forecastOnly.outcome.kind).toBe('applied');
    expect(forecastOnly.outcome).toEqual(plain.outcome);
    expect(world.autoScaling.counts('forecast-only').minSize).toBeGreaterThan(1);
    expect(scheduledActionNames('forecast-only').length).toBeGreaterThan(0);
  });

  it('keeps the floor of a group whose only policy is disabled, without a forecast floor: nothing else would scale it out', async () => {
    const disabled = await record('disabled-tracking');
    if (disabled.outcome.kind !== 'applied') throw new Error('expected the floor raised');
    // Prescale owns DesiredCapacity there: the plan's instances for about 300 load at 50 each.
    expect(disabled.outcome.after.minSize).toBeGreaterThanOrEqual(6);
    expect(disabled.outcome.after.desiredCapacity).toBe(disabled.outcome.after.minSize);
    expect(disabled.outcome.reason).toContain(
      "floor kept: forecastFloor off needs the group's own scaling policies",
    );
    // With the policy enabled, the policy scales out and Prescale raises no floor.
    expect((await record('floorless-tracking')).outcome.reason).toContain('no floor from the forecast');
    expect(world.autoScaling.counts('floorless-tracking').minSize).toBe(1);
  });

  it('says, on a group whose policy never scales in, that nothing releases what it adds with hourly steps', async () => {
    // Predictive scale-in is off on an hourly metric step (it cannot see a fall within its window).
    const { outcome } = await record('scale-out-only');
    expect(outcome.reason).toContain(
      "the group's scaling policies never scale in and predictive scale-in is off: nothing releases capacity above MinSize",
    );
    expect((await record('tracking')).outcome.reason).not.toContain('never scale in');
  });

  function scheduledActionNames(groupName: string): string[] {
    const out = world.autoScaling.describeScheduledActions({ AutoScalingGroupName: groupName }) as {
      ScheduledUpdateGroupActions: { ScheduledActionName: string }[];
    };
    return out.ScheduledUpdateGroupActions.map((a) => a.ScheduledActionName);
  }
});
