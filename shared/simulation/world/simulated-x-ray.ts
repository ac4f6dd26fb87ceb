import { SimulatedAwsError, UnsupportedCommandError } from './simulated-aws-error';

// biome-ignore lint/suspicious/noExplicitAny: SDK command inputs, validated against the model before they arrive.
type Input = Record<string, any>;

/** How the simulated X-Ray sees the world: requests a group served over a window. */
export interface XRayWorldView {
  nowMs(): number;
  /** Requests the group's load balancer counted in [startMs, endMs). */
  requestsServed(groupName: string, startMs: number, endMs: number): number;
}

interface TracedService {
  readonly referenceId: number;
  readonly name: string;
  readonly groupName: string;
}

/** X-Ray keeps 30 days of traces; GetServiceGraph spans at most 6 hours. */
const RETENTION_MS = 30 * 86_400_000;
const MAX_WINDOW_MS = 6 * 3_600_000;
const at = (ms: number) => new Date(ms);

/**
 * X-Ray's `GetServiceGraph` over the simulated dependency edges: each traced service runs on a
 * group (`addService`), each call edge (`addCall`) carries, over the window, the requests its
 * callee served (split evenly among the callee's callers); a client node calls every service
 * nobody calls. The shape follows the X-Ray API reference (Services with ReferenceId, Names,
 * Type, Edges with SummaryStatistics).
 */
export class SimulatedXRay {
  private readonly services = new Map<string, TracedService>();
  private readonly calls: { readonly from: string; readonly to: string }[] = [];

  constructor(private readonly view: XRayWorldView) {}

  /** A traced service named `name` (its X-Ray node) running on `groupName`. */
  addService(name: string, groupName: string): void {
    if (this.services.has(name)) throw new RangeError(`X-Ray service ${name} exists already`);
    this.services.set(name, { referenceId: this.services.size + 1, name, groupName });
  }

  /** `from` calls `to` (both added with `addService`). */
  addCall(from: string, to: string): void {
    for (const name of [from, to])
      if (!this.services.has(name)) throw new RangeError(`X-Ray service ${name} was not added`);
    this.calls.push({ from, to });
  }

  /** Answers one X-Ray command. @throws SimulatedAwsError `InvalidRequestException` as X-Ray does. */
  answer(commandName: string, i: Input): unknown {
    if (commandName !== 'GetServiceGraphCommand') throw new UnsupportedCommandError('xray', commandName);
    const startMs = new Date(i.StartTime).getTime();
    const endMs = new Date(i.EndTime).getTime();
    if (!(endMs > startMs) || endMs - startMs > MAX_WINDOW_MS)
      throw new SimulatedAwsError(
        'InvalidRequestException',
        'The time range must be positive and at most 6 hours (StartTime, EndTime).',
      );
    if (startMs < this.view.nowMs() - RETENTION_MS)
      throw new SimulatedAwsError('InvalidRequestException', 'StartTime is older than 30 days.');
    return this.serviceGraph(startMs, endMs);
  }

  /** GetServiceGraph's answer for a valid window: a client node, then each service and its calls. */
  private serviceGraph(startMs: number, endMs: number): unknown {
    const served = new Map(
      [...this.services.values()].map((s) => [s.name, this.view.requestsServed(s.groupName, startMs, endMs)]),
    );
    const callers = (to: string) => this.calls.filter((c) => c.to === to).length;
    const edge = (referenceId: number, count: number) => ({
      ReferenceId: referenceId,
      StartTime: at(startMs),
      EndTime: at(endMs),
      SummaryStatistics: summaryStatistics(count),
      ResponseTimeHistogram: [{ Value: 0.012, Count: count }],
      Aliases: [],
    });
    const roots = [...this.services.values()].filter((s) => callers(s.name) === 0);
    const client = {
      ReferenceId: 0,
      Names: [],
      Root: false,
      Type: 'client',
      State: 'unknown',
      StartTime: at(startMs),
      EndTime: at(endMs),
      Edges: roots.map((s) => edge(s.referenceId, Math.round(served.get(s.name) ?? 0))),
    };
    const services = [...this.services.values()].map((s) => {
      const count = Math.round(served.get(s.name) ?? 0);
      return {
        ReferenceId: s.referenceId,
        Name: s.name,
        Names: [s.name],
        Root: callers(s.name) === 0,
        Type: 'AWS::EC2::Instance',
        State: 'active',
        StartTime: at(startMs),
        EndTime: at(endMs),
        Edges: this.calls
          .filter((c) => c.from === s.name)
          .map((c) => {
            const callee = this.services.get(c.to) as TracedService;
            return edge(callee.referenceId, Math.round((served.get(c.to) ?? 0) / callers(c.to)));
          }),
        SummaryStatistics: summaryStatistics(count),
        DurationHistogram: [{ Value: 0.012, Count: count }],
        ResponseTimeHistogram: [{ Value: 0.012, Count: count }],
      };
    });
    return {
      StartTime: at(startMs),
      EndTime: at(endMs),
      Services: [client, ...services],
      ContainsOldGroupVersions: false,
    };
  }
}

/** A node's or edge's statistics when every one of `count` requests succeeded in 12 ms. */
function summaryStatistics(count: number) {
  return {
    OkCount: count,
    ErrorStatistics: { ThrottleCount: 0, OtherCount: 0, TotalCount: 0 },
    FaultStatistics: { OtherCount: 0, TotalCount: 0 },
    TotalCount: count,
    TotalResponseTime: count * 0.012,
  };
}
