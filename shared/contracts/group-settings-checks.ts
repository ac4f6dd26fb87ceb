import type * as z from 'zod';
import { DEFAULT_LEVEL_CORRECTION } from '../core/planning/correct-forecast-level';
import {
  fitWindowReachMs,
  minHistoryDaysForBacktest,
  refitHorizonSteps,
} from '../core/planning/forecast-fit-window';
import { minLookAheadHours } from '../core/planning/look-ahead-placement';
import type { groupOverrideSchema, groupSettingsSchema } from './group-settings-schema';
import { isMetricsInsightsExpression, METRICS_INSIGHTS_REACH_MS } from './metrics-insights';

type GroupOverride = z.output<typeof groupOverrideSchema>;

/** What the checks read of the configuration as parsed, before them. */
export interface CheckedConfig {
  readonly historySource: 'cloudwatch' | 'timestream';
  readonly defaults: z.output<typeof groupSettingsSchema>;
  readonly groupOverrides: Readonly<Record<string, GroupOverride>>;
  readonly lookAhead: { readonly hours: number };
  readonly scheduleRateMinutes: number;
}

/*
 * The configuration's cross-field checks, run by `userConfigSchema`: each names the path of the
 * setting that breaks it, so `cdk synth` fails there.
 */

/** The most CPU one instance can show, in percent: the `cpu` load's target must stay below it. */
export const CPU_PERCENT_CEILING = 100;

/**
 * Whether the load is CloudWatch's CPU percentage × instances (the `cpu` kind read from
 * CloudWatch): a Timestream measure is read whatever the kind says, in its own unit.
 */
export function isCpuPercentLoad(
  historySource: 'cloudwatch' | 'timestream',
  metric: { readonly kind: string },
): boolean {
  return historySource === 'cloudwatch' && metric.kind === 'cpu';
}

type Settings = CheckedConfig['defaults'];

/**
 * The defaults, or one override over them, as the checks read it. An override that sets none of
 * the fields a check reads has the defaults' problem, which their own check names: naming it again
 * would quote a value the user never wrote there. So a check names an override only when it
 * `sets` one of them, and its message says which of the values it quotes are inherited (`cite`).
 */
interface SettingsBlock {
  readonly path: readonly string[];
  read<K extends keyof Settings>(key: K): Settings[K];
  sets(...keys: readonly (keyof Settings)[]): boolean;
  /** The value of `key` for a message: `14`, or `14 (inherited from defaults.historyDays)`. */
  cite(key: keyof Settings): string;
  /** The same within a message's parentheses: `14`, or `14, inherited from defaults.historyDays`. */
  citeWithin(key: keyof Settings): string;
}

function settingsBlock(defaults: Settings, path: readonly string[], own?: GroupOverride): SettingsBlock {
  const inherited = (key: keyof Settings) => own !== undefined && own[key] === undefined;
  const read = <K extends keyof Settings>(key: K): Settings[K] =>
    (own?.[key] ?? defaults[key]) as Settings[K];
  const source = (key: keyof Settings, format: (from: string) => string) =>
    `${read(key)}${inherited(key) ? format(`inherited from defaults.${key}`) : ''}`;
  return {
    path,
    read,
    sets: (...keys) => keys.some((key) => !inherited(key)),
    cite: (key) => source(key, (from) => ` (${from})`),
    citeWithin: (key) => source(key, (from) => `, ${from}`),
  };
}

/**
 * The cross-field checks of the defaults and each group override, with the path of the one that
 * breaks them: look-ahead long enough for the loop's rate (`checkLookAheadHours`) and within the horizon, saturation above the target, a CPU target below
 * 100 %, the history long enough, the planning quantile within its bounds.
 */
export function checkGroupSettings(config: CheckedConfig, ctx: z.RefinementCtx): void {
  checkLookAheadHours(config, ctx);
  const blocks = [
    settingsBlock(config.defaults, ['defaults']),
    ...Object.entries(config.groupOverrides).map(([name, own]) =>
      settingsBlock(config.defaults, ['groupOverrides', name], own),
    ),
  ];
  for (const block of blocks) {
    const horizonHours = block.read('horizonHours');
    if (block.sets('horizonHours') && config.lookAhead.hours > horizonHours) {
      ctx.addIssue({
        code: 'custom',
        path: ['lookAhead', 'hours'],
        message: `expected lookAhead.hours ≤ the forecast horizon (${block.path.join('.')}.horizonHours = ${horizonHours}), got ${config.lookAhead.hours}`,
      });
    }
    checkLoadPerInstance(config, block, ctx);
    checkHistoryDays(config, block, ctx);
    checkPlanningQuantile(block, ctx);
  }
}

