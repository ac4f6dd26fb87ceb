import type { UserConfigInput } from '../../contracts/user-config';
import { groupMetrics } from '../world/group-metric-ids';
import type { SimulatedWorld } from '../world/simulated-world';

/**
 * Where Prescale reads a simulated group's load history, one choice per source and metric kind a
 * user can configure, each over a metric the simulated world publishes for every group:
 * - `cloudwatch-cpu`: the `cpu` kind (average CPUUtilization × (GroupInServiceInstances +
 *   GroupTerminatingInstances)), the default;
 * - `cloudwatch-alb`: the `alb-requests` kind on the group's load balancer and target group
 *   (RequestCount Sum), in requests per forecast step;
 * - `cloudwatch-custom`: the `custom` kind on the offered-load metric (`Prescale/Simulation`
 *   `OfferedLoad` of the group, stat `Average`), in percent-of-one-instance units like `cpu`;
 * - `cloudwatch-expression`: the `expression` kind, `CPU_LOAD_EXPRESSION` (the `cpu` kind's
 *   product written as one standalone metric-math expression, as a user configures it), with
 *   `saturatedLoadPerInstance: 100` as docs/configuration.md tells a user of a CPU expression to;
 * - `timestream`: `historySource: 'timestream'`, a table whose measure mirrors that offered load,
 *   configured as docs/configuration.md tells a user of such a measure to: the default `cpu` kind
 *   with `saturatedLoadPerInstance: 'none'` (the measure does not stop at 100 % per instance);
 * - `timestream-multi`: the same in a BIGINT column of multi-measure records (`timestream.measureColumn`),
 *   the layout AWS recommends.
 */
export const PRESCALE_HISTORY_SOURCES = [
  'cloudwatch-cpu',
  'cloudwatch-alb',
  'cloudwatch-custom',
  'cloudwatch-expression',
  'timestream',
  'timestream-multi',
] as const;

/** One SEARCH of a group's metric by exact match, summed into one series. */
const groupAverage = (namespace: string, metricName: string): string =>
  `SUM(SEARCH('{${namespace},AutoScalingGroupName} MetricName="${metricName}" AutoScalingGroupName="\${group}"', 'Average'))`;

/**
 * The group's load in percent of one instance as a user writes it for the `expression` kind:
 * the average CPUUtilization of the group times its instances in service and terminating (the
 * `cpu` kind's load, `cpuLoadQueries`). Prescale sends the expression as the only query of its
 * group, so it cannot name other queries' ids; SEARCH finds the group's metrics by exact match
 * (`${group}` is the group's name), and SUM turns each SEARCH's array (one series) into a series
 * the product can multiply. No period: SEARCH then takes the query's Period, which the product
 * sets to its forecast step. Unlike the `cpu` kind, it has no step where GroupTerminatingInstances
 * has none: the group must collect it.
 */
export const CPU_LOAD_EXPRESSION = `${groupAverage('AWS/EC2', 'CPUUtilization')} * (${groupAverage('AWS/AutoScaling', 'GroupInServiceInstances')} + ${groupAverage('AWS/AutoScaling', 'GroupTerminatingInstances')})`;

/** One of `PRESCALE_HISTORY_SOURCES`. */
export type PrescaleHistorySource = (typeof PRESCALE_HISTORY_SOURCES)[number];

/** Requests per minute the world sends per unit of load (`WorldSettings.requestsPerLoadUnit`'s default). */
const REQUESTS_PER_LOAD_UNIT = 10;

/** The Timestream table the `timestream` choice reads (the world creates it, see `provisionPrescaleHistory`). */
export const SIMULATED_TIMESTREAM_TABLE = {
  database: 'telemetry',
  table: 'groups',
  measureName: 'offered_load',
} as const;

/**
 * The multi-measure table the `timestream-multi` choice reads: records `host_metrics` with the
 * offered load in the BIGINT column `offered_load` beside a DOUBLE `memory_used_pct`.
 */
