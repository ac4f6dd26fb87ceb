import { lpNumber } from '../pricing/build-mix-model';
import { slotName, type UpdateSlots } from './slot-peak-loads';
import { type SlotRequirement, slotRequirement, type UpdateCandidateGroup } from './slot-requirement';
import type { DependencyEdge } from './types';
import {
  describePath,
  type UpdateConflict,
  type UpdateSeparation,
  updateConflicts,
} from './update-conflicts';

/** A planned rolling update or maintenance of several groups, to be spread over time slots. */
export interface UpdateScenarioRequest extends UpdateSlots {
  /** The groups to update, each exactly once. */
  readonly groups: readonly UpdateCandidateGroup[];
  /** The dependency graph; may name groups that are not updating (they link transitive paths). */
  readonly edges: readonly DependencyEdge[];
  /** Which dependencies keep two groups apart. @default 'direct' */
  readonly separation?: UpdateSeparation;
  /** Most groups updating in one slot (≥ 1). @default no limit beyond the dependencies */
  readonly maxConcurrentUpdates?: number;
  /**
   * USD added per slot of delay per group, so that among equally cheap plans the earliest wins.
   * @default 0.1 % of the cheapest group's instance-slot price (at least 1e-6 USD): a tie-breaker
   */
  readonly latenessPenaltyUsdPerSlot?: number;
}

/** One (group, slot) pair the model may choose: SLO-feasible, with its variables. */
export interface UpdateCell {
  readonly groupIndex: number;
  readonly slotIndex: number;
  /** Binary: 1 when the group updates in this slot. */
  readonly assignVariable: string;
  /** Integer: headroom instances held through the update; absent when MaxSize allows none. */
  readonly headroomVariable?: string;
  /** USD one headroom instance costs over the slot: hourly price × slot hours. */
  readonly headroomUsdPerInstance: number;
  /** USD of delay for updating in this slot: slot index × the lateness penalty. */
  readonly latenessPenaltyUsd: number;
  readonly requirement: SlotRequirement;
}

/** The mixed-integer program for a request, in CPLEX LP text, with what is needed to read its solution. */
export interface UpdatePlanModel {
  readonly lp: string;
  readonly request: UpdateScenarioRequest;
  /** `requirements[g][t]`: what updating group g in slot t takes, feasible or not. */
  readonly requirements: readonly (readonly SlotRequirement[])[];
  /** Only the feasible pairs get variables. */
  readonly cells: readonly UpdateCell[];
  readonly conflicts: readonly UpdateConflict[];
  readonly latenessPenaltyUsdPerSlot: number;
}

/** The outcome of {@link planUpdateScenarios}: a model to solve, or why no plan can exist. */
export type UpdateScenarioModelResult =
  | { readonly kind: 'model'; readonly model: UpdatePlanModel }
  | { readonly kind: 'infeasible'; readonly reasons: readonly string[] };

/** The request itself is malformed (a caller bug, not a planning outcome). */
export class UpdateScenarioInputError extends Error {
  override readonly name = 'UpdateScenarioInputError' as const;
  constructor(readonly problems: readonly string[]) {
    super(`invalid update scenario request: ${problems.join('; ')}`);
  }
}

const DEFAULT_LATENESS_SHARE = 0.001;
const MIN_LATENESS_PENALTY_USD = 1e-6;

/**
 * Lays out every scenario of a multi-group update (which group updates in which slot, with how
 * much headroom) and builds the integer program that picks the cheapest safe one:
 *
 * - `x[g,t]` binary: group g updates in slot t; one per group (`once_g`).
 * - `h[g,t]` integer in [0, MaxSize − desired]: headroom instances raised for the update and held
 *   only in that slot (`hold_g_t`: h ≤ (MaxSize − desired)·x).
 * - SLO (`slo_g_t`): minHealthy·(desired + h) ≥ 100·required·x, i.e. the part Auto Scaling keeps
 *   healthy carries the slot's p90 peak; groups not updating keep their full capacity.
 * - Dependencies (`sep_a_b_t`): x[a,t] + x[b,t] ≤ 1 for every conflicting pair (see `separation`).
 * - Concurrency (`conc_t`, optional): Σ_g x[g,t] ≤ maxConcurrentUpdates.
 * - Objective: Σ h·price·slotHours + Σ t·latenessPenalty·x.
 *
 * Pairs (g, t) where even the most headroom cannot carry the peak, or (with the group's refresh
 * preferences) the refresh of the headroom the peak needs is longer than a slot, get no variables;
 * a group with no usable slot makes the result `infeasible` with each slot's reason, without a
 * solver.
 * Pure and deterministic.
 * @throws UpdateScenarioInputError when the request is malformed (no groups, duplicate names,
 *   a p90 list of the wrong length, non-finite or negative numbers).
 */
