import { scheduleExpressionProblem } from './schedule-expression';

// biome-ignore lint/suspicious/noExplicitAny: SDK inputs of several commands.
type Input = Record<string, any>;

/**
 * Documented request rules that the published models cannot express (relations between members)
 * or do not carry (a limit the API reference states but the model omits), for the calls Prescale
 * makes. Lengths, ranges, patterns and enums the model does carry are checked from botocore's
 * model (`model-constraints.ts`), not here. Each message names the member and the rule, with the
 * page that states it.
 */
export function crossFieldViolations(service: string, operation: string, input: Input): string[] {
  const key = `${service}:${operation}`;
  if (key === 'autoscaling:StartInstanceRefresh') return refreshRules(input);
  if (key === 'autoscaling:UpdateAutoScalingGroup' || key === 'autoscaling:SetDesiredCapacity')
    return sizeRules(input);
  if (key === 'cloudwatch:GetMetricData') return metricDataRules(input);
  if (
    (key === 'scheduler:CreateSchedule' || key === 'scheduler:UpdateSchedule') &&
    input.ScheduleExpression
  ) {
    const problem = scheduleExpressionProblem(String(input.ScheduleExpression));
    return problem ? [problem] : [];
  }
  if (key === 'sqs:SendMessageBatch' && (input.Entries?.length ?? 0) > 10)
    return [`Entries: at most 10 entries per batch, got ${input.Entries.length}`];
  return [];
}

const inRange = (name: string, value: unknown, min: number, max: number): string[] =>
  typeof value === 'number' && (value < min || value > max || !Number.isInteger(value))
    ? [`${name}: must be an integer in [${min}, ${max}], got ${value}`]
    : [];

// https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_RefreshPreferences.html
function refreshRules(input: Input): string[] {
  // Each member's own range (0–100, 100–200, checkpoints 1–100) is in the model.
  const p = (input.Preferences ?? {}) as Input;
  const out: string[] = [];
  // "If you specify MaxHealthyPercentage, you must also specify MinHealthyPercentage."
  if (p.MaxHealthyPercentage !== undefined && p.MinHealthyPercentage === undefined)
    out.push(
      `Preferences.MinHealthyPercentage: required when MaxHealthyPercentage is given, got MaxHealthyPercentage ${p.MaxHealthyPercentage} alone`,
    );
  const min = p.MinHealthyPercentage ?? 90;
  if (
    p.MaxHealthyPercentage !== undefined &&
    p.MinHealthyPercentage !== undefined &&
    p.MaxHealthyPercentage - min > 100
  )
    out.push(
      `Preferences: MaxHealthyPercentage − MinHealthyPercentage must be at most 100, got ${p.MaxHealthyPercentage} − ${min}`,
    );
  const checkpoints = p.CheckpointPercentages as number[] | undefined;
  if (checkpoints && checkpoints.length > 0) {
    if (checkpoints.some((c, i) => i > 0 && c <= (checkpoints[i - 1] as number)))
      out.push(
        `Preferences.CheckpointPercentages: must be strictly ascending, got [${checkpoints.join(', ')}]`,
      );
    if (checkpoints[checkpoints.length - 1] !== 100)
      out.push(
        `Preferences.CheckpointPercentages: the last value must be 100, got [${checkpoints.join(', ')}]`,
      );
  }
  return out;
}

// https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_UpdateAutoScalingGroup.html (the
// model gives the sizes no range; the name's length is in the model).
function sizeRules(input: Input): string[] {
  const out = [
    ...inRange('MinSize', input.MinSize, 0, Number.MAX_SAFE_INTEGER),
    ...inRange('MaxSize', input.MaxSize, 0, Number.MAX_SAFE_INTEGER),
    ...inRange('DesiredCapacity', input.DesiredCapacity, 0, Number.MAX_SAFE_INTEGER),
  ];
  if (input.MinSize !== undefined && input.MaxSize !== undefined && input.MinSize > input.MaxSize)
    out.push(`MinSize: must not exceed MaxSize, got ${input.MinSize} > ${input.MaxSize}`);
  return out;
}

const toMs = (t: unknown): number => (t instanceof Date ? t.getTime() : new Date(t as string).getTime());

// https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_GetMetricData.html and
// https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/cloudwatch-metrics-insights-limits.html
// The model gives MetricDataQueries no maximum and Id no pattern; the API reference states both.
function metricDataRules(input: Input): string[] {
  const out: string[] = [];
  const queries = (input.MetricDataQueries ?? []) as Input[];
  if (queries.length > 500) out.push(`MetricDataQueries: at most 500 per call, got ${queries.length}`);
  const start = toMs(input.StartTime);
  const end = toMs(input.EndTime);
  if (!(start < end)) out.push('StartTime: must be before EndTime');
  const insights = queries.filter(
    (q) => typeof q.Expression === 'string' && /^\s*SELECT\b/i.test(q.Expression),
  );
  if (insights.length > 1)
    out.push(`MetricDataQueries: at most one Metrics Insights query per call, got ${insights.length}`);
  for (const q of queries) {
    if (!/^[a-z][a-zA-Z0-9_]*$/.test(String(q.Id)))
      out.push(
        `MetricDataQueries.Id: must start with a lowercase letter and hold only letters, digits and _, got ${q.Id}`,
      );
    const period = q.MetricStat?.Period ?? q.Period;
    if (
      period !== undefined &&
      !(
        period === 1 ||
        period === 5 ||
        period === 10 ||
        period === 20 ||
        period === 30 ||
        (period >= 60 && period % 60 === 0)
      )
    )
      out.push(
        `MetricDataQueries.${q.Id}.Period: must be 1, 5, 10, 20, 30 or a multiple of 60, got ${period}`,
      );
    if (q.MetricStat && q.Expression)
      out.push(`MetricDataQueries.${q.Id}: exactly one of MetricStat and Expression`);
  }
  return out;
}