/** The target against the CPU percentage's ceiling, and the saturation above the target. */
function checkLoadPerInstance(config: CheckedConfig, block: SettingsBlock, ctx: z.RefinementCtx): void {
  const { path } = block;
  const target = block.read('targetLoadPerInstance');
  const cpuPercent = isCpuPercentLoad(config.historySource, block.read('metric'));
  if (block.sets('targetLoadPerInstance', 'metric') && cpuPercent && !(target < CPU_PERCENT_CEILING)) {
    ctx.addIssue({
      code: 'custom',
      path: [...path, 'targetLoadPerInstance'],
      message: `expected a CPU percentage below ${CPU_PERCENT_CEILING} for the cpu load (one instance's CPU never shows more), got ${block.cite('targetLoadPerInstance')}`,
    });
  }
  const saturated = block.read('saturatedLoadPerInstance');
  if (
    block.sets('saturatedLoadPerInstance', 'targetLoadPerInstance') &&
    typeof saturated === 'number' &&
    !(saturated > target)
  ) {
    ctx.addIssue({
      code: 'custom',
      path: [...path, 'saturatedLoadPerInstance'],
      message: `expected a load above targetLoadPerInstance (${block.citeWithin('targetLoadPerInstance')}), or none for a metric of the offered load, got ${block.cite('saturatedLoadPerInstance')}`,
    });
  }
}

/** `planningQuantileMin` ≤ `planningQuantile` ≤ `planningQuantileMax`. */
function checkPlanningQuantile(block: SettingsBlock, ctx: z.RefinementCtx): void {
  const keys = ['planningQuantileMin', 'planningQuantile', 'planningQuantileMax'] as const;
  const [min, start, max] = [block.read(keys[0]), block.read(keys[1]), block.read(keys[2])];
  if (block.sets(...keys) && !(min <= start && start <= max)) {
    ctx.addIssue({
      code: 'custom',
      path: [...block.path, 'planningQuantile'],
      message: `expected planningQuantileMin ≤ planningQuantile ≤ planningQuantileMax (got ${keys.map((key) => block.cite(key)).join(' ≤ ')})`,
    });
  }
}

/**
 * `lookAhead.hours` against the loop's rate: the look-ahead's steps start at the first whole UTC
 * hour after its bridge, two loop intervals out (`lookAheadPlacement`), so below
 * `minLookAheadHours` some runs plan no step, and their sync deletes the look-ahead in place.
 */
function checkLookAheadHours(config: CheckedConfig, ctx: z.RefinementCtx): void {
  const { hours } = config.lookAhead;
  const least = minLookAheadHours(config.scheduleRateMinutes * 60);
  if (hours > 0 && hours < least)
    ctx.addIssue({
      code: 'custom',
      path: ['lookAhead', 'hours'],
      message: `expected lookAhead.hours ≥ ${least} at scheduleRateMinutes ${config.scheduleRateMinutes}, or 0 for no look-ahead: its steps start at the first whole UTC hour two loop intervals after a run, so with fewer hours some runs plan no step and leave the group without a look-ahead; got ${hours}`,
    });
}

const DAY_MS = 86_400_000;
/** How long CloudWatch serves a query at a period that is not a multiple of 5 minutes. */
const ONE_MINUTE_RETENTION_MS = 15 * DAY_MS;

/**
 * `historyDays` of the defaults or one override, against what reads it: the loop's backtested
 * model choice at the group's horizon, step and refresh (`minHistoryDaysForBacktest`; below it
 * every run would forecast without one, low-confidence), CloudWatch's 15 days of 1-minute data
 * when the history is CloudWatch's (the refit's window must not start before them), the two weeks
 * a Metrics Insights `SELECT` reads (`checkMetricsInsightsReach`), and the settings read over its
 * newest days.
 */
