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

type TemplateResource = {
  readonly Type: string;
  readonly Properties?: Record<string, unknown>;
  readonly DependsOn?: string | readonly string[];
};

/**
 * The template's Scheduler schedules that Scheduler or CloudFormation would refuse, with the
 * reason: an expression Scheduler does not take, or a group that would not exist when the schedule
 * is created.
 */
export function templateScheduleProblems(template: {
  readonly Resources: Readonly<Record<string, TemplateResource>>;
}): string[] {
  return Object.entries(template.Resources)
    .filter(([, r]) => r.Type === 'AWS::Scheduler::Schedule')
    .flatMap(([id, r]) => {
      const problems = [
        scheduleExpressionProblem(String(r.Properties?.ScheduleExpression)),
        scheduleGroupProblem(template.Resources, r),
      ];
      return problems.flatMap((problem) => (problem ? [`${id}: ${problem}`] : []));
    });
}

/**
 * CreateSchedule answers a group that does not exist with ResourceNotFoundException. The account
 * has `default` (a schedule naming no group is in it); any other group must be one the template
 * creates, and created first: CloudFormation orders a resource after those it `Ref`s or
 * `DependsOn`, and reads no dependency in a literal name, so it may create both at once.
 */
function scheduleGroupProblem(
  resources: Readonly<Record<string, TemplateResource>>,
  schedule: TemplateResource,
): string | undefined {
  const group = schedule.Properties?.GroupName;
  if (group === undefined || group === 'default') return undefined;
  const ref = (group as { Ref?: unknown }).Ref;
  if (typeof ref === 'string')
    return resources[ref]?.Type === 'AWS::Scheduler::ScheduleGroup'
      ? undefined
      : `GroupName: Ref ${ref} is not a schedule group of the template`;
  const dependsOn = [schedule.DependsOn ?? []].flat();
  const created = Object.entries(resources).filter(
    ([, r]) => r.Type === 'AWS::Scheduler::ScheduleGroup' && r.Properties?.Name === group,
  );
  if (created.length === 0)
    return `GroupName: ${JSON.stringify(group)} is neither default nor a schedule group the template creates (CreateSchedule: ResourceNotFoundException)`;
  return created.some(([groupId]) => dependsOn.includes(groupId))
    ? undefined
    : `GroupName: ${JSON.stringify(group)} names the template's group by its literal name without DependsOn it, so CloudFormation may create the schedule first (CreateSchedule: ResourceNotFoundException)`;
}
