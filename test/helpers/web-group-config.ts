import { parseConfig } from '../../shared/contracts/parse-config';
import { type UserConfigInput, userConfigSchema } from '../../shared/contracts/user-config';

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
