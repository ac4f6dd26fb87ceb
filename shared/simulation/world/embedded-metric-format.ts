import type { MetricId } from './metric-store';

/** The datapoints one metric gets from one log event. */
export interface ExtractedMetric extends MetricId {
  readonly timestampMs: number;
  readonly values: readonly number[];
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

function fail(field: string, expected: string): never {
  throw new TypeError(`not an embedded-metric-format document: ${field} must be ${expected}`);
}

function targetValues(document: Record<string, unknown>, name: string): number[] {
  const value = document[name];
  if (typeof value === 'number') return [value];
  if (Array.isArray(value) && value.length > 0 && value.every((v) => typeof v === 'number')) return value;
  return fail(name, 'a number or an array of numbers (the metric’s target member)');
}

function dimensionValues(document: Record<string, unknown>, keys: unknown): Record<string, string> {
  if (!Array.isArray(keys)) return fail('Dimensions[]', 'an array of dimension keys');
  return Object.fromEntries(
    keys.map((key) => {
      const value = typeof key === 'string' ? document[key] : undefined;
      if (typeof value !== 'string') return fail(String(key), 'a string (a dimension’s target member)');
      return [key, value];
    }),
  );
}

/**
 * The metrics CloudWatch Logs extracts from one log event in the embedded metric format, per
 * its specification: the root "MUST contain" `_aws` with `CloudWatchMetrics` (an array of metric
 * directives, each with `Namespace`, `Dimensions` and `Metrics`) and `Timestamp` (epoch
 * milliseconds), and "MUST contain all target members" the directives reference. Each
 * directive's `Namespace`, each dimension set (one metric per set, its values read from the root)
 * and each metric definition's `Name` give one metric. A document that breaks these yields no
 * metric on AWS; here it throws, naming the field, so a test cannot pass on metrics that would
 * never exist.
 */
export function metricsFromEmfEvent(document: Record<string, unknown>): ExtractedMetric[] {
  const aws = document._aws;
  if (!isObject(aws)) return fail('_aws', 'an object');
  if (typeof aws.Timestamp !== 'number') return fail('_aws.Timestamp', 'a number (epoch ms)');
  if (!Array.isArray(aws.CloudWatchMetrics)) return fail('_aws.CloudWatchMetrics', 'an array');
  const timestampMs = aws.Timestamp;
  return aws.CloudWatchMetrics.flatMap((directive: unknown) => {
    if (!isObject(directive)) return fail('CloudWatchMetrics[]', 'a metric directive object');
    const { Namespace: namespace, Dimensions: sets, Metrics: metrics } = directive;
    if (typeof namespace !== 'string' || namespace === '') return fail('Namespace', 'a non-empty string');
    if (!Array.isArray(metrics)) return fail('Metrics', 'an array of metric definitions');
    if (!Array.isArray(sets)) return fail('Dimensions', 'an array of dimension sets');
    return metrics.flatMap((definition: unknown) => {
      const metricName = isObject(definition) ? definition.Name : undefined;
      if (typeof metricName !== 'string') return fail('Metrics[].Name', 'a string');
      const values = targetValues(document, metricName);
      return sets.map((keys: unknown) => ({
        namespace,
        metricName,
        dimensions: dimensionValues(document, keys),
        timestampMs,
        values,
      }));
    });
  });
}
