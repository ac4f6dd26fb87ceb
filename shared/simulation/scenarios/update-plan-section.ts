import { campaignEventWindows } from '../../contracts/campaign-event-windows';
import { rollingUpdateSchema, type UserConfig } from '../../contracts/user-config';
import { propagateForecast } from '../../core/dependencies/propagate-forecast';
import { forecastDemand } from '../../core/forecast/forecast-demand';
import type { DemandForecast, LoadObservation } from '../../core/forecast/types';
import type { MixSolver } from '../../ports/mix-solver';
import { HighsMixSolver } from '../../solvers/highs-mix-solver';
import {
  type DependentUpdateGroup,
  type PlanDependentUpdatesResult,
  planDependentUpdates,
} from '../../usecases/plan-dependent-updates';
import { demandInstances } from '../policies/oracle-capacity';
import { instanceTypeSpec } from '../world/instance-types';
import { API, type DependencyScenario, WEB } from './dependency-scenario';

/** A planned rolling update of the scenario's groups, as a report section. */
export interface UpdatePlanSection {
  readonly result: PlanDependentUpdatesResult;
  /** Plain text: p90 peaks per slot, the chosen plan, and every rejected slot with its reasons. */
  readonly text: string;
  /** The same as an HTML `<section>`. */
  readonly html: string;
}

/** Options of {@link updatePlanSection}. */
export interface UpdatePlanSectionOptions {
  /** One-hour slots from the evaluated window's start. @default 8 */
  readonly slotCount?: number;
  /** @default HighsMixSolver */
  readonly solver?: MixSolver;
  /**
   * The rolling update's preferences, as config sets them: each slot must hold the refresh of the
   * headroom its peak needs. @default the deployed defaults (`rollingUpdate` of an empty config)
   */
  readonly rollingUpdate?: Partial<
    Pick<
      UserConfig['rollingUpdate'],
      'minHealthyPercentage' | 'maxHealthyPercentage' | 'instanceWarmupSeconds' | 'bakeTimeSeconds'
    >
  >;
}

/** The rolling update's preferences a deployment with no `rollingUpdate` config runs with. */
const DEPLOYED_ROLLING_UPDATE = rollingUpdateSchema.parse({});

const HOUR_MS = 3_600_000;
const LEVELS_PCT = [50, 80, 90, 98];

function hourlyHistory(loadAt: (ms: number) => number, fromMs: number, toMs: number): LoadObservation[] {
  const out: LoadObservation[] = [];
  for (let h = fromMs; h + HOUR_MS <= toMs; h += HOUR_MS) {
    let sum = 0;
    for (let m = 0; m < 60; m += 1) sum += loadAt(h + m * 60_000);
    out.push({ timestampMs: h, value: sum / 60 });
  }
  return out;
}

const hhmm = (ms: number) => new Date(ms).toISOString().slice(11, 16);
const escapeHtml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/**
 * Plans a rolling update of web and api over the next `slotCount` hours from the scenario's
 * evaluated window start, as Prescale would: each group's hourly forecast from its simulated
 * history (web's with the campaign's windows, api's propagated from web along the edge), p90
 * peaks per slot, then `planDependentUpdates` with HiGHS, with the rolling update's preferences
 * (`options.rollingUpdate`, else the deployed defaults) so each slot is checked to hold the
 * refresh of its headroom, as the product checks it. Returns the result and its rendering.
 * @throws SolverUnavailableError when HiGHS cannot load.
 */
