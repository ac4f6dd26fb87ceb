import type { AutoScalingContext } from './auto-scaling-context';
import type { Activity, SimGroup } from './group-state';
import { page } from './paging';

/** Each group keeps this many activities; past it, the older half is dropped. */
const MAX_ACTIVITIES = 2000;

/** An activity to record; times are ms of virtual time. */
export interface ActivityInput {
  readonly Description: string;
  readonly Cause: string;
  readonly StatusCode: Activity['StatusCode'];
  readonly StatusMessage?: string;
  readonly startMs: number;
  readonly endMs?: number;
}

/** Appends a scaling activity to the group's history and returns it (to settle it later). */
export function recordActivity(ctx: AutoScalingContext, group: SimGroup, a: ActivityInput): Activity {
  const activity: Activity = {
    ActivityId: ctx.uuid(),
    AutoScalingGroupName: group.spec.name,
    AutoScalingGroupARN: group.arn,
    Description: a.Description,
    Cause: a.Cause,
    StartTime: new Date(a.startMs),
    ...(a.endMs !== undefined ? { EndTime: new Date(a.endMs) } : {}),
    StatusCode: a.StatusCode,
    ...(a.StatusMessage ? { StatusMessage: a.StatusMessage } : {}),
    Progress: a.StatusCode === 'InProgress' ? 0 : 100,
    Details: JSON.stringify({
      'Availability Zone': group.spec.availabilityZones?.[0] ?? `${ctx.region}a`,
    }),
  };
  group.activities.push(activity);
  if (group.activities.length > MAX_ACTIVITIES)
    group.activities = group.activities.slice(-MAX_ACTIVITIES / 2);
  return activity;
}

/** DescribeScalingActivities input, as the SDK sends it. */
export interface DescribeScalingActivitiesInput {
  AutoScalingGroupName?: string;
  ActivityIds?: string[];
  MaxRecords?: number;
  NextToken?: string;
}

/** DescribeScalingActivities over `groups`: newest first, at most 100 a page. */
export function describeScalingActivities(
  groups: readonly SimGroup[],
  input: DescribeScalingActivitiesInput,
): unknown {
  let activities = groups
    .flatMap((g) => g.activities)
    .sort((a, b) => b.StartTime.getTime() - a.StartTime.getTime());
  if (input.ActivityIds?.length)
    activities = activities.filter((a) => input.ActivityIds?.includes(a.ActivityId));
  const { items, next } = page(activities, input.MaxRecords, input.NextToken, 100);
  return { Activities: items.map((a) => ({ ...a })), ...(next ? { NextToken: next } : {}) };
}
