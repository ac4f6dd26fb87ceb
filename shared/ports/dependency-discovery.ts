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
}

/** A source of who-calls-whom between groups (X-Ray's service graph). */
export interface DependencyDiscovery {
  /**
   * The call graph between groups over [startMs, endMs) (epoch ms).
   * @throws TransientDependencyError when the source may answer later (throttling, 5xx).
   * @throws RejectedRequestError when the source refuses the request (permissions, a bad window).
   */
  discoverDependencies(window: {
    readonly startMs: number;
    readonly endMs: number;
  }): Promise<DependencyDiscoveryResult>;
}
