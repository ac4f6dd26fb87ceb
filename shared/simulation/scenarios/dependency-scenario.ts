import type { UserConfigInput } from '../../contracts/user-config';
import type { DependencyEdge } from '../../core/dependencies/types';
import { SCENARIO_DEFAULTS } from '../run/scenario';
import { campaignScheduledEvent, dailyLoad, runAnnouncedCampaign, scenarioConfig } from './campaign-scenario';
import type { GroupsRun, GroupsScenario } from './run-groups';

/** The dependency scenario's knobs. */
export interface DependencyScenarioOptions {
  /** api load per unit of web load (api is the bottleneck when > 1). @default 1.5 */
  readonly loadRatio?: number;
  /** web's load multiplier inside the campaign window. @default 3 */
  readonly factor?: number;
  readonly durationHours?: number;
  /** Hours from the window's opening (when the event is sent) to the spike. @default 3 */
  readonly leadHours?: number;
  readonly historyDays?: number;
  /** web's mean load outside the campaign. @default 300 */
  readonly baseLoad?: number;
  readonly seed?: number;
}

/** Two groups, web → api, a campaign announced on web only, and the two configurations compared. */
export interface DependencyScenario {
  readonly scenario: GroupsScenario;
  readonly event: unknown;
  readonly spikeStartMs: number;
  readonly spikeEndMs: number;
  readonly edges: readonly DependencyEdge[];
  readonly loadRatio: number;
  /** `dependencies.edges` = web → api with the declared ratio. */
  readonly configWithGraph: UserConfigInput;
  /** No edges: api forecasts from its own history only. */
  readonly configWithoutGraph: UserConfigInput;
}

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
const DAY_MS = 24 * HOUR_MS;
const EPOCH_MS = Date.UTC(2024, 0, 1);
export const WEB = 'web';
export const API = 'api';

/**
 * web has a daily cycle and a campaign (`factor` × for `durationHours`) announced by a
 * `Campaign Scheduled` event naming web only; api serves `loadRatio` × web's load at every
 * minute, so the spike reaches it too, but nothing tells api's own forecast about it.
 */
export function dependencyScenario(options: DependencyScenarioOptions = {}): DependencyScenario {
  const loadRatio = options.loadRatio ?? 1.5;
  const factor = options.factor ?? 3;
  const durationHours = options.durationHours ?? 2;
  const leadHours = options.leadHours ?? 3;
  const baseLoad = options.baseLoad ?? 300;
  const historyStartMs = EPOCH_MS;
  const evalStartMs = historyStartMs + (options.historyDays ?? 8) * DAY_MS + 3 * HOUR_MS;
  const spikeStartMs = evalStartMs + leadHours * HOUR_MS;
  const spikeEndMs = spikeStartMs + durationHours * HOUR_MS;
  const daily = dailyLoad(baseLoad);
  const webLoad = (ms: number) => daily(ms) * (ms >= spikeStartMs && ms < spikeEndMs ? factor : 1);
  const apiLoad = (ms: number) => loadRatio * webLoad(ms);
  const target = SCENARIO_DEFAULTS.targetLoadPerInstance;
  const maxFor = (peak: number) => Math.ceil((peak / target) * 1.5);
  const scenario: GroupsScenario = {
    groups: [
      { name: WEB, loadAt: webLoad, minSize: 1, maxSize: maxFor(baseLoad * 1.25 * factor) },
      { name: API, loadAt: apiLoad, minSize: 1, maxSize: maxFor(baseLoad * 1.25 * factor * loadRatio) },
    ],
    historyStartMs,
    evalStartMs,
    evalEndMs: spikeEndMs + HOUR_MS,
    targetLoadPerInstance: target,
    instanceType: SCENARIO_DEFAULTS.instanceType,
    launchDelaySeconds: SCENARIO_DEFAULTS.launchDelaySeconds,
    launchJitterSeconds: SCENARIO_DEFAULTS.launchJitterSeconds,
    warmupSeconds: SCENARIO_DEFAULTS.warmupSeconds,
    seed: options.seed ?? 11,
  };
  const edges: DependencyEdge[] = [{ from: WEB, to: API, loadRatio }];
  return {
    scenario,
    event: campaignScheduledEvent('web-flash-sale', [WEB], spikeStartMs, spikeEndMs, factor),
    spikeStartMs,
    spikeEndMs,
    edges,
    loadRatio,
    configWithGraph: scenarioConfig(scenario, { dependencies: { edges: [...edges] } }),
    configWithoutGraph: scenarioConfig(scenario),
  };
}

/** Prescale with and without the dependency graph on the same world and campaign. */
export interface DependencyScenarioResult {
  readonly built: DependencyScenario;
  readonly withGraph: GroupsRun;
  readonly withoutGraph: GroupsRun;
}

function runWith(built: DependencyScenario, config: UserConfigInput): Promise<GroupsRun> {
  return runAnnouncedCampaign(built.scenario, config, built.event);
}

/**
 * Runs the real handlers twice, each time in its own fresh handler load (the configuration is
 * read when a handler loads): with `dependencies.edges` web → api, then without. Must not be
 * called while another `PrescaleLambdas` is started in the process.
 * @throws Error when the campaign event is not applied.
 */
export async function runDependencyScenario(
  built: DependencyScenario = dependencyScenario(),
): Promise<DependencyScenarioResult> {
  const withGraph = await runWith(built, built.configWithGraph);
  const withoutGraph = await runWith(built, built.configWithoutGraph);
  return { built, withGraph, withoutGraph };
}
