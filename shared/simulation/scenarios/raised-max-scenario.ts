import type { UserConfigInput } from '../../contracts/user-config';
import {
  CAMPAIGN_GROUP,
  type CampaignScenario,
  campaignScenario,
  runAnnouncedCampaign,
} from './campaign-scenario';
import type { GroupsRun } from './run-groups';

/** The campaign scenario with a MaxSize below the campaign's need, and the raise Prescale may make. */
export interface RaisedMaxScenario extends CampaignScenario {
  readonly maxSize: number;
  readonly maxRaiseOverMaxSize: number;
}

/**
 * The campaign scenario (its spike needs ~25 instances) on a group whose MaxSize is `maxSize`,
 * Prescale allowed to raise it by `maxRaiseOverMaxSize` (its `groupOverrides` entry), evaluated
 * until hours after the spike so the raise is seen undone.
 */
export function raisedMaxScenario(
  options: { readonly maxSize?: number; readonly maxRaiseOverMaxSize?: number; readonly hours?: number } = {},
): RaisedMaxScenario {
  const maxSize = options.maxSize ?? 16;
  const maxRaiseOverMaxSize = options.maxRaiseOverMaxSize ?? 12;
  const built = campaignScenario({ hours: options.hours ?? 9 });
  const config: UserConfigInput = {
    ...built.config,
    groupOverrides: { [CAMPAIGN_GROUP]: { maxRaiseOverMaxSize } },
  };
  return {
    ...built,
    scenario: { ...built.scenario, groups: built.scenario.groups.map((g) => ({ ...g, maxSize })) },
    config,
    maxSize,
    maxRaiseOverMaxSize,
  };
}

/**
 * Runs the real handlers on the scenario (its campaign sent when the window opens), in a fresh
 * handler load. Must not be called while another `PrescaleLambdas` is started in the process.
 * @throws Error when the campaign event is not applied.
 */
export function runRaisedMaxScenario(built: RaisedMaxScenario = raisedMaxScenario()): Promise<GroupsRun> {
  return runAnnouncedCampaign(built.scenario, built.config, built.event);
}
