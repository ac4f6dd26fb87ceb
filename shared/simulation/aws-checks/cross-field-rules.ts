// biome-ignore lint/suspicious/noExplicitAny: SDK inputs of several commands.
type Input = Record<string, any>;

/**
 * Documented request rules that the published models do not carry (the npm models are minified:
 * no ranges, patterns or enums) or cannot express (relations between members), for the calls
 * Prescale makes. Each message names the member and the rule, with the page that states it.
 */
export function crossFieldViolations(service: string, operation: string, input: Input): string[] {
  const key = `${service}:${operation}`;
  if (key === 'autoscaling:StartInstanceRefresh') return refreshRules(input);
  if (key === 'autoscaling:UpdateAutoScalingGroup' || key === 'autoscaling:SetDesiredCapacity')
    return sizeRules(input);
  if (key === 'autoscaling:PutWarmPool') return warmPoolRules(input);
  if (key === 'cloudwatch:GetMetricData') return metricDataRules(input);
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
  const p = (input.Preferences ?? {}) as Input;
  const out = [
    ...inRange('Preferences.MinHealthyPercentage', p.MinHealthyPercentage, 0, 100),
    ...inRange('Preferences.MaxHealthyPercentage', p.MaxHealthyPercentage, 100, 200),
    ...inRange('Preferences.InstanceWarmup', p.InstanceWarmup, 0, Number.MAX_SAFE_INTEGER),
  ];
  const min = p.MinHealthyPercentage ?? 90;
  if (p.MaxHealthyPercentage !== undefined && p.MaxHealthyPercentage - min > 100)
    out.push(
      `Preferences: MaxHealthyPercentage − MinHealthyPercentage must be at most 100, got ${p.MaxHealthyPercentage} − ${min}`,
    );
  const checkpoints = p.CheckpointPercentages as number[] | undefined;
  if (checkpoints && checkpoints.length > 0) {
    for (const [i, c] of checkpoints.entries())
      out.push(...inRange(`Preferences.CheckpointPercentages[${i}]`, c, 1, 100));
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

// https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_UpdateAutoScalingGroup.html
function sizeRules(input: Input): string[] {
  const out = [
    ...inRange('MinSize', input.MinSize, 0, Number.MAX_SAFE_INTEGER),
    ...inRange('MaxSize', input.MaxSize, 0, Number.MAX_SAFE_INTEGER),
    ...inRange('DesiredCapacity', input.DesiredCapacity, 0, Number.MAX_SAFE_INTEGER),
  ];
  const name = String(input.AutoScalingGroupName ?? '');
  if (name.length < 1 || name.length > 255)
    out.push(`AutoScalingGroupName: length must be 1–255, got ${name.length}`);
  if (input.MinSize !== undefined && input.MaxSize !== undefined && input.MinSize > input.MaxSize)
    out.push(`MinSize: must not exceed MaxSize, got ${input.MinSize} > ${input.MaxSize}`);
  return out;
}

// https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_PutWarmPool.html
function warmPoolRules(input: Input): string[] {
  return [
    ...inRange('MinSize', input.MinSize, 0, Number.MAX_SAFE_INTEGER),
    ...inRange('MaxGroupPreparedCapacity', input.MaxGroupPreparedCapacity, -1, Number.MAX_SAFE_INTEGER),
    ...(input.PoolState !== undefined && !['Stopped', 'Running', 'Hibernated'].includes(input.PoolState)
      ? [`PoolState: must be Stopped, Running or Hibernated, got ${input.PoolState}`]
      : []),
  ];
}

const toMs = (t: unknown): number => (t instanceof Date ? t.getTime() : new Date(t as string).getTime());

// https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_GetMetricData.html and
// https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/cloudwatch-metrics-insights-limits.html
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
