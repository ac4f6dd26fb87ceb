import type { SolverOutcome } from '../pricing/read-mix-solution';
import { healthyCapacity } from '../rolling-update/types';
import { explainInfeasibleUpdate, type UpdateCell, type UpdatePlanModel } from './plan-update-scenarios';
import { slotName } from './slot-peak-loads';
import type { UpdateCandidateGroup } from './slot-requirement';
import { describePath } from './update-conflicts';

/** One group's place in the plan. Capacities in instances, money in USD. */
export interface PlannedGroupUpdate {
  readonly groupName: string;
  readonly slotIndex: number;
  readonly slotStartMs: number;
  readonly slotEndMs: number;
  /** Extra instances to raise desired (and min) capacity by before the update, released after it. */
  readonly headroomInstances: number;
  readonly desiredCapacityDuringUpdate: number;
  /** Instances Auto Scaling keeps healthy meanwhile: floor(desired during update × minHealthy / 100). */
  readonly healthyInstances: number;
  readonly requiredHealthyInstances: number;
  readonly p90Load: number;
  /** Headroom instances × hourly price × slot hours. */
  readonly headroomCostUsd: number;
}

/**
 * Why one slot was not chosen for one group. `slo`: the slot cannot hold the update (its p90 peak
 * needs more healthy capacity than MaxSize allows, or the refresh of its headroom outlasts it).
 */
export type SlotRejectionReason =
  | { readonly kind: 'slo'; readonly message: string }
  | {
      readonly kind: 'dependency';
      readonly otherGroup: string;
      readonly path: readonly string[];
      readonly message: string;
    }
  | { readonly kind: 'concurrency'; readonly message: string }
  | {
      readonly kind: 'not-cheaper';
      readonly costUsd: number;
      readonly chosenCostUsd: number;
      readonly message: string;
    };

/** A slot a group could have taken and did not, with every reason that applies. */
export interface RejectedSlot {
  readonly groupName: string;
  readonly slotIndex: number;
  /** True when the slot is before the chosen one (the usual question: "why not sooner?"). */
  readonly earlier: boolean;
  readonly reasons: readonly SlotRejectionReason[];
}

/** The outcome of reading a solved update model. */
export type UpdatePlan =
  | {
      readonly kind: 'planned';
      /** Sorted by slot, then by the request's group order. */
      readonly updates: readonly PlannedGroupUpdate[];
      readonly slots: readonly {
        readonly slotIndex: number;
        readonly startMs: number;
        readonly groupNames: readonly string[];
      }[];
      readonly headroomCostUsd: number;
      readonly latenessPenaltyUsd: number;
      /** headroomCostUsd + latenessPenaltyUsd: what the model minimized. */
      readonly objectiveUsd: number;
      readonly provedOptimal: boolean;
      readonly rejected: readonly RejectedSlot[];
      /** Slots where a group is short even at full capacity, without any update (the scaling loop's job). */
      readonly warnings: readonly string[];
    }
  | { readonly kind: 'infeasible'; readonly reasons: readonly string[] }
  | { readonly kind: 'invalid-solution'; readonly reason: string };

const INTEGRALITY_TOLERANCE = 1e-6;

/**
 * Reads a solver's answer to `planUpdateScenarios` into a plan and checks it against the model
 * (one slot per group, whole numbers, headroom within MaxSize, healthy capacity ≥ the p90 peak,
 * dependent groups apart, the concurrency limit), so a solver bug never becomes an unsafe update.
 * Headroom is trimmed to the least that meets the SLO (it only differs from the solver's when a
 * price is 0). Then explains, for every group, why each other slot was rejected.
 */
export function readUpdatePlan(model: UpdatePlanModel, outcome: SolverOutcome): UpdatePlan {
  if (outcome.status === 'infeasible') return { kind: 'infeasible', reasons: explainInfeasibleUpdate(model) };
  if (outcome.status === 'failed') {
    return {
      kind: 'invalid-solution',
      reason: `the solver failed${outcome.detail ? `: ${outcome.detail}` : ''}`,
    };
  }
  const { request } = model;
  const chosen = chosenCells(model, outcome);
  if (!Array.isArray(chosen)) return chosen;
  const updates = plannedUpdates(model, chosen, outcome);
  if (!Array.isArray(updates)) return updates;

  const slotOf = new Map(updates.map((u) => [u.groupName, u.slotIndex]));
  const countBySlot = new Map<number, number>();
  for (const u of updates) countBySlot.set(u.slotIndex, (countBySlot.get(u.slotIndex) ?? 0) + 1);
  const unsafe = dependencyViolation(model, slotOf) ?? concurrencyViolation(model, countBySlot);
  if (unsafe) return unsafe;

  const headroomCostUsd = updates.reduce((s, u) => s + u.headroomCostUsd, 0);
  const latenessPenaltyUsd = updates.reduce((s, u) => s + u.slotIndex * model.latenessPenaltyUsdPerSlot, 0);
  const slots = Array.from({ length: request.slotCount }, (_, t) => ({
    slotIndex: t,
    startMs: request.firstSlotStartMs + t * request.slotSeconds * 1000,
    groupNames: updates.filter((u) => u.slotIndex === t).map((u) => u.groupName),
  }));
  return {
    kind: 'planned',
    updates: [...updates].sort((a, b) => a.slotIndex - b.slotIndex),
    slots,
    headroomCostUsd,
    latenessPenaltyUsd,
    objectiveUsd: headroomCostUsd + latenessPenaltyUsd,
    provedOptimal: outcome.status === 'optimal',
    rejected: explainRejections(model, chosen, slotOf, countBySlot),
    warnings: shortWithoutUpdate(model, slotOf),
  };
}