export const SIMULATED_TIMESTREAM_MULTI_TABLE = {
  database: 'telemetry',
  table: 'hosts',
  measureName: 'host_metrics',
  measureColumn: 'offered_load',
} as const;

/** @throws Error naming the choices when `text` is not one of them. */
export function parsePrescaleHistorySource(text: string): PrescaleHistorySource {
  const found = PRESCALE_HISTORY_SOURCES.find((s) => s === text);
  if (found === undefined)
    throw new Error(`--prescale-history expects one of ${PRESCALE_HISTORY_SOURCES.join('|')}, got ${text}`);
  return found;
}

/**
 * Metric units per load unit (percent of one instance) of `source` at a forecast step of
 * `stepSeconds`: 1 for the gauges, requests per load unit × minutes per step for the request
 * count (a per-period Sum). Targets and SLOs given in % are multiplied by it.
 */
export function loadUnitsPerPct(source: PrescaleHistorySource, stepSeconds: number): number {
  return source === 'cloudwatch-alb' ? (REQUESTS_PER_LOAD_UNIT * stepSeconds) / 60 : 1;
}

/**
 * The configuration keys that make Prescale read `source` for group `groupName`'s world metrics:
 * `historySource`, `timestream`, `defaults.metric` and `defaults.saturatedLoadPerInstance` (the ALB names are the group's, so a run
 * enrols one group by tag and reads it).
 */
export function prescaleHistoryConfig(
  source: PrescaleHistorySource,
  groupName: string,
): Pick<UserConfigInput, 'historySource' | 'timestream'> & {
  readonly metric: NonNullable<NonNullable<UserConfigInput['defaults']>['metric']>;
  readonly saturatedLoadPerInstance?: NonNullable<UserConfigInput['defaults']>['saturatedLoadPerInstance'];
} {
  const m = groupMetrics(groupName);
  switch (source) {
    case 'cloudwatch-cpu':
      return { metric: { kind: 'cpu' } };
    case 'cloudwatch-alb':
      return {
        metric: {
          kind: 'alb-requests',
          targetGroupFullName: m.requestCountPerTarget.dimensions.TargetGroup,
          loadBalancerFullName: m.requestCountPerTarget.dimensions.LoadBalancer,
        },
      };
    case 'cloudwatch-custom':
      return {
        metric: {
          kind: 'custom',
          namespace: m.offeredLoad.namespace,
          metricName: m.offeredLoad.metricName,
          // The group's name through the product's placeholder, as a user's configuration writes it.
          dimensions: { AutoScalingGroupName: ['$', '{group}'].join('') },
          stat: 'Average',
        },
      };
    case 'cloudwatch-expression':
      return {
        metric: { kind: 'expression', expression: CPU_LOAD_EXPRESSION },
        // A CPU percentage: nothing in an expression says so but the user.
        saturatedLoadPerInstance: 100,
      };
    case 'timestream':
    case 'timestream-multi':
      return {
        historySource: 'timestream',
        timestream: {
          ...(source === 'timestream' ? SIMULATED_TIMESTREAM_TABLE : SIMULATED_TIMESTREAM_MULTI_TABLE),
        },
        metric: { kind: 'cpu' },
        saturatedLoadPerInstance: 'none',
      };
  }
}

/** Gives `world` what `source` reads beyond CloudWatch: the Timestream table mirroring each group's offered load. */
export function provisionPrescaleHistory(world: SimulatedWorld, source: PrescaleHistorySource): void {
  const metricOf = (group: string) => groupMetrics(group).offeredLoad;
  if (source === 'timestream')
    world.services.timestream.createTable({ ...SIMULATED_TIMESTREAM_TABLE, metricOf });
  if (source === 'timestream-multi') {
    const { measureColumn, ...table } = SIMULATED_TIMESTREAM_MULTI_TABLE;
    world.services.timestream.createTable({
      ...table,
      metricOf,
      multiMeasure: {
        loadColumn: measureColumn,
        columns: { [measureColumn]: 'BIGINT', memory_used_pct: 'DOUBLE' },
      },
    });
  }
}
