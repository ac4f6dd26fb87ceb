/**
 * The schedule expressions EventBridge Scheduler accepts, as its API reference states them
 * (CreateSchedule, `ScheduleExpression`): "at expression - at(yyyy-mm-ddThh:mm:ss)", "rate
 * expression - rate(value unit)", "cron expression - cron(fields)"; "A cron expression consists of
 * six fields separated by white spaces"; "A rate expression consists of a value as a positive
 * integer, and a unit with the following options: minute | minutes | hour | hours | day | days".
 * The model only bounds the length (1–256). Returns what is wrong, or nothing.
 */
export function scheduleExpressionProblem(expression: string): string | undefined {
  const rate = /^rate\((.*)\)$/.exec(expression)?.[1];
  if (rate !== undefined)
    return /^[1-9][0-9]* (minute|minutes|hour|hours|day|days)$/.test(rate)
      ? undefined
      : `ScheduleExpression: rate(value unit) takes a positive integer and minute | minutes | hour | hours | day | days, got ${expression}`;
  const at = /^at\((.*)\)$/.exec(expression)?.[1];
  if (at !== undefined)
    return isCalendarDateTime(at)
      ? undefined
      : `ScheduleExpression: at() takes yyyy-mm-ddThh:mm:ss, got ${expression}`;
  const cron = /^cron\((.*)\)$/.exec(expression)?.[1];
  if (cron !== undefined)
    return cron.trim().split(/\s+/).length === 6
      ? undefined
      : `ScheduleExpression: cron() takes six fields (minutes hours day-of-month month day-of-week year), got ${expression}`;
  return `ScheduleExpression: expected at(…), rate(…) or cron(…), got ${expression}`;
}

/**
 * `yyyy-mm-ddThh:mm:ss` naming a real date and time. `Date.parse` alone would roll an impossible
 * one over (2026-02-30 as 2026-03-02, 24:00:00 as the next midnight) where it names no time at all.
 */
function isCalendarDateTime(text: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/.test(text)) return false;
  const ms = Date.parse(`${text}Z`);
  return !Number.isNaN(ms) && new Date(ms).toISOString().slice(0, 19) === text;
}

/** The template's Scheduler schedules whose expression Scheduler would refuse, with the reason. */
export function templateScheduleProblems(template: {
  readonly Resources: Readonly<
    Record<string, { readonly Type: string; readonly Properties?: Record<string, unknown> }>
  >;
}): string[] {
  return Object.entries(template.Resources)
    .filter(([, r]) => r.Type === 'AWS::Scheduler::Schedule')
    .flatMap(([id, r]) => {
      const problem = scheduleExpressionProblem(String(r.Properties?.ScheduleExpression));
      return problem ? [`${id}: ${problem}`] : [];
    });
}
