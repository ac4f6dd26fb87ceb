import type { DependencyEdge } from '../core/dependencies/types';

/** A dependency between two enrolled groups seen in traces, weighted by its request volume. */
export interface DiscoveredDependency extends DependencyEdge {
  /** Requests from `from` to `to` over the window (summed over every service of each group). */
  readonly requestCount: number;
}

/** What a discovery found, and what it could not place. */
export interface DependencyDiscoveryResult {
  /** Edges between two different enrolled groups, sorted by `from`, then `to`. */
  readonly edges: readonly DiscoveredDependency[];
  /** Traced service names with no group in the mapping (clients, databases, AWS services, …), sorted. */
  readonly unmappedServices: readonly string[];
  /**
   * How many of the windows read may show traces from an older version of the X-Ray group's filter
   * expression (the filter changed within them), so their edges may hold calls the current filter
   * leaves out. @default 0
   */
  readonly windowsWithOldGroupVersions?: number;
}

/** A discovery stopped at its deadline (`signal` aborted) before it read the whole window. */
export class DiscoveryDeadlineError extends Error {
  override readonly name = 'DiscoveryDeadlineError' as const;
  constructor(
    /** Service graph windows read whole before the deadline. */
    readonly windowsRead: number,
    /** Windows the lookback spans. */
    readonly windowsTotal: number,
    options?: { cause?: unknown },
  ) {
    super(
      `deadline reached after ${windowsRead} of ${windowsTotal} service graph window(s); expected every window read within the discovery's share of the run (a shorter dependencies.xray.lookbackHours reads fewer)`,
      options,
    );
  }
}

/** A source of who-calls-whom between groups (X-Ray's service graph). */
export interface DependencyDiscovery {
  /**
   * The call graph between groups over [startMs, endMs) (epoch ms). `options.signal` is its
   * deadline: once aborted, no further request starts and the one under way is abandoned.
   * @throws TransientDependencyError when the source may answer later (throttling, 5xx).
   * @throws RejectedRequestError when the source refuses the request (permissions, a bad window).
   * @throws DiscoveryDeadlineError when `options.signal` aborts before the whole window is read.
   */
  discoverDependencies(
    window: { readonly startMs: number; readonly endMs: number },
    options?: { readonly signal?: AbortSignal },
  ): Promise<DependencyDiscoveryResult>;
}

/** One discovery as the scaling loop keeps it for the functions that do not discover (updates). */
export interface StoredDependencyDiscovery {
  /** When the discovery was made (epoch ms): the end of the window it read. */
  readonly discoveredAtMs: number;
  /** What it found, as `DependencyDiscovery` returned it (before any merge with declared edges). */
  readonly edges: readonly DiscoveredDependency[];
}

/**
 * Most bytes of a stored discovery's `edges` as JSON: DynamoDB holds the discovery in one item of
 * at most 400 KB (its attribute names, values and the key), and JSON is never smaller than that
 * encoding. ~7,000 edges between 40-character names; ~1,100 between 255-character ones.
 */
export const STORED_DISCOVERY_EDGES_MAX_BYTES = 300 * 1024;

/**
 * Where the newest discovery is shared between functions (one item of the state table in AWS):
 * the scaling loop discovers, the update paths read what it found.
 */
export interface DiscoveredDependencyStore {
  /**
   * Replaces the stored discovery; the store may delete it once `expiresAtMs` (epoch ms) has passed.
   * Its edges must fit in `STORED_DISCOVERY_EDGES_MAX_BYTES` as JSON (a larger item may be refused).
   * @throws TransientDependencyError when the store may accept it later.
   */
  putDiscovery(discovery: StoredDependencyDiscovery, expiresAtMs: number): Promise<void>;
  /**
   * The stored discovery, or undefined when there is none or what is stored is not one. It may be
   * a few seconds behind the newest put (the readers accept a discovery up to hours old).
   * @throws TransientDependencyError when the store may answer later.
   */
  getDiscovery(): Promise<StoredDependencyDiscovery | undefined>;
}