type InvalidSolution = Extract<UpdatePlan, { kind: 'invalid-solution' }>;

/** Each group's one chosen cell, in group order; a non-binary value or not exactly one slot is a solver bug. */
function chosenCells(model: UpdatePlanModel, outcome: SolverOutcome): UpdateCell[] | InvalidSolution {
  const { groups } = model.request;
  const chosen: UpdateCell[] = [];
  for (let g = 0; g < groups.length; g++) {
    const picked: UpdateCell[] = [];
    for (const cell of model.cells.filter((c) => c.groupIndex === g)) {
      const raw = outcome.values[cell.assignVariable] ?? 0;
      const value = Math.round(raw);
      if (
        !Number.isFinite(raw) ||
        Math.abs(raw - value) > INTEGRALITY_TOLERANCE ||
        (value !== 0 && value !== 1)
      ) {
        return { kind: 'invalid-solution', reason: `${cell.assignVariable} = ${raw} is not 0 or 1` };
      }
      if (value === 1) picked.push(cell);
    }
    if (picked.length !== 1) {
      return {
        kind: 'invalid-solution',
        reason: `${groups[g]?.groupName} is placed in ${picked.length} slot(s); expected exactly 1`,
      };
    }
    chosen.push(picked[0] as UpdateCell);
  }
  return chosen;
}

/**
 * Each chosen cell as an update, once the solver's headroom is checked (whole, within MaxSize, enough
 * for the SLO); the update itself holds the least headroom that meets the SLO.
 */
function plannedUpdates(
  model: UpdatePlanModel,
  chosen: readonly UpdateCell[],
  outcome: SolverOutcome,
): PlannedGroupUpdate[] | InvalidSolution {
  const { request } = model;
  const { groups } = request;
  const updates: PlannedGroupUpdate[] = [];
  for (const cell of chosen) {
    const group = groups[cell.groupIndex] as UpdateCandidateGroup;
    const r = cell.requirement;
    const raw = cell.headroomVariable ? (outcome.values[cell.headroomVariable] ?? 0) : 0;
    const solved = Math.round(raw);
    if (!Number.isFinite(raw) || Math.abs(raw - solved) > INTEGRALITY_TOLERANCE || solved < 0) {
      return {
        kind: 'invalid-solution',
        reason: `${cell.headroomVariable} = ${raw} is not a whole number ≥ 0`,
      };
    }
    if (solved > r.maxHeadroomInstances) {
      return {
        kind: 'invalid-solution',
        reason: `${group.groupName}: headroom ${solved} exceeds MaxSize − desired = ${r.maxHeadroomInstances}`,
      };
    }
    const healthySolved = healthyCapacity(group.desiredCapacity + solved, group.minHealthyPercentage);
    if (healthySolved < r.requiredHealthyInstances) {
      return {
        kind: 'invalid-solution',
        reason: `${group.groupName} in ${slotName(request, cell.slotIndex)}: ${healthySolved} healthy < ${r.requiredHealthyInstances} required`,
      };
    }
    const headroom = r.minHeadroomInstances;
    const desiredDuring = group.desiredCapacity + headroom;
    const slotStartMs = request.firstSlotStartMs + cell.slotIndex * request.slotSeconds * 1000;
    updates.push({
      groupName: group.groupName,
      slotIndex: cell.slotIndex,
      slotStartMs,
      slotEndMs: slotStartMs + request.slotSeconds * 1000,
      headroomInstances: headroom,
      desiredCapacityDuringUpdate: desiredDuring,
      healthyInstances: healthyCapacity(desiredDuring, group.minHealthyPercentage),
      requiredHealthyInstances: r.requiredHealthyInstances,
      p90Load: r.p90Load,
      headroomCostUsd: headroom * cell.headroomUsdPerInstance,
    });
  }
  return updates;
}