function checkHistoryDays(config: CheckedConfig, block: SettingsBlock, ctx: z.RefinementCtx): void {
  const { path } = block;
  const historyDays = block.read('historyDays');
  const fit = {
    stepSeconds: block.read('stepSeconds'),
    forecastRefreshMinutes: block.read('forecastRefreshMinutes'),
    horizonHours: block.read('horizonHours'),
  };
  const least = minHistoryDaysForBacktest(fit);
  if (block.sets('historyDays', ...(Object.keys(fit) as (keyof typeof fit)[])) && historyDays < least) {
    ctx.addIssue({
      code: 'custom',
      path: [...path, 'historyDays'],
      message: `expected historyDays ≥ ${least} for a backtested forecast at horizonHours ${block.cite('horizonHours')}, stepSeconds ${block.cite('stepSeconds')} and forecastRefreshMinutes ${block.cite('forecastRefreshMinutes')} (2 days before the backtest's last origin, then the refit's horizon of ${refitHorizonSteps(fit)} steps, at most 2 days); with fewer every run forecasts without choosing a model, low-confidence; got ${block.cite('historyDays')}`,
    });
  }
  const reachMs = fitWindowReachMs({ ...fit, historyDays });
  // CloudWatch returns nothing for a start more than 15 days ago at a period that is not a multiple
  // of 5 minutes (GetMetricData, MetricStat.Period): the refit near the end of its interval would
  // read an empty history. A Timestream table keeps what its writer put there at every step.
  if (
    config.historySource === 'cloudwatch' &&
    block.sets('historyDays', 'stepSeconds', 'forecastRefreshMinutes') &&
    fit.stepSeconds % 300 !== 0 &&
    reachMs > ONE_MINUTE_RETENTION_MS
  ) {
    ctx.addIssue({
      code: 'custom',
      path: [...path, 'historyDays'],
      message: `expected historyDays + forecastRefreshMinutes + the level correction's ${DEFAULT_LEVEL_CORRECTION.residualCount} steps to reach at most 15 days back at stepSeconds ${block.cite('stepSeconds')} (CloudWatch keeps data at periods under 300 s for 15 days), got ${block.cite('historyDays')} days + ${block.cite('forecastRefreshMinutes')} minutes + ${DEFAULT_LEVEL_CORRECTION.residualCount} steps = ${(reachMs / DAY_MS).toFixed(3)} days; lower historyDays or forecastRefreshMinutes, or use stepSeconds 300`,
    });
  }
  checkMetricsInsightsReach(config, block, reachMs, ctx);
  checkDaysReadFromHistory(block, ctx);
}

/**
 * A Metrics Insights `SELECT` load against the two weeks it can read (`METRICS_INSIGHTS_REACH_MS`):
 * read further back, CloudWatch clamps the start and answers with a top-level message, so every
 * read of the group would fail as not whole (the default `historyDays` 14 always reaches past, by
 * the refresh interval and the level correction's steps). `reachMs` is the refit's reach
 * (`fitWindowReachMs`), which holds every other read's too: `historyDays` before the newest
 * settled step, at most a step plus the 3-minute settle back, less than a refresh and 3 steps.
 */
function checkMetricsInsightsReach(
  config: CheckedConfig,
  block: SettingsBlock,
  reachMs: number,
  ctx: z.RefinementCtx,
): void {
  const metric = block.read('metric');
  if (
    config.historySource !== 'cloudwatch' ||
    !block.sets('metric', 'historyDays', 'forecastRefreshMinutes', 'stepSeconds') ||
    metric.kind !== 'expression' ||
    !isMetricsInsightsExpression(metric.expression) ||
    reachMs <= METRICS_INSIGHTS_REACH_MS
  )
    return;
  ctx.addIssue({
    code: 'custom',
    path: [...block.path, 'historyDays'],
    message: `expected a Metrics Insights SELECT in metric.expression to read at most 14 days back (Metrics Insights queries up to two weeks of data; further back CloudWatch answers MaxQueryTimeRangeExceeded and every read of the group fails), got historyDays ${block.cite('historyDays')} days + forecastRefreshMinutes ${block.cite('forecastRefreshMinutes')} + the level correction's ${DEFAULT_LEVEL_CORRECTION.residualCount} steps = ${(reachMs / DAY_MS).toFixed(3)} days; lower historyDays (13 allows a refresh of up to a day less 3 steps) or write metric.expression with SEARCH`,
  });
}

/**
 * The settings read over the newest days of the history the forecast fits, which holds
 * `historyDays` whole days before the refit's fit end (`forecastFitWindow`), against it. The
 * recurring peak's median spans the days found (at least 3 hold the hour), so it would silently
 * span fewer than asked; the floor check judges only with 90 % of its days' steps recorded, which
 * more days than the history holds rarely are (7 days ask 6.3: beyond 6 days and an hourly refresh).
 */
function checkDaysReadFromHistory(block: SettingsBlock, ctx: z.RefinementCtx): void {
  const historyDays = block.read('historyDays');
  const overHistory = {
    recurringPeakDays: (days: number) => `its median would span ${historyDays} days of history, not ${days}`,
    floorCheckDays: () => 'the floor would be judged on fewer days of history, or never',
  };
  for (const [key, why] of Object.entries(overHistory) as [
    keyof typeof overHistory,
    (d: number) => string,
  ][]) {
    const days = block.read(key);
    if (block.sets(key, 'historyDays') && days > historyDays)
      ctx.addIssue({
        code: 'custom',
        path: [...block.path, key],
        message: `expected ${key} ≤ historyDays (${block.citeWithin('historyDays')}): ${why(days)}; got ${block.cite(key)}`,
      });
  }
}