export async function updatePlanSection(
  built: DependencyScenario,
  options: UpdatePlanSectionOptions = {},
): Promise<UpdatePlanSection> {
  const slotCount = options.slotCount ?? 8;
  const { scenario } = built;
  const startMs = scenario.evalStartMs;
  const target = scenario.targetLoadPerInstance;
  const forecastOf = (name: string, campaigns: boolean): DemandForecast => {
    const g = scenario.groups.find((x) => x.name === name);
    if (!g) throw new RangeError(`no group ${name} in the scenario`);
    return forecastDemand({
      history: hourlyHistory(g.loadAt, scenario.historyStartMs, startMs),
      stepSeconds: 3600,
      horizonSteps: slotCount,
      levels: LEVELS_PCT,
      ...(campaigns ? { campaigns: campaignEventWindows(built.event, target) } : {}),
    });
  };
  const web = forecastOf(WEB, true);
  const api = propagateForecast(forecastOf(API, false), [
    { groupName: WEB, loadRatio: built.loadRatio, forecast: web },
  ]).forecast;
  const price = instanceTypeSpec(scenario.instanceType).hourlyPriceUsd;
  const preferences = { ...DEPLOYED_ROLLING_UPDATE, ...options.rollingUpdate };
  const groups: DependentUpdateGroup[] = [
    [WEB, web],
    [API, api],
  ].map(([name, forecast]) => {
    const g = scenario.groups.find((x) => x.name === name);
    return {
      groupName: name as string,
      desiredCapacity: Math.min(g?.maxSize ?? 1, demandInstances(g?.loadAt(startMs) ?? 0, target)),
      maxSize: g?.maxSize ?? 1,
      minHealthyPercentage: preferences.minHealthyPercentage,
      // As `computeUpdatePlan` passes them: a slot too short for the refresh is rejected here too.
      refresh: {
        instanceWarmupSeconds: preferences.instanceWarmupSeconds,
        maxHealthyPercentage: preferences.maxHealthyPercentage,
        bakeTimeSeconds: preferences.bakeTimeSeconds,
      },
      targetLoadPerInstance: target,
      hourlyPriceUsd: price,
      forecast: forecast as DemandForecast,
    };
  });
  const result = await planDependentUpdates(
    { solver: options.solver ?? new HighsMixSolver() },
    { firstSlotStartMs: startMs, slotSeconds: 3600, slotCount, groups, edges: built.edges },
  );
  const text = renderUpdatePlan(result, startMs, groups);
  return {
    result,
    text,
    html: `<section id="update-plan"><h2>Rolling update plan (web → api)</h2><pre>${escapeHtml(text)}</pre></section>`,
  };
}

/** The plan as text: inputs per slot, chosen updates, rejected slots with reasons. */
export function renderUpdatePlan(
  result: PlanDependentUpdatesResult,
  firstSlotStartMs: number,
  groups: readonly Pick<DependentUpdateGroup, 'groupName' | 'desiredCapacity' | 'maxSize'>[],
): string {
  const lines: string[] = [];
  const slotText = (i: number) => {
    const s = firstSlotStartMs + i * HOUR_MS;
    return `slot ${i + 1} (${hhmm(s)}–${hhmm(s + HOUR_MS)} UTC)`;
  };
  lines.push(
    `Rolling update of ${groups.map((g) => g.groupName).join(', ')} in 1-h slots from ${new Date(firstSlotStartMs).toISOString()}`,
  );
  for (const g of groups) {
    const peaks = result.diagnostics.peakLoadBySlot[g.groupName] ?? [];
    lines.push(
      `  ${g.groupName.padEnd(4)} desired ${g.desiredCapacity}, max ${g.maxSize}; p90 peak by slot: ${peaks.map((p) => p.toFixed(0)).join(' ')}`,
    );
  }
  const plan = result.plan;
  if (plan.kind === 'invalid-graph') {
    lines.push(`Invalid dependency graph: ${plan.problems.map((p) => p.message).join('; ')}`);
    return lines.join('\n');
  }
  if (plan.kind !== 'planned') {
    lines.push(
      `No plan (${plan.kind}): ${plan.kind === 'infeasible' ? plan.reasons.join('; ') : plan.reason}`,
    );
    return lines.join('\n');
  }
  lines.push(
    `Chosen plan (${plan.provedOptimal ? 'optimal' : 'best found'}, headroom $${plan.headroomCostUsd.toFixed(3)}):`,
  );
  for (const u of plan.updates) {
    lines.push(
      `  ${u.groupName.padEnd(4)} ${slotText(u.slotIndex)}: headroom +${u.headroomInstances}, desired ${u.desiredCapacityDuringUpdate}, ` +
        `${u.healthyInstances} healthy ≥ ${u.requiredHealthyInstances} needed for p90 ${u.p90Load.toFixed(0)}, $${u.headroomCostUsd.toFixed(3)}`,
    );
  }
  lines.push('Rejected alternatives:');
  for (const r of plan.rejected) {
    lines.push(`  ${r.groupName.padEnd(4)} ${r.reasons.map((x) => x.message).join('; ')}`);
  }
  for (const w of plan.warnings) lines.push(`Warning: ${w}`);
  return lines.join('\n');
}
