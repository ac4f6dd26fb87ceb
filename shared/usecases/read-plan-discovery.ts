import type { PlanDiscovery } from '../contracts/plan-discovery';
import type { UserConfig } from '../contracts/user-config';
import { jsonBytes } from '../core/update-plan/within-bytes';
import type { DiscoveredDependencyStore, StoredDependencyDiscovery } from '../ports/dependency-discovery';
import { mergeDiscoveredEdges } from './merge-discovered-edges';
import { requestedGroupNames } from './requested-group-names';

/** What the read needs: the discovery the scaling loop stored. */
export interface ReadPlanDiscoveryDeps {
  readonly discoveredDependencies: Pick<DiscoveredDependencyStore, 'getDiscovery'>;
}

/**
 * Most bytes of JSON the read may hold, its share of the 256 KiB of "Compute plan"'s input (see
 * `PLAN_CALENDAR_MAX_BYTES`). A plan names at most ten groups, so at most 90 edges join two of
 * them (a discovery holds one edge per ordered pair of different groups): ~50 KB between
 * 255-character names.
 */
export const PLAN_DISCOVERY_MAX_BYTES = 64 * 1024;

/** The discovery the plan's groups have is too large to hand to the planner through Step Functions. */
export class PlanDiscoveryTooLargeError extends Error {
  override readonly name = 'PlanDiscoveryTooLargeError' as const;
  constructor(
    readonly bytes: number,
    readonly edgeCount: number,
  ) {
    super(
      `the stored X-Ray discovery holds ${edgeCount} edge(s) between the plan's groups, ${bytes} bytes as JSON; expected at most ${PLAN_DISCOVERY_MAX_BYTES} bytes (one edge per ordered pair of at most ten groups): the stored item is not what the scaling loop writes`,
    );
  }
}

/**
 * Reads the stored X-Ray discovery for "Compute plan" (`discoveryReadForPlan` answers its
 * `getDiscovery` from this read): only its edges between two groups the plan request names, since
 * those are the only ones the planner separates groups by (`updateConflicts`, 'direct'), while the
 * whole account's graph (thousands of edges) would pass Step Functions' 256 KiB. An edge the whole
 * graph's merge leaves out for closing a cycle (`mergeDiscoveredEdges`, in the stored order) is
 * left out here too, so the planner keeps the same edges between its groups as it would on the
 * whole graph: a cycle through groups outside the plan is not visible to it. `{}` when none is
 * stored. The planner still checks its age and merges it with the declared edges.
 * @throws PlanDiscoveryTooLargeError past `PLAN_DISCOVERY_MAX_BYTES`.
 * @throws TransientDependencyError when the state table may answer later.
 */
export async function readPlanDiscovery(
  deps: ReadPlanDiscoveryDeps,
  config: UserConfig,
  event: { readonly request: unknown },
): Promise<PlanDiscovery> {
  const stored = await deps.discoveredDependencies.getDiscovery();
  if (!stored) return {};
  const names = new Set(requestedGroupNames(event.request));
  const key = (e: { from: string; to: string }) => `${e.from}\u0000${e.to}`;
  const closing = new Set(
    mergeDiscoveredEdges(
      config.dependencies.edges,
      stored.edges,
      config.dependencies.xray?.minRequestCount ?? 1,
    ).closingCycles.map(key),
  );
  const edges = stored.edges
    .filter((e) => names.has(e.from) && names.has(e.to) && !closing.has(key(e)))
    .map(({ from, to, requestCount }) => ({ from, to, requestCount }));
  const read = { discoveredAtMs: stored.discoveredAtMs, edges };
  const bytes = jsonBytes(read);
  if (bytes > PLAN_DISCOVERY_MAX_BYTES) throw new PlanDiscoveryTooLargeError(bytes, edges.length);
  return read;
}

/** "Read discovered dependencies"' output as the planner's store: none when it found none. */
export function discoveryReadForPlan(
  read: PlanDiscovery | undefined,
): Pick<DiscoveredDependencyStore, 'getDiscovery'> {
  const discovery: StoredDependencyDiscovery | undefined =
    read && 'discoveredAtMs' in read ? { discoveredAtMs: read.discoveredAtMs, edges: read.edges } : undefined;
  return { getDiscovery: async () => discovery };
}
