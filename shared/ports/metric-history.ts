import type { LoadObservation } from '../core/forecast/types';

/** Which metric carries a group's load (the config's `metric` block, in domain terms). */
export type LoadMetricSpec =
  | { readonly kind: 'cpu' }
  | {
      readonly kind: 'alb-requests';
      readonly targetGroupFullName: string;
      readonly loadBalancerFullName: string;
    }
  | {
      readonly kind: 'custom';
      readonly namespace: string;
      readonly metricName: string;
      readonly dimensions: Readonly<Record<string, string>>;
      readonly stat: string;
    }
  | { readonly kind: 'expression'; readonly expression: string };

/** One group's history request. */
export interface HistoryQuery {
  readonly groupName: string;
  readonly metric: LoadMetricSpec;
  /** The window is [startMs, endMs): every source returns the steps starting in it, none at endMs. */
  readonly startMs: number;
  readonly endMs: number;
  readonly stepSeconds: number;
}

/** A source of load history (CloudWatch or Timestream), batched across groups. */
export interface MetricHistory {
  /**
   * Load observations per group name, in the group's capacity unit. A group with no data maps to
   * an empty array; missing datapoints are simply absent (the forecaster fills gaps).
   */
  loadHistory(queries: readonly HistoryQuery[]): Promise<Map<string, LoadObservation[]>>;
}