/** The first pair of dependent groups the solution puts in the same slot. */
function dependencyViolation(
  model: UpdatePlanModel,
  slotOf: ReadonlyMap<string, number>,
): InvalidSolution | undefined {
  for (const conflict of model.conflicts) {
    if (slotOf.get(conflict.upstream) === slotOf.get(conflict.downstream)) {
      return {
        kind: 'invalid-solution',
        reason: `${conflict.upstream} and ${conflict.downstream} both update in ${slotName(model.request, slotOf.get(conflict.upstream) as number)} (dependency ${describePath(conflict.path)})`,
      };
    }
  }
  return undefined;
}

/** The first slot with more updates than the concurrency limit allows. */
function concurrencyViolation(
  model: UpdatePlanModel,
  countBySlot: ReadonlyMap<number, number>,
): InvalidSolution | undefined {
  const limit = model.request.maxConcurrentUpdates;
  for (const [slot, count] of countBySlot) {
    if (limit !== undefined && count > limit) {
      return {
        kind: 'invalid-solution',
        reason: `${count} groups update in ${slotName(model.request, slot)}; at most ${limit} may`,
      };
    }
  }
  return undefined;
}

function explainRejections(
  model: UpdatePlanModel,
  chosen: readonly UpdateCell[],
  slotOf: ReadonlyMap<string, number>,
  countBySlot: ReadonlyMap<number, number>,
): RejectedSlot[] {
  const { groups, maxConcurrentUpdates } = model.request;
  const cellCost = (c: UpdateCell) =>
    c.requirement.minHeadroomInstances * c.headroomUsdPerInstance + c.latenessPenaltyUsd;
  const rejected: RejectedSlot[] = [];
  for (const cell of chosen) {
    const name = groups[cell.groupIndex]?.groupName as string;
    const chosenCost = cellCost(cell);
    for (const r of model.requirements[cell.groupIndex] ?? []) {
      const t = r.slotIndex;
      if (t === cell.slotIndex) continue;
      const reasons: SlotRejectionReason[] = [];
      if (!r.feasible) {
        reasons.push({
          kind: 'slo',
          message: r.reason ?? `${slotName(model.request, t)}: not enough healthy capacity`,
        });
      } else {
        for (const c of model.conflicts) {
          const other = c.upstream === name ? c.downstream : c.downstream === name ? c.upstream : undefined;
          if (other !== undefined && slotOf.get(other) === t) {
            reasons.push({
              kind: 'dependency',
              otherGroup: other,
              path: c.path,
              message: `${slotName(model.request, t)}: ${other} updates at the same time (dependency ${describePath(c.path)})`,
            });
          }
        }
        if (maxConcurrentUpdates !== undefined && (countBySlot.get(t) ?? 0) >= maxConcurrentUpdates) {
          reasons.push({
            kind: 'concurrency',
            message: `${slotName(model.request, t)}: ${countBySlot.get(t)} group(s) already update then (maxConcurrentUpdates ${maxConcurrentUpdates})`,
          });
        }
        if (reasons.length === 0) {
          const alt = model.cells.find(
            (c) => c.groupIndex === cell.groupIndex && c.slotIndex === t,
          ) as UpdateCell;
          const costUsd = cellCost(alt);
          reasons.push({
            kind: 'not-cheaper',
            costUsd,
            chosenCostUsd: chosenCost,
            message:
              `${slotName(model.request, t)}: ${r.minHeadroomInstances} headroom instance(s) and lateness cost ${usd(costUsd)} USD` +
              ` vs ${usd(chosenCost)} USD in ${slotName(model.request, cell.slotIndex)} with ${cell.requirement.minHeadroomInstances} headroom`,
          });
        }
      }
      rejected.push({ groupName: name, slotIndex: t, earlier: t < cell.slotIndex, reasons });
    }
  }
  return rejected;
}

function shortWithoutUpdate(model: UpdatePlanModel, slotOf: ReadonlyMap<string, number>): string[] {
  const warnings: string[] = [];
  model.request.groups.forEach((group, g) => {
    for (const r of model.requirements[g] ?? []) {
      if (r.slotIndex === slotOf.get(group.groupName)) continue;
      if (group.desiredCapacity < r.requiredHealthyInstances) {
        warnings.push(
          `${group.groupName}: ${slotName(model.request, r.slotIndex)}: predicted p90 ${Math.round(r.p90Load * 100) / 100} needs ${r.requiredHealthyInstances} instance(s), above desired ${group.desiredCapacity} even without an update`,
        );
      }
    }
  });
  return warnings;
}

function usd(value: number): string {
  return String(Math.round(value * 10_000) / 10_000);
}
