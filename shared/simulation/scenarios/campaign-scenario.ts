import { CAMPAIGN_DETAIL_TYPES, CAMPAIGN_EVENT_SOURCE } from '../../contracts/campaign-events';
import type { UserConfigInput } from '../../contracts/user-config';
import { prescaleConfig } from '../run/prescale-config';
import { PrescaleLambdas } from '../run/prescale-lambdas';
import { SCENARIO_DEFAULTS } from '../run/scenario';
import {
  type DeliveredCampaignAction,
  deliveredCampaignActions,
  deliverFiredCampaignActions,
  sendCampaignEvent,
} from './campaign-lambda';
import { type GroupsRun, type GroupsScenario, runGroups } from './run-groups';

/** The campaign scenario's knobs. */
export interface CampaignScenarioOptions {
  /** Load multiplier inside the campaign window. @default 3 */
  readonly factor?: number;
  /** Window length. @default 2 */
  readonly durationHours?: number;
  /** How long after the evaluated window starts the spike begins (and the event is sent at its start). @default 3 */
  readonly leadHours?: number;
  /** Evaluated hours. @default leadHours + durationHours + 1 */
  readonly hours?: number;
  /** Days of seeded history. @default 8 */
  readonly historyDays?: number;
  /** Mean load outside the campaign, percent-of-one-instance units. @default 480 (8 instances at 60) */
  readonly baseLoad?: number;
  readonly seed?: number;
}

/** A built campaign scenario: the world, the event announcing the spike, and the spike window. */
export interface CampaignScenario {
  readonly scenario: GroupsScenario;
  readonly event: unknown;
  readonly spikeStartMs: number;
  readonly spikeEndMs: number;
  readonly config: UserConfigInput;
}

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
const DAY_MS = 24 * HOUR_MS;
/** Monday 2024-01-08 00:00 UTC: history starts on a Monday like the built-in workload. */
const EPOCH_MS = Date.UTC(2024, 0, 1);
export const CAMPAIGN_GROUP = 'web';

/** A daily cycle (±25 % around `base`, peak at 13:00 UTC), smooth and deterministic. */
export function dailyLoad(base: number): (ms: number) => number {
  return (ms) => base * (1 + 0.25 * Math.cos((2 * Math.PI * ((ms % DAY_MS) - 13 * HOUR_MS)) / DAY_MS));
}

/**
 * A group with a daily cycle whose load is multiplied by `factor` for `durationHours`, starting
 * `leadHours` into the evaluated window (at 06:00 UTC by default); a `Campaign Scheduled` event
 * naming the group and the multiplier announces it when the window opens.
 */
export function campaignScenario(options: CampaignScenarioOptions = {}): CampaignScenario {
  const factor = options.factor ?? 3;
  const durationHours = options.durationHours ?? 2;
  const leadHours = options.leadHours ?? 3;
  const hours = options.hours ?? leadHours + durationHours + 1;
  const historyDays = options.historyDays ?? 8;
  const historyStartMs = EPOCH_MS;
  const evalStartMs = historyStartMs + historyDays * DAY_MS + 3 * HOUR_MS;
  const spikeStartMs = evalStartMs + leadHours * HOUR_MS;
  const spikeEndMs = spikeStartMs + durationHours * HOUR_MS;
  const daily = dailyLoad(options.baseLoad ?? 480);
  const loadAt = (ms: number) => daily(ms) * (ms >= spikeStartMs && ms < spikeEndMs ? factor : 1);
  const peak = (options.baseLoad ?? 480) * 1.25 * factor;
  const target = SCENARIO_DEFAULTS.targetLoadPerInstance;
  const scenario: GroupsScenario = {
    groups: [{ name: CAMPAIGN_GROUP, loadAt, minSize: 1, maxSize: Math.ceil((peak / target) * 1.5) }],
    historyStartMs,
    evalStartMs,
    evalEndMs: evalStartMs + hours * HOUR_MS,
    targetLoadPerInstance: target,
    instanceType: SCENARIO_DEFAULTS.instanceType,
    launchDelaySeconds: SCENARIO_DEFAULTS.launchDelaySeconds,
    launchJitterSeconds: SCENARIO_DEFAULTS.launchJitterSeconds,
    warmupSeconds: SCENARIO_DEFAULTS.warmupSeconds,
    seed: options.seed ?? 7,
  };
  return {
    scenario,
    event: campaignScheduledEvent('spring-sale-2024', [CAMPAIGN_GROUP], spikeStartMs, spikeEndMs, factor),
    spikeStartMs,
    spikeEndMs,
    config: scenarioConfig(scenario),
  };
}

/**
 * The simulation's Prescale configuration with the lead time the scenario's boots really take
 * (launch + jitter + warmup, rounded up to the next minute, plus one tick) instead of the 300 s
 * default: the seeded history has no launches to learn it from.
 */