export function planUpdateScenarios(request: UpdateScenarioRequest): UpdateScenarioModelResult {
  validate(request);
  const { groups, slotCount, slotSeconds } = request;
  const slotHours = slotSeconds / 3600;
  const requirements = groups.map((g) =>
    Array.from({ length: slotCount }, (_, t) =>
      slotRequirement(g, t, { label: slotName(request, t), seconds: slotSeconds }),
    ),
  );
  const reasons = infeasibleBeforeSolving(request, requirements);
  if (reasons.length > 0) return { kind: 'infeasible', reasons };

  const cheapestSlotUsd = Math.min(...groups.map((g) => g.hourlyPriceUsd * slotHours));
  const latenessPenaltyUsdPerSlot =
    request.latenessPenaltyUsdPerSlot ??
    Math.max(MIN_LATENESS_PENALTY_USD, DEFAULT_LATENESS_SHARE * cheapestSlotUsd);
  const conflicts = updateConflicts(
    groups.map((g) => g.groupName),
    request.edges,
    request.separation ?? 'direct',
  );
  const cells = updateCells(groups, requirements, slotHours, latenessPenaltyUsdPerSlot);
  const lines: string[] = [
    '\\ Prescale dependent updates: minimize headroom instance-hours x price plus a lateness penalty',
    'Minimize',
    ...objectiveLines(cells),
    'Subject To',
    ...assignmentLines(groups, cells),
    ...separationLines(request, cells, conflicts),
    ...boundLines(cells),
    'End',
    '',
  ];
  return {
    kind: 'model',
    model: { lp: lines.join('\n'), request, requirements, cells, conflicts, latenessPenaltyUsdPerSlot },
  };
}

/** Why no plan can exist, seen without a solver: a group with no usable slot, or too few slots. */
function infeasibleBeforeSolving(
  request: UpdateScenarioRequest,
  requirements: readonly (readonly SlotRequirement[])[],
): string[] {
  const { groups, slotCount } = request;
  const reasons: string[] = [];
  requirements.forEach((row, g) => {
    if (row.every((r) => !r.feasible)) {
      // Capacity alone, or with a refresh too long for its slot somewhere.
      const headline = row.every((r) => r.minHeadroomInstances > r.maxHeadroomInstances)
        ? 'no slot keeps enough healthy capacity'
        : 'no slot keeps enough healthy capacity with the refresh of its headroom within the slot';
      reasons.push(`${groups[g]?.groupName}: ${headline}: ${row.map((r) => r.reason).join('; ')}`);
    }
  });
  const limit = request.maxConcurrentUpdates;
  if (limit !== undefined && limit * slotCount < groups.length) {
    reasons.push(
      `${groups.length} groups cannot update in ${slotCount} slot(s) with at most ${limit} at once; expected at least ${Math.ceil(groups.length / limit)} slots`,
    );
  }
  return reasons;
}

/** One cell per SLO-feasible (group, slot) pair, group by group then slot by slot. */
function updateCells(
  groups: readonly UpdateCandidateGroup[],
  requirements: readonly (readonly SlotRequirement[])[],
  slotHours: number,
  latenessPenaltyUsdPerSlot: number,
): UpdateCell[] {
  const cells: UpdateCell[] = [];
  requirements.forEach((row, g) => {
    for (const requirement of row) {
      if (!requirement.feasible) continue;
      const t = requirement.slotIndex;
      cells.push({
        groupIndex: g,
        slotIndex: t,
        assignVariable: `x_${g}_${t}`,
        ...(requirement.maxHeadroomInstances > 0 ? { headroomVariable: `h_${g}_${t}` } : {}),
        headroomUsdPerInstance: (groups[g]?.hourlyPriceUsd ?? 0) * slotHours,
        latenessPenaltyUsd: t * latenessPenaltyUsdPerSlot,
        requirement,
      });
    }
  });
  return cells;
}

