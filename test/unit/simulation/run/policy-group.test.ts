import { buildScenario } from '../../../../shared/simulation/run/build-scenario';
import { createPolicyGroup } from '../../../../shared/simulation/run/policy-group';
import { POLICY_NAMES } from '../../../../shared/simulation/run/policy-name';
import { SimulatedWorld } from '../../../../shared/simulation/world/simulated-world';

const sizes = { maxSize: 30, initialDemand: 8, staticCapacity: 20, policyTarget: 60 };

/** The group's warm pool configuration and stopped instances once the pool has initialised. */
function warmPoolOf(policy: (typeof POLICY_NAMES)[number], warmPool: boolean) {
  const scenario = buildScenario({ seed: 1, days: 1, warmPool });
  const world = new SimulatedWorld({ startMs: scenario.evalStartMs, seed: 1 });
  createPolicyGroup(world, 'web', policy, scenario, {}, sizes);
  world.advanceTo(scenario.evalStartMs + 10 * 60_000);
  const group = (
    world.autoScaling.describeAutoScalingGroups({ AutoScalingGroupNames: ['web'] }) as {
      AutoScalingGroups: { WarmPoolConfiguration?: Record<string, unknown>; DesiredCapacity: number }[];
    }
  ).AutoScalingGroups[0];
  return {
    configuration: group?.WarmPoolConfiguration,
    stopped: world.autoScaling.counts('web').warmPoolStopped,
  };
}

/** The tags of Prescale's group created with `knobs`. */
function prescaleTags(knobs: Parameters<typeof createPolicyGroup>[4]): Record<string, string> {
  const scenario = buildScenario({ seed: 1, days: 1 });
  const world = new SimulatedWorld({ startMs: scenario.evalStartMs, seed: 1 });
  createPolicyGroup(world, 'web', 'prescale', scenario, knobs, sizes);
  const { AutoScalingGroups } = world.autoScaling.describeAutoScalingGroups({
    AutoScalingGroupNames: ['web'],
  }) as { AutoScalingGroups: { Tags: { Key: string; Value: string }[] }[] };
  return Object.fromEntries((AutoScalingGroups[0]?.Tags ?? []).map((t) => [t.Key, t.Value]));
}

describe('createPolicyGroup', () => {
  it.each(POLICY_NAMES.filter((p) => p !== 'static'))(
    "gives %s's group AWS's default warm pool: MaxSize − desired stopped instances",
    (policy) => {
      const { configuration, stopped } = warmPoolOf(policy, true);
      expect(configuration).toEqual({ MinSize: 0, PoolState: 'Stopped' });
      expect(stopped).toBe(sizes.maxSize - sizes.initialDemand);
    },
  );

  it("tags Prescale's group with the hold's window and quantile it runs at", () => {
    expect(prescaleTags({ recentLoadHoldMinutes: 1440, recentLoadHoldQuantile: 0.75 })).toMatchObject({
      'prescale:recent-load-hold-minutes': '1440',
      'prescale:recent-load-hold-quantile': '0.75',
    });
  });

  it("tags Prescale's group with the steady hold's stake it runs at (0: off)", () => {
    expect(prescaleTags({ steadyHoldMaxExtraCost: 0 })).toMatchObject({
      'prescale:steady-hold-max-extra-cost': '0',
    });
    expect(prescaleTags({})).not.toHaveProperty('prescale:steady-hold-max-extra-cost');
  });

  it("tags Prescale's group with the share of the target its predictive scale-in serves the peak at", () => {
    expect(prescaleTags({ scaleInAheadTargetRatio: 1 })).toMatchObject({
      'prescale:scale-in-ahead-target-ratio': '1',
    });
    expect(prescaleTags({})).not.toHaveProperty(['prescale:scale-in-ahead-target-ratio']);
  });

  it('gives no group a warm pool unless the scenario asks', () => {
    expect(warmPoolOf('reactive', false)).toEqual({ configuration: undefined, stopped: 0 });
  });
});
