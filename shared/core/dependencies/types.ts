/**
 * Shared shapes of dependency-aware scaling and updates. Groups are Auto Scaling group names;
 * load is in each group's own load unit; times are epoch milliseconds (UTC).
 */

/**
 * One dependency between two enrolled groups: `from` (upstream, the caller, e.g. the web tier)
 * sends requests to `to` (downstream, the callee, e.g. the API tier), so `to`'s load follows
 * `from`'s load.
 */
export interface DependencyEdge {
  readonly from: string;
  readonly to: string;
  /**
   * Downstream load per unit of upstream load (≥ 0), when the user declares it; otherwise it is
   * learned from history with `learnLoadRatio`.
   */
  readonly loadRatio?: number;
  /** Requests seen on this edge over the discovery window, for edges discovered from traces. */
  readonly requestCount?: number;
}
