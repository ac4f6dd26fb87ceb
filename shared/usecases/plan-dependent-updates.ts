import { planUpdateScenarios, type UpdateScenarioRequest } from '../core/dependencies/plan-update-scenarios';
import { readUpdatePlan, type UpdatePlan } from '../core/dependencies/read-update-plan';
import { slotPeakLoads, type UpdateSlots } from '../core/dependencies/slot-peak-loads';
import type { UpdateCandidateGroup } from '../core/dependencies/slot-requirement';
import type { DependencyEdge } from '../core/dependencies/types';
import type { UpdateSeparation } from '../core/dependencies/update-conflicts';
import {
  type DependencyGraphProblem,
  validateDependencyGraph,
} from '../core/dependencies/validate-dependency-graph';
import type { DemandForecast } from '../core/forecast/types';
import type { MixSolver } from '../ports/mix-solver';

/** What {@link planDependentUpdates} needs. */
export interface PlanDependentUpdatesDeps {
  readonly solver: MixSolver;
}

/** A group to update, with its capacity, price and forecast. */
export interface DependentUpdateGroup extends Omit<UpdateCandidateGroup, 'p90LoadBySlot'> {
  /** Its demand forecast, propagated from its upstream groups (`propagateForecast`), covering the slots. */
  readonly forecast: DemandForecast;
}

/** The update to plan. */
export interface PlanDependentUpdatesInput extends UpdateSlots {
  readonly groups: readonly DependentUpdateGroup[];
  /** The dependency graph (declared and discovered edges, merged). */
  readonly edges: readonly DependencyEdge[];
  /**
   * Every enrolled group, to check edges against. @default the updating groups and every group an
   * edge names (then only self-edges, duplicates and cycles are caught)
   */
  readonly enrolledGroups?: readonly string[];
  readonly separation?: UpdateSeparation;
  readonly maxConcurrentUpdates?: number;
  readonly latenessPenaltyUsdPerSlot?: number;
  /** The load quantile a group must carry while it updates. @default 0.9 */
  readonly planningQuantile?: number;
  readonly timeLimitSeconds?: number;
}

/** The plan, or why the graph cannot be planned on, with what the planner saw. */
export interface PlanDependentUpdatesResult {
  readonly plan:
    | UpdatePlan
    | { readonly kind: 'invalid-graph'; readonly problems: readonly DependencyGraphProblem[] };
  readonly diagnostics: {
    /** Each updating group's planning-quantile peak per slot, in its load unit. */
    readonly peakLoadBySlot: Readonly<Record<string, readonly number[]>>;
    /** Upstream first; empty when the graph is invalid. */
    readonly topologicalOrder: readonly string[];
    /** The solver's status; absent when no solver ran (invalid graph, or infeasible before solving). */
    readonly solverStatus?: string;
    readonly solverDetail?: string;
    /** Binary slot variables in the model (SLO-feasible group-slot pairs). */
    readonly assignmentVariables: number;
  };
}

/**
 * Plans a rolling update or maintenance of several dependent groups: checks the dependency graph,
 * takes each group's planning-quantile peak per slot from its forecast, builds the scenario model
 * (`planUpdateScenarios`), solves it and reads the cheapest safe plan back with every rejected slot
 * explained (`readUpdatePlan`). No AWS: the caller supplies capacities, prices and forecasts.
 * @throws SolverUnavailableError when the solver cannot load or read the model.
 * @throws UpdateScenarioInputError when the input is malformed (see `planUpdateScenarios`).
 * @throws ProbabilityOutOfRangeError when a forecast's intervals cannot give the planning quantile.
 */
export async function planDependentUpdates(
  deps: PlanDependentUpdatesDeps,
  input: PlanDependentUpdatesInput,
): Promise<PlanDependentUpdatesResult> {
  const quantile = input.planningQuantile ?? 0.9;
  const peakLoadBySlot: Record<string, number[]> = {};
  for (const g of input.groups) peakLoadBySlot[g.groupName] = slotPeakLoads(g.forecast, input, quantile);

  const enrolled = input.enrolledGroups
    ? [...input.enrolledGroups, ...input.groups.map((g) => g.groupName)]
    : [...input.groups.map((g) => g.groupName), ...input.edges.flatMap((e) => [e.from, e.to])];
  const graph = validateDependencyGraph(enrolled, input.edges);
  if (graph.kind === 'invalid') {
    return {
      plan: { kind: 'invalid-graph', problems: graph.problems },
      diagnostics: { peakLoadBySlot, topologicalOrder: [], assignmentVariables: 0 },
    };
  }

  const request: UpdateScenarioRequest = {
    firstSlotStartMs: input.firstSlotStartMs,
    slotSeconds: input.slotSeconds,
    slotCount: input.slotCount,
    groups: input.groups.map(({ forecast: _forecast, ...g }) => ({
      ...g,
      p90LoadBySlot: peakLoadBySlot[g.groupName] ?? [],
    })),
    edges: input.edges,
    ...(input.separation ? { separation: input.separation } : {}),
    ...(input.maxConcurrentUpdates !== undefined ? { maxConcurrentUpdates: input.maxConcurrentUpdates } : {}),
    ...(input.latenessPenaltyUsdPerSlot !== undefined
      ? { latenessPenaltyUsdPerSlot: input.latenessPenaltyUsdPerSlot }
      : {}),
  };
  const built = planUpdateScenarios(request);
  if (built.kind === 'infeasible') {
    return {
      plan: built,
      diagnostics: { peakLoadBySlot, topologicalOrder: graph.order, assignmentVariables: 0 },
    };
  }
  const outcome = await deps.solver.solve(
    built.model.lp,
    input.timeLimitSeconds !== undefined ? { timeLimitSeconds: input.timeLimitSeconds } : {},
  );
  return {
    plan: readUpdatePlan(built.model, outcome),
    diagnostics: {
      peakLoadBySlot,
      topologicalOrder: graph.order,
      solverStatus: outcome.status,
      ...(outcome.detail ? { solverDetail: outcome.detail } : {}),
      assignmentVariables: built.model.cells.length,
    },
  };
}
