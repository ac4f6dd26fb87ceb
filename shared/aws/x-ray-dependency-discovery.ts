import {
  GetServiceGraphCommand,
  type GetServiceGraphCommandOutput,
  type XRayClient,
} from '@aws-sdk/client-xray';
import {
  type DependencyDiscovery,
  type DependencyDiscoveryResult,
  type DiscoveredDependency,
  DiscoveryDeadlineError,
} from '../ports/dependency-discovery';
import { translateAwsError } from './translate-aws-error';

/** Options of {@link XRayDependencyDiscovery}. */
export interface XRayDependencyDiscoveryOptions {
  /** X-Ray service name → Auto Scaling group name. Services not listed are ignored. */
  readonly serviceToGroup: Readonly<Record<string, string>>;
  /** Restrict the graph to an X-Ray group (its filter expression). @default the whole account's graph */
  readonly xrayGroupName?: string;
}

type XRayService = NonNullable<GetServiceGraphCommandOutput['Services']>[number];

/**
 * The longest window one GetServiceGraph call is asked for; a longer lookback is read in such
 * windows and their request counts summed. X-Ray's service map spans at most 6 hours and the
 * simulated X-Ray refuses more; the API reference states no limit, so asking less loses nothing.
 */
export const SERVICE_GRAPH_WINDOW_MS = 6 * 3_600_000;

/**
 * `DependencyDiscovery` on X-Ray `GetServiceGraph`, in windows of at most
 * {@link SERVICE_GRAPH_WINDOW_MS}: pages each to the end, then turns each service's
 * outgoing edges (the services it calls, by ReferenceId, possibly listed on another page) into
 * group-to-group edges through `serviceToGroup`, weighted by `SummaryStatistics.TotalCount`.
 * A service matches by its `Name` or any of its `Names`. Several services of one group are summed;
 * calls inside one group and services outside the mapping are left out (the latter are reported).
 * API: https://docs.aws.amazon.com/xray/latest/api/API_GetServiceGraph.html
 */
export class XRayDependencyDiscovery implements DependencyDiscovery {
  constructor(
    private readonly client: XRayClient,
    private readonly options: XRayDependencyDiscoveryOptions,
  ) {}

  async discoverDependencies(
    window: { readonly startMs: number; readonly endMs: number },
    options: { readonly signal?: AbortSignal } = {},
  ): Promise<DependencyDiscoveryResult> {
    const counts = new Map<string, DiscoveredDependency>();
    const unmapped = new Set<string>();
    let windowsWithOldGroupVersions = 0;
    const windowsTotal = Math.max(0, Math.ceil((window.endMs - window.startMs) / SERVICE_GRAPH_WINDOW_MS));
    let windowsRead = 0;
    // Newest window first; each graph's ReferenceIds are its own, so edges are resolved per window.
    for (let endMs = window.endMs; endMs > window.startMs; endMs -= SERVICE_GRAPH_WINDOW_MS) {
      const startMs = Math.max(window.startMs, endMs - SERVICE_GRAPH_WINDOW_MS);
      const deadline = () => new DiscoveryDeadlineError(windowsRead, windowsTotal);
      const graph = await this.serviceGraph(startMs, endMs, options.signal, deadline);
      if (graph.containsOldGroupVersions) windowsWithOldGroupVersions++;
      this.countEdges(graph.services, counts, unmapped);
      windowsRead++;
    }
    const edges = [...counts.values()].sort((a, b) => compare(a.from, b.from) || compare(a.to, b.to));
    return {
      edges,
      unmappedServices: [...unmapped].sort(compare),
      ...(windowsWithOldGroupVersions > 0 ? { windowsWithOldGroupVersions } : {}),
    };
  }

  /**
   * One window's service graph, paged to the end, by ReferenceId, and whether any page said it may
   * show traces from an older version of the X-Ray group's filter (`ContainsOldGroupVersions`).
   */
  private async serviceGraph(
    startMs: number,
    endMs: number,
    signal: AbortSignal | undefined,
    deadline: () => DiscoveryDeadlineError,
  ): Promise<{ services: Map<number, XRayService>; containsOldGroupVersions: boolean }> {
    const services = new Map<number, XRayService>();
    let containsOldGroupVersions = false;
    let NextToken: string | undefined;
    do {
      if (signal?.aborted) throw deadline();
      let out: GetServiceGraphCommandOutput;
      try {
        out = await this.client.send(
          new GetServiceGraphCommand({
            StartTime: new Date(startMs),
            EndTime: new Date(endMs),
            ...(this.options.xrayGroupName ? { GroupName: this.options.xrayGroupName } : {}),
            ...(NextToken ? { NextToken } : {}),
          }),
          signal ? { abortSignal: signal } : {},
        );
      } catch (error) {
        // The SDK abandons the call under way once the signal aborts (its AbortError).
        if (signal?.aborted) throw deadline();
        // X-Ray's throttling error is ThrottledException (HTTP 429), which the shared translation
        // lists: a refused TransientDependencyError. https://docs.aws.amazon.com/xray/latest/api/API_GetServiceGraph.html#API_GetServiceGraph_Errors
        throw translateAwsError(error, 'X-Ray', 'GetServiceGraph');
      }
      for (const service of out.Services ?? []) {
        if (service.ReferenceId !== undefined) services.set(service.ReferenceId, service);
      }
      if (out.ContainsOldGroupVersions === true) containsOldGroupVersions = true;
      NextToken = out.NextToken;
    } while (NextToken);
    return { services, containsOldGroupVersions };
  }

  /** Adds one graph's group-to-group calls to `counts`, and its services outside the mapping to `unmapped`. */
  private countEdges(
    services: ReadonlyMap<number, XRayService>,
    counts: Map<string, DiscoveredDependency>,
    unmapped: Set<string>,
  ): void {
    const groupOf = (service: XRayService | undefined): string | undefined => {
      if (!service) return undefined;
      for (const name of [service.Name, ...(service.Names ?? [])]) {
        const group = name !== undefined ? this.options.serviceToGroup[name] : undefined;
        if (group !== undefined) return group;
      }
      return undefined;
    };
    for (const service of services.values()) {
      const from = groupOf(service);
      if (from === undefined && service.Name) unmapped.add(service.Name);
      if (from === undefined) continue;
      for (const edge of service.Edges ?? []) {
        const to = groupOf(edge.ReferenceId !== undefined ? services.get(edge.ReferenceId) : undefined);
        if (to === undefined || to === from) continue;
        const key = `${from}\u0000${to}`;
        const requestCount = (counts.get(key)?.requestCount ?? 0) + (edge.SummaryStatistics?.TotalCount ?? 0);
        counts.set(key, { from, to, requestCount });
      }
    }
  }
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
