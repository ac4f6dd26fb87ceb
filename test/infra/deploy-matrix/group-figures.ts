import {
  type ExtractedMetric,
  metricsFromEmfEvent,
} from '../../../shared/simulation/world/embedded-metric-format';

/**
 * Runs `tick` with Powertools metrics on, as on Lambda (the simulation turns them off), and
 * returns what CloudWatch would extract from the embedded-metric-format documents it printed:
 * the per-group figures `groupMetrics: 'metrics'` emits (each a single metric made during the
 * run, which reads the setting then; the handlers' own metrics were built off and stay off).
 * Other output goes through.
 */
export async function emittedDuring<T>(
  tick: () => Promise<T>,
): Promise<{ readonly result: T; readonly metrics: ExtractedMetric[] }> {
  const metrics: ExtractedMetric[] = [];
  const write = process.stdout.write;
  const saved = process.env.POWERTOOLS_METRICS_DISABLED;
  process.env.POWERTOOLS_METRICS_DISABLED = 'false';
  process.stdout.write = ((chunk: unknown, ...rest: unknown[]) => {
    const lines = String(chunk).split('\n').filter(Boolean);
    const documents = lines.filter((line) => line.startsWith('{') && line.includes('"_aws"'));
    for (const document of documents)
      metrics.push(...metricsFromEmfEvent(JSON.parse(document) as Record<string, unknown>));
    if (documents.length === lines.length) return true;
    return (write as (...args: unknown[]) => boolean).call(process.stdout, chunk, ...rest);
  }) as typeof process.stdout.write;
  try {
    return { result: await tick(), metrics };
  } finally {
    process.stdout.write = write;
    process.env.POWERTOOLS_METRICS_DISABLED = saved;
  }
}

/** One group's figures as CloudWatch metrics: their names, dimensions and how many runs emitted them. */
export interface GroupFigures {
  /** Each figure as `<namespace> <metric name> [<dimension names>]`, distinct, sorted. */
  readonly metrics: readonly string[];
  /** Runs that emitted its planned capacity (one `PlannedCapacity` value each). */
  readonly runs: number;
  /** The `deployment` dimension's values, distinct. */
  readonly deployments: readonly string[];
}

/** The figures in `metrics` for each group (their `GroupName` dimension). */
export function figuresByGroup(metrics: readonly ExtractedMetric[]): Record<string, GroupFigures> {
  const out: Record<string, { metrics: Set<string>; runs: number; deployments: Set<string> }> = {};
  for (const m of metrics) {
    const group = m.dimensions.GroupName;
    if (group === undefined) continue;
    const figures = out[group] ?? { metrics: new Set<string>(), runs: 0, deployments: new Set<string>() };
    out[group] = figures;
    figures.metrics.add(`${m.namespace} ${m.metricName} [${Object.keys(m.dimensions).sort().join(', ')}]`);
    if (m.metricName === 'PlannedCapacity') figures.runs += m.values.length;
    if (m.dimensions.deployment !== undefined) figures.deployments.add(m.dimensions.deployment);
  }
  return Object.fromEntries(
    Object.entries(out).map(([group, f]) => [
      group,
      { metrics: [...f.metrics].sort(), runs: f.runs, deployments: [...f.deployments] },
    ]),
  );
}
