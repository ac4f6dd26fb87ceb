import type { LaunchFailures } from '../../ports/scaling-target';
import {
  CAMPAIGN_GROUP,
  type CampaignScenario,
  campaignScenario,
  campaignScheduledEvent,
  runAnnouncedCampaign,
} from './campaign-scenario';
import type { GroupsRun } from './run-groups';

const HOUR_MS = 3_600_000;

/** The campaign scenario's group: one instance type. */
export const SINGLE_TYPE_GROUP = CAMPAIGN_GROUP;
/** Its twin: the same load, a mixed instances policy over three types of the same size. */
export const DIVERSIFIED_GROUP = 'web-diversified';
/** The twin's types, in priority order: the short type first, then two of its size (2 vCPU, x86). */
export const DIVERSIFIED_TYPES = ['m5.large', 'm6i.large', 'c5.large'] as const;

/** The campaign scenario with EC2 out of the type both groups launch first, for a window. */
export interface CapacityShortageScenario extends CampaignScenario {
  readonly shortType: string;
  readonly shortFromMs: number;
  readonly shortToMs: number;
}

/**
 * The campaign scenario's group and a twin diversified over three types (as `pricing.apply` writes
 * a mixed group with `diversifyAcross: 3`), both with the same load and campaign, while EC2 has no
 * m5.large from an hour into the window until the campaign ends: its pre-warm and its spike. What
 * diversifying buys is the SLO minutes between the two.
 */
export function capacityShortageScenario(
  options: { readonly shortFromHour?: number } = {},
): CapacityShortageScenario {
  const built = campaignScenario();
  const [single] = built.scenario.groups;
  if (!single) throw new Error('the campaign scenario has no group');
  const shortType = DIVERSIFIED_TYPES[0];
  const shortFromMs = built.scenario.evalStartMs + (options.shortFromHour ?? 1) * HOUR_MS;
  const shortToMs = built.spikeEndMs;
  return {
    ...built,
    scenario: {
      ...built.scenario,
      groups: [single, { ...single, name: DIVERSIFIED_GROUP, instanceTypes: DIVERSIFIED_TYPES }],
      capacityShortage: (nowMs, instanceType) =>
        instanceType === shortType && nowMs >= shortFromMs && nowMs < shortToMs,
    },
    event: campaignScheduledEvent(
      'shortage-sale-2024',
      [SINGLE_TYPE_GROUP, DIVERSIFIED_GROUP],
      built.spikeStartMs,
      built.spikeEndMs,
      3,
    ),
    shortType,
    shortFromMs,
    shortToMs,
  };
}

/** The groups' runs, and what each group's run records reported of its failed launches. */
export interface CapacityShortageRun extends GroupsRun {
  /** Per group, the runs that reported failed launches: their tick and report, in tick order. */
  readonly launchFailures: Readonly<
    Record<string, readonly ({ readonly tickMs: number } & LaunchFailures)[]>
  >;
}

/**
 * Runs the real handlers on the scenario (its campaign sent when the window opens), in a fresh
 * handler load, and reads back the launch failures their run records report. Must not be called
 * while another `PrescaleLambdas` is started in the process.
 * @throws Error when the campaign event is not applied.
 */
export async function runCapacityShortageScenario(
  built: CapacityShortageScenario = capacityShortageScenario(),
): Promise<CapacityShortageRun> {
  const launchFailures: Record<string, ({ tickMs: number } & LaunchFailures)[]> = {};
  const run = await runAnnouncedCampaign(built.scenario, built.config, built.event, async (lambdas) => {
    for (const { name } of built.scenario.groups)
      launchFailures[name] = (await lambdas.runRecords(name, built.scenario.evalStartMs)).flatMap((r) =>
        r.launchFailures ? [{ tickMs: r.tickMs, ...r.launchFailures }] : [],
      );
  });
  return { ...run, launchFailures };
}
