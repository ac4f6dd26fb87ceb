import type { UserConfigInput } from '../../contracts/user-config';
import {
  CAMPAIGN_GROUP,
  type CampaignScenarioOptions,
  campaignScenario,
  campaignScheduledEvent,
  runAnnouncedCampaign,
  scenarioConfig,
} from './campaign-scenario';
import type { GroupsRun, GroupsScenario } from './run-groups';

/** The campaign scenario's group without weights. */
export const PLAIN_GROUP = CAMPAIGN_GROUP;
/** Its twin: the same load, a mixed instances policy whose one type weighs `weight` units. */
export const WEIGHTED_GROUP = 'web-weighted';

/** Two groups with the same load and campaign, one counted in instances, one in weighted units. */
export interface WeightedGroupScenario {
  readonly scenario: GroupsScenario;
  readonly event: unknown;
  readonly spikeStartMs: number;
  readonly weight: number;
  /**
   * The twin's settings per unit, as its operator would write them in `groupOverrides`: the
   * target, SLO and saturation loads per unit, and the floor and step limits in units.
   */
  readonly config: UserConfigInput;
}

/**
 * The campaign scenario with a weighted twin of its group: what Prescale does to a group whose
 * DesiredCapacity counts capacity units should be what it does to one counting instances, once
 * the settings are given per unit.
 */
export function weightedGroupScenario(
  options: CampaignScenarioOptions & { readonly weight?: number } = {},
): WeightedGroupScenario {
  const weight = options.weight ?? 2;
  const built = campaignScenario(options);
  const [plain] = built.scenario.groups;
  if (!plain) throw new Error('the campaign scenario has no group');
  const scenario: GroupsScenario = {
    ...built.scenario,
    groups: [plain, { ...plain, name: WEIGHTED_GROUP, weight }],
  };
  const base = scenarioConfig(scenario);
  const perInstance = base.defaults ?? {};
  const perUnit = {
    ...(typeof perInstance.targetLoadPerInstance === 'number'
      ? { targetLoadPerInstance: perInstance.targetLoadPerInstance / weight }
      : {}),
    ...(typeof perInstance.sloLoadPerInstance === 'number'
      ? { sloLoadPerInstance: perInstance.sloLoadPerInstance / weight }
      : {}),
    ...(typeof perInstance.saturatedLoadPerInstance === 'number'
      ? { saturatedLoadPerInstance: perInstance.saturatedLoadPerInstance / weight }
      : {}),
    floorCapacity: weight,
    maxChangePerTick: 10 * weight,
    scaleInPerTick: weight,
  };
  return {
    scenario,
    event: campaignScheduledEvent(
      'weighted-sale-2024',
      [PLAIN_GROUP, WEIGHTED_GROUP],
      built.spikeStartMs,
      built.spikeEndMs,
      options.factor ?? 3,
    ),
    spikeStartMs: built.spikeStartMs,
    weight,
    config: { ...base, groupOverrides: { [WEIGHTED_GROUP]: perUnit } },
  };
}

/**
 * Runs the real handlers on the scenario (its campaign sent when the window opens), in a fresh
 * handler load. Must not be called while another `PrescaleLambdas` is started in the process.
 * @throws Error when the campaign event is not applied.
 */
export function runWeightedGroupScenario(
  built: WeightedGroupScenario = weightedGroupScenario(),
): Promise<GroupsRun> {
  return runAnnouncedCampaign(built.scenario, built.config, built.event);
}