export function scenarioConfig(
  scenario: Pick<
    GroupsScenario,
    'targetLoadPerInstance' | 'launchDelaySeconds' | 'launchJitterSeconds' | 'warmupSeconds'
  >,
  extra: Partial<UserConfigInput> = {},
): UserConfigInput {
  const base = prescaleConfig({
    targetLoadPerInstance: scenario.targetLoadPerInstance,
    prescaleStepSeconds: 3600,
  });
  const bootSeconds = scenario.launchDelaySeconds + scenario.launchJitterSeconds + scenario.warmupSeconds;
  return {
    ...base,
    ...extra,
    defaults: { ...base.defaults, defaultLeadTimeSeconds: Math.ceil(bootSeconds / 60) * 60 + 300 },
  };
}

/** A `Campaign Scheduled` EventBridge event with a multiplier (docs/campaigns.md). */
export function campaignScheduledEvent(
  campaignId: string,
  groupNames: readonly string[],
  startMs: number,
  endMs: number,
  factor: number,
): unknown {
  return {
    version: '0',
    id: `event-${campaignId}`,
    source: CAMPAIGN_EVENT_SOURCE,
    'detail-type': CAMPAIGN_DETAIL_TYPES.scheduled,
    account: '123456789012',
    region: 'us-east-1',
    time: new Date(startMs).toISOString(),
    resources: [],
    detail: {
      campaignId,
      kind: 'flash-sale',
      groups: { names: [...groupNames] },
      start: new Date(startMs).toISOString(),
      end: new Date(endMs).toISOString(),
      expectedLoad: { kind: 'multiplier', factor },
    },
  };
}

/** Both policies on the campaign scenario, and what each had ready when the spike began. */
export interface CampaignScenarioResult {
  readonly built: CampaignScenario;
  readonly prescale: GroupsRun;
  readonly reactive: GroupsRun;
  /** What `receive-campaign-event` returned. */
  readonly campaignResult: unknown;
  /** The pre-warm and release Scheduler fired, as the real `prewarm-campaign` handled them. */
  readonly campaignActions: readonly DeliveredCampaignAction[];
  /** Instances the spike's first minute needs. */
  readonly demandAtSpikeStart: number;
  readonly prescaleReadyAtSpikeStart: number;
  readonly reactiveReadyAtSpikeStart: number;
}

/**
 * Runs Prescale (the campaign sent through the real `receive-campaign-event` handler when the
 * window opens, the pre-warm and release its schedules fire handed to the real
 * `prewarm-campaign`, beside the loop) and target tracking alone on the campaign scenario.
 * `lambdas` must have been started with `built.config`.
 */
export async function runCampaignScenario(
  lambdas: PrescaleLambdas,
  built: CampaignScenario = campaignScenario(),
): Promise<CampaignScenarioResult> {
  let campaignResult: unknown;
  let campaignActions: readonly DeliveredCampaignAction[] = [];
  const prescale = await runGroups(built.scenario, {
    policy: 'prescale',
    lambdas,
    beforeRun: async (world) => {
      campaignResult = await sendCampaignEvent(lambdas, world, built.event);
      campaignActions = deliveredCampaignActions(world);
    },
    everyMinute: (world) => deliverFiredCampaignActions(lambdas, world),
  });
  const reactive = await runGroups(built.scenario, { policy: 'reactive' });
  const k = (built.spikeStartMs - built.scenario.evalStartMs) / MINUTE_MS;
  const p = prescale.groups[CAMPAIGN_GROUP];
  const r = reactive.groups[CAMPAIGN_GROUP];
  return {
    built,
    prescale,
    reactive,
    campaignResult,
    campaignActions,
    demandAtSpikeStart: p?.demand[k] ?? Number.NaN,
    prescaleReadyAtSpikeStart: p?.supply[k] ?? Number.NaN,
    reactiveReadyAtSpikeStart: r?.supply[k] ?? Number.NaN,
  };
}

/**
 * Runs the real handlers, freshly loaded with `config`, on `scenario`, with the campaign `event`
 * sent through the real campaign handler when the window opens (its schedules' pre-warm and
 * release delivered as they fire); `afterRun` reads the started
 * handlers' state (run records) before they stop. Must not be called while another
 * `PrescaleLambdas` is started in the process.
 * @throws Error when the campaign event is not applied.
 */
export async function runAnnouncedCampaign(
  scenario: GroupsScenario,
  config: UserConfigInput,
  event: unknown,
  afterRun?: (lambdas: PrescaleLambdas) => Promise<void>,
): Promise<GroupsRun> {
  const lambdas = await PrescaleLambdas.start(config);
  try {
    const run = await runGroups(scenario, {
      policy: 'prescale',
      lambdas,
      beforeRun: async (world) => {
        const result = (await sendCampaignEvent(lambdas, world, event)) as { kind?: string };
        if (result?.kind !== 'applied')
          throw new Error(`campaign event not applied: ${JSON.stringify(result)}`);
      },
      everyMinute: (world) => deliverFiredCampaignActions(lambdas, world),
    });
    await afterRun?.(lambdas);
    return run;
  } finally {
    await lambdas.stop();
  }
}
