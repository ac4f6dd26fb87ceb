import { accessDeniedCode } from '../aws-checks/request-permissions';
import type { SeededRandom } from '../seeded-random';
import { SimulatedAwsError } from '../world/simulated-aws-error';
import type { WorldAnswer, WorldFaultHook } from '../world/simulated-world';

/** Which faults the transport injects. Shares are probabilities (0–1), drawn from a seeded generator. */
export interface TransportFaults {
  /** Share of commands that fail with `ThrottlingException` before reaching the world. @default 0 */
  readonly throttleShare?: number;
  /** Share of GetMetricData datapoints removed from the answer (gaps). @default 0 */
  readonly metricGapShare?: number;
  /** Share of GetMetricData datapoints whose value becomes NaN. @default 0 */
  readonly metricNaNShare?: number;
}

/** What the injector did, to show that a fault happened and how often. */
export interface FaultCounters {
  throttlesInjected: number;
  metricPointsDropped: number;
  metricPointsNaN: number;
  hangs: number;
  /** Non-retryable failures injected with `failMatching`. */
  failuresInjected: number;
  /** Calls that reached the world, by `service:Command`. */
  readonly answered: Map<string, number>;
  /** UpdateAutoScalingGroup calls that reached the world, by `group@marker` (see `marker`). */
  readonly updatesByGroupAndMarker: Map<string, number>;
}

interface MetricDataResult {
  Timestamps?: Date[];
  Values?: number[];
}

/**
 * What a service answers a call IAM denies, for `failMatching`'s `asDenied`. The action is named
 * with the service's key as its prefix (`autoscaling:RollbackInstanceRefresh`), IAM's own for the
 * services the rolling update calls.
 */
function deniedError(service: string, commandName: string): SimulatedAwsError {
  const action = `${service}:${commandName.replace(/Command$/, '')}`;
  return new SimulatedAwsError(
    accessDeniedCode(service, action),
    `User: arn:aws:sts::000000000000:assumed-role/injected/denied is not authorized to perform: ${action} with an explicit deny in a service control policy (injected failure)`,
    403,
  );
}

/**
 * Sits between the SDK transport and the simulated world (`WorldSettings.faults`): throttles a
 * seeded share of commands, punches gaps and NaN into GetMetricData results, and can make one
 * chosen command never answer (a Lambda frozen past its timeout). Counts everything it injects.
 */
export class FaultInjector implements WorldFaultHook {
  readonly counters: FaultCounters = {
    throttlesInjected: 0,
    metricPointsDropped: 0,
    metricPointsNaN: 0,
    hangs: 0,
    failuresInjected: 0,
    answered: new Map(),
    updatesByGroupAndMarker: new Map(),
  };
  /** A label the driver sets (e.g. the tick's time) to attribute updates to a delivery. */
  marker = '';
  private readonly hung: ((error: Error) => void)[] = [];
  private failure: { matches: (service: string, command: string) => boolean; asDenied: boolean } | undefined;
  private hang:
    | { matches: (service: string, command: string, input: unknown) => boolean; fire: () => void }
    | undefined;

  constructor(
    private readonly faults: TransportFaults,
    private readonly random: SeededRandom,
  ) {}

  /**
   * Makes the first later command matching `matches` never answer; the returned promise resolves
   * when that happens (use it as the worker's deadline).
   */
  hangOn(matches: (service: string, command: string, input: unknown) => boolean): Promise<void> {
    return new Promise<void>((resolve) => {
      this.hang = { matches, fire: resolve };
    });
  }

  /**
   * Lets every frozen command fail (after the run is checked), so the abandoned invocation ends
   * and its timers (middy's early-timeout timer) are cleared.
   */
  releaseHangs(): void {
    for (const reject of this.hung.splice(0))
      reject(new SimulatedAwsError('SandboxKilled', 'the frozen invocation was discarded'));
  }

  /**
   * Makes every later command matching `matches` fail with a non-retryable
   * `AccessDeniedException` (the SDK does not retry it), until `stopFailing`. With `asDenied`, the
   * failure is the service's own answer to a call IAM (or an SCP) denies: its code
   * (`accessDeniedCode`: Auto Scaling's `AccessDenied`, EC2's `UnauthorizedOperation`), HTTP 403
   * and IAM's wording, so a caller tells it from a transient failure as it would on AWS.
   */
  failMatching(
    matches: (service: string, command: string) => boolean,
    options: { readonly asDenied?: boolean } = {},
  ): void {
    this.failure = { matches, asDenied: options.asDenied ?? false };
  }

  /** Ends `failMatching`. */
  stopFailing(): void {
    this.failure = undefined;
  }

  async answer(service: string, commandName: string, input: unknown, next: WorldAnswer): Promise<unknown> {
    if (this.failure?.matches(service, commandName)) {
      this.counters.failuresInjected += 1;
      if (this.failure.asDenied) throw deniedError(service, commandName);
      throw new SimulatedAwsError('AccessDeniedException', `injected failure of ${commandName}`);
    }
    if (this.hang?.matches(service, commandName, input)) {
      const { fire } = this.hang;
      this.hang = undefined;
      this.counters.hangs += 1;
      fire();
      return new Promise<never>((_resolve, reject) => this.hung.push(reject));
    }
    if (this.random.next() < (this.faults.throttleShare ?? 0)) {
      this.counters.throttlesInjected += 1;
      throw new SimulatedAwsError('ThrottlingException', 'Rate exceeded');
    }
    const key = `${service}:${commandName}`;
    this.counters.answered.set(key, (this.counters.answered.get(key) ?? 0) + 1);
    const out = await next(service, commandName, input);
    if (key === 'autoscaling:UpdateAutoScalingGroupCommand') {
      const group = (input as { AutoScalingGroupName?: string }).AutoScalingGroupName ?? '';
      const k = `${group}@${this.marker}`;
      this.counters.updatesByGroupAndMarker.set(k, (this.counters.updatesByGroupAndMarker.get(k) ?? 0) + 1);
    }
    if (key === 'cloudwatch:GetMetricDataCommand') return this.degradeMetrics(out);
    return out;
  }

  private degradeMetrics(out: unknown): unknown {
    const gap = this.faults.metricGapShare ?? 0;
    const nan = this.faults.metricNaNShare ?? 0;
    if (gap <= 0 && nan <= 0) return out;
    const results = (out as { MetricDataResults?: MetricDataResult[] }).MetricDataResults ?? [];
    return {
      ...(out as object),
      MetricDataResults: results.map((r) => {
        const timestamps: Date[] = [];
        const values: number[] = [];
        (r.Values ?? []).forEach((v, i) => {
          if (this.random.next() < gap) {
            this.counters.metricPointsDropped += 1;
            return;
          }
          const nanNow = this.random.next() < nan;
          if (nanNow) this.counters.metricPointsNaN += 1;
          timestamps.push((r.Timestamps ?? [])[i] as Date);
          values.push(nanNow ? Number.NaN : v);
        });
        return { ...r, Timestamps: timestamps, Values: values };
      }),
    };
  }
}