/** The objective; LP needs at least one term, so an all-free model minimizes 0 · x. */
function objectiveLines(cells: readonly UpdateCell[]): string[] {
  const objective: [number, string][] = [];
  for (const c of cells) {
    if (c.headroomVariable && c.headroomUsdPerInstance > 0)
      objective.push([c.headroomUsdPerInstance, c.headroomVariable]);
    if (c.latenessPenaltyUsd > 0) objective.push([c.latenessPenaltyUsd, c.assignVariable]);
  }
  if (objective.length === 0) objective.push([0, (cells[0] as UpdateCell).assignVariable]);
  return terms(' cost:', objective);
}

/** `once_g` for every group, then `hold_g_t` and `slo_g_t` for every cell with headroom. */
function assignmentLines(groups: readonly UpdateCandidateGroup[], cells: readonly UpdateCell[]): string[] {
  const lines: string[] = [];
  groups.forEach((_, g) => {
    lines.push(
      ...terms(
        ` once_${g}:`,
        cells.filter((c) => c.groupIndex === g).map((c) => [1, c.assignVariable]),
      ),
    );
    lines.push('  = 1');
  });
  for (const c of cells) {
    const r = c.requirement;
    const group = groups[c.groupIndex] as UpdateCandidateGroup;
    if (!c.headroomVariable) continue;
    const tag = `${c.groupIndex}_${c.slotIndex}`;
    lines.push(` hold_${tag}: ${c.headroomVariable} - ${r.maxHeadroomInstances} ${c.assignVariable} <= 0`);
    // Integer form of floor((desired + h) × pct / 100) ≥ required.
    const shortfall = 100 * r.requiredHealthyInstances - group.minHealthyPercentage * group.desiredCapacity;
    if (r.minHeadroomInstances > 0 && shortfall > 0) {
      lines.push(
        ` slo_${tag}: ${lpNumber(group.minHealthyPercentage)} ${c.headroomVariable} - ${lpNumber(shortfall)} ${c.assignVariable} >= 0`,
      );
    }
  }
  return lines;
}

/** `sep_a_b_t` for every conflicting pair in every slot both may take, then `conc_t` where the limit binds. */
function separationLines(
  request: UpdateScenarioRequest,
  cells: readonly UpdateCell[],
  conflicts: readonly UpdateConflict[],
): string[] {
  const { groups, slotCount } = request;
  const limit = request.maxConcurrentUpdates;
  const cellAt = new Map(cells.map((c) => [`${c.groupIndex}/${c.slotIndex}`, c]));
  const indexOf = new Map(groups.map((g, i) => [g.groupName, i]));
  const lines: string[] = [];
  for (const conflict of conflicts) {
    const a = indexOf.get(conflict.upstream) as number;
    const b = indexOf.get(conflict.downstream) as number;
    for (let t = 0; t < slotCount; t++) {
      const ca = cellAt.get(`${a}/${t}`);
      const cb = cellAt.get(`${b}/${t}`);
      if (ca && cb) lines.push(` sep_${a}_${b}_${t}: ${ca.assignVariable} + ${cb.assignVariable} <= 1`);
    }
  }
  if (limit !== undefined && limit < groups.length) {
    for (let t = 0; t < slotCount; t++) {
      const inSlot = cells.filter((c) => c.slotIndex === t);
      if (inSlot.length <= limit) continue;
      lines.push(
        ...terms(
          ` conc_${t}:`,
          inSlot.map((c) => [1, c.assignVariable]),
        ),
      );
      lines.push(`  <= ${limit}`);
    }
  }
  return lines;
}

/** Headroom bounds and integrality, then the binaries. */
function boundLines(cells: readonly UpdateCell[]): string[] {
  const headroom = cells.filter((c) => c.headroomVariable);
  const lines: string[] = ['Bounds'];
  for (const c of headroom)
    lines.push(` 0 <= ${c.headroomVariable} <= ${c.requirement.maxHeadroomInstances}`);
  if (headroom.length > 0) {
    lines.push('Generals');
    lines.push(...wrap(headroom.map((c) => c.headroomVariable as string)));
  }
  lines.push('Binaries');
  lines.push(...wrap(cells.map((c) => c.assignVariable)));
  return lines;
}

/**
 * Why a model had no solution, in words: each group's usable slots, the dependencies that keep
 * groups apart, and the concurrency limit. Used when the solver reports the model infeasible.
 */
