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

/**
 * `activities` by StartTime, newest first; equal times keep their recorded order (a stable sort).
 * Activities are recorded as time passes, so this is usually one reversed pass, not a sort.
 */
function newestFirst(activities: readonly Activity[]): Activity[] {
  const times = activities.map((a) => a.StartTime.getTime());
  if (!times.every((t, i) => i === 0 || (times[i - 1] as number) <= t)) {
    return activities
      .map((activity, i) => ({ activity, t: times[i] as number }))
      .sort((a, b) => b.t - a.t)
      .map((x) => x.activity);
  }
  const out: Activity[] = [];
  for (let end = activities.length; end > 0; ) {
    let start = end - 1;
    while (start > 0 && times[start - 1] === times[end - 1]) start -= 1;
    for (let i = start; i < end; i += 1) out.push(activities[i] as Activity);
    end = start;
  }
  return out;
}

/**
 * Each group's activities newest first, as last ordered, by the array the group holds. A group
 * only appends to its array (or replaces it when trimming) and never changes an activity's
 * StartTime, so the order stands while the length does: the loop asks every run.
 */
const orderedByList = new WeakMap<readonly Activity[], { length: number; newestFirst: Activity[] }>();

function newestFirstOf(groups: readonly SimGroup[]): Activity[] {
  const only = groups.length === 1 ? (groups[0] as SimGroup).activities : undefined;
  if (!only) return newestFirst(groups.flatMap((g) => g.activities));
  const known = orderedByList.get(only);
  if (known && known.length === only.length) return known.newestFirst;
  const ordered = newestFirst(only);
  orderedByList.set(only, { length: only.length, newestFirst: ordered });
  return ordered;
}

/** DescribeScalingActivities over `groups`: newest first, at most 100 a page. */
export function describeScalingActivities(
  groups: readonly SimGroup[],
  input: DescribeScalingActivitiesInput,
): unknown {
  let activities = newestFirstOf(groups);
  if (input.ActivityIds?.length)
    activities = activities.filter((a) => input.ActivityIds?.includes(a.ActivityId));
  const { items, next } = page(activities, input.MaxRecords, input.NextToken, 100);
  return { Activities: items.map((a) => ({ ...a })), ...(next ? { NextToken: next } : {}) };
}
