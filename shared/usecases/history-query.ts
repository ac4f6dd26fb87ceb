import type { GroupSettings } from '../contracts/group-settings-schema';
import type { HistoryQuery, LoadMetricSpec } from '../ports/metric-history';

/**
 * How long after a step ends a cumulative statistic of it (Sum, SampleCount, trimmed sum or count) is whole in
 * CloudWatch: sources publish each minute (ELB "at 60-second intervals"), CloudWatch's newest
 * minute is live data, not yet fully aggregated, and AWS's own metrics come 1–3 minutes late
 * ("generally … within one minute from the end of the time period", more "in some cases"; about
 * 2 minutes as monitoring vendors measure it), a minute of several reporters (ELB nodes,
 * instances) filling as each reports. Read sooner, the step's sum comes back short and reads as a
 * fall in load, which predictive scale-in, the level correction and the planning quantile's
 * scoring (each step scored once) would act on; an average is not biased so. Until 2026-12-06
 * this was 2 minutes: with metrics 3 minutes late, the newest of 60-second `alb-requests` steps
 * read a third short at every run, and a read 2–3 minutes after a 5-minute step (the update
 * workflows read at any time) a fifteenth short (`history-query-late-metrics.test.ts`).
 */
export const CUMULATIVE_SETTLE_MS = 3 * 60_000;

/**
 * How long after a step ends every statistic of it is of the whole step in CloudWatch: the same
 * 1–3 minutes of lateness ({@link CUMULATIVE_SETTLE_MS}). Read sooner, an average is not short
 * but is of the step's first minutes only (with `cpu`, CPUUtilization and
 * GroupInServiceInstances over different ones); a reader that acts on a step once, such as the
 * planning quantile's scoring, waits for it.
 */
export const STEP_SETTLE_MS = CUMULATIVE_SETTLE_MS;

/**
 * A statistic that grows as a step's data arrives, as CloudWatch names it in a query: Sum,
 * SampleCount, and their trimmed forms, the trimmed sum (`ts99`, `TS(0%:99%)`) and trimmed count
 * (`tc99`, `TC(…)`), which add up the datapoints within bounds, so a missing minute lowers them too.
 */
const CUMULATIVE = String.raw`Sum|SampleCount|t[sc]\d[\d.]*|T[SC]\([^()']+\)`;
const CUMULATIVE_STAT = new RegExp(`^(?:${CUMULATIVE})$`);

/**
 * Whether `metric`'s newest step comes back short until its data is all published: a statistic
 * summed over the step, so its value grows with the step's length, or an `expression`.
 *
 * Every `expression` counts, whatever its statistic. It stands alone (the group's only query), so
 * it finds its data with `SEARCH` or a Metrics Insights `SELECT`, which match however many series
 * report at the time, and Prescale takes one series back, so it aggregates them: `SUM(SEARCH(…))`,
 * `AVG(…)`, `SELECT SUM(…)`, `SELECT AVG(…)`. A series whose newest minutes are still on their way
 * (each instance, ELB node or publisher reports on its own, 1–3 minutes late) drops out of that
 * aggregate for those steps: a `SUM` of per-instance Averages reads low (`alb-requests`' fall), an
 * `AVG` or `MAX` over instances reads the early reporters only, and metric math between two
 * searches leaves the step out. Only the shape of the query at read time tells which, and a search
 * matching one series today matches several when instances come and go (until 2026-12-07 only a
 * search for a Sum or count settled, and a per-instance `SUM(SEARCH(…, 'Average'))` read its
 * newest 2–3 minutes low, which the level correction took for a fall in load). The cost of
 * counting one that needed no wait, such as a single group-level Average, is its newest step read
 * up to {@link CUMULATIVE_SETTLE_MS} later.
 */
export function isCumulativeLoad(metric: LoadMetricSpec): boolean {
  switch (metric.kind) {
    case 'cpu':
      return false;
    case 'alb-requests':
      return true;
    case 'custom':
      return CUMULATIVE_STAT.test(metric.stat);
    case 'expression':
      return true;
  }
}

/**
 * The end of the newest whole step of the group's load that can be read at `nowMs`: `nowMs`
 * rounded down to a forecast step, after leaving out {@link CUMULATIVE_SETTLE_MS} for a cumulative
 * metric. Every reader of recent load ends its window here, so none reads a step still filling.
 */
export function settledHistoryEndMs(settings: GroupSettings, nowMs: number): number {
  const stepMs = settings.stepSeconds * 1000;
  const settledMs = isCumulativeLoad(settings.metric) ? nowMs - CUMULATIVE_SETTLE_MS : nowMs;
  return Math.floor(settledMs / stepMs) * stepMs;
}

/**
 * The load history a group's forecast reads: `historyDays` of its metric up to `endMs`, rounded
 * down to a whole forecast step so every reader of the same moment asks for the same steps; a
 * cumulative metric's step that ended less than {@link CUMULATIVE_SETTLE_MS} ago is left out.
 * `fromMs`, when earlier, starts it there instead: the scaling loop's model window ends at its
 * last refit, before `endMs`, and holds whole days (`forecastFitWindow`).
 */
export function historyQuery(
  groupName: string,
  settings: GroupSettings,
  endMs: number,
  fromMs?: number,
): HistoryQuery {
  const alignedEndMs = settledHistoryEndMs(settings, endMs);
  return {
    groupName,
    metric: settings.metric,
    startMs: Math.min(alignedEndMs - settings.historyDays * 86_400_000, fromMs ?? Number.POSITIVE_INFINITY),
    endMs: alignedEndMs,
    stepSeconds: settings.stepSeconds,
  };
}
