import { parseConfig } from '../../shared/contracts/parse-config';
import { type UserConfigInput, userConfigSchema } from '../../shared/contracts/user-config';
import type { GroupSnapshot } from '../../shared/ports/scaling-target';
import { groupSnapshot } from '../fakes/fake-scaling-target';

/** Configuration defaults a test sets on top of the base ones. */
export type TestDefaults = Partial<NonNullable<UserConfigInput['defaults']>>;

/**
 * The configuration of the scaling-loop tests: group `web` enrolled by name in forecast-and-scale
 * mode at a target of 60, a floor of 2 and raises of up to 50 a run, with `defaults` on top.
 */
export function webGroupConfig(defaults: TestDefaults = {}) {
  return parseConfig(
    userConfigSchema,
    {
      groups: { names: ['web'] },
      mode: 'forecast-and-scale',
      defaults: { targetLoadPerInstance: 60, floorCapacity: 2, maxChangePerTick: 50, ...defaults },
    },
    'test',
  );
}

/**
 * Group `web` as the scaling-loop tests with the group's own target-tracking policy see it:
 * MinSize 2, 4 instances desired and in service, `overrides` on top.
 */
export function trackedWebGroup(overrides: Partial<GroupSnapshot> = {}): GroupSnapshot {
  return groupSnapshot({
    name: 'web',
    minSize: 2,
    desiredCapacity: 4,
    inServiceCapacity: 4,
    hasScalingPolicies: true,
    ...overrides,
  });
}