export function explainInfeasibleUpdate(model: UpdatePlanModel): string[] {
  const { groups, slotCount, maxConcurrentUpdates } = model.request;
  const reasons = [
    'no plan puts every group in a slot where its p90 peak fits while keeping dependent groups apart',
  ];
  model.requirements.forEach((row, g) => {
    const usable = row.filter((r) => r.feasible).map((r) => r.slotIndex);
    reasons.push(
      `${groups[g]?.groupName} can update only in slot(s) ${usable.map((t) => t + 1).join(', ')} of ${slotCount}`,
    );
  });
  if (model.conflicts.length > 0) {
    reasons.push(
      `dependencies keeping groups apart: ${model.conflicts.map((c) => describePath(c.path)).join(', ')}`,
    );
  }
  if (maxConcurrentUpdates !== undefined)
    reasons.push(`at most ${maxConcurrentUpdates} group(s) update at once`);
  return reasons;
}

function validate(request: UpdateScenarioRequest): void {
  const problems: string[] = [];
  const { groups, slotCount, slotSeconds } = request;
  if (!Number.isInteger(slotCount) || slotCount < 1)
    problems.push(`slotCount must be a whole number ≥ 1, got ${slotCount}`);
  if (!(slotSeconds > 0) || !Number.isFinite(slotSeconds))
    problems.push(`slotSeconds must be > 0, got ${slotSeconds}`);
  if (!Number.isFinite(request.firstSlotStartMs))
    problems.push(`firstSlotStartMs must be finite, got ${request.firstSlotStartMs}`);
  if (groups.length === 0) problems.push('expected at least one group to update, got none');
  const limit = request.maxConcurrentUpdates;
  if (limit !== undefined && (!Number.isInteger(limit) || limit < 1)) {
    problems.push(`maxConcurrentUpdates must be a whole number ≥ 1, got ${limit}`);
  }
  const penalty = request.latenessPenaltyUsdPerSlot;
  if (penalty !== undefined && !(penalty >= 0 && Number.isFinite(penalty))) {
    problems.push(`latenessPenaltyUsdPerSlot must be a finite number ≥ 0, got ${penalty}`);
  }
  const seen = new Set<string>();
  for (const g of groups) {
    const name = g.groupName;
    if (seen.has(name)) problems.push(`${name}: listed twice; expected each group once`);
    seen.add(name);
    const wholes: [string, number][] = [
      ['desiredCapacity', g.desiredCapacity],
      ['maxSize', g.maxSize],
    ];
    for (const [field, value] of wholes) {
      if (!Number.isInteger(value) || value < 0)
        problems.push(`${name}: ${field} must be a whole number ≥ 0, got ${value}`);
    }
    if (!(g.minHealthyPercentage >= 0 && g.minHealthyPercentage <= 100)) {
      problems.push(`${name}: minHealthyPercentage must be in 0–100, got ${g.minHealthyPercentage}`);
    }
    if (!(g.targetLoadPerInstance > 0) || !Number.isFinite(g.targetLoadPerInstance)) {
      problems.push(`${name}: targetLoadPerInstance must be > 0, got ${g.targetLoadPerInstance}`);
    }
    if (!(g.hourlyPriceUsd >= 0) || !Number.isFinite(g.hourlyPriceUsd)) {
      problems.push(`${name}: hourlyPriceUsd must be a finite number ≥ 0, got ${g.hourlyPriceUsd}`);
    }
    if (g.p90LoadBySlot.length !== slotCount) {
      problems.push(
        `${name}: p90LoadBySlot has ${g.p90LoadBySlot.length} value(s); expected one per slot (${slotCount})`,
      );
    } else if (!g.p90LoadBySlot.every((v) => v >= 0 && Number.isFinite(v))) {
      problems.push(`${name}: p90LoadBySlot must hold finite loads ≥ 0, got [${g.p90LoadBySlot.join(', ')}]`);
    }
  }
  if (problems.length > 0) throw new UpdateScenarioInputError(problems);
}

/** A linear expression, one term per line (LP readers limit line length; indented lines continue). */
function terms(label: string, coefficients: readonly (readonly [number, string])[]): string[] {
  return coefficients.map(([coefficient, variable], i) => {
    const term = `${lpNumber(coefficient)} ${variable}`;
    return i === 0 ? `${label} ${term}` : `  + ${term}`;
  });
}

function wrap(names: readonly string[]): string[] {
  const lines: string[] = [];
  for (let i = 0; i < names.length; i += 20) lines.push(` ${names.slice(i, i + 20).join(' ')}`);
  return lines;
}
