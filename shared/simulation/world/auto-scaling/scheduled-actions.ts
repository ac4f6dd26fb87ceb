import { type CronSchedule, cronMatches, cronSchedule } from '../../../core/planning/cron-schedule';
import { SimulatedAwsError } from '../simulated-aws-error';
import type { AutoScalingContext } from './auto-scaling-context';
import { autoScalingFault } from './auto-scaling-fault';
import { ACCOUNT, type ScheduledAction, type SimGroup } from './group-state';
import { applyCapacity } from './instance-lifecycle';
import { recordActivity } from './scaling-activities';

/** AWS's quota of scheduled actions per Auto Scaling group. */
const SCHEDULED_ACTIONS_PER_GROUP = 125;
/** Batch scheduled-action calls take at most this many actions. */
const SCHEDULED_ACTIONS_PER_BATCH = 50;
/** The API model's pattern for XmlStringMaxLen255 (surrogate pairs are allowed by `u`). */
const SCHEDULED_ACTION_NAME = /^[\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}\r\n\t]{1,255}$/u;
export const MINUTE_MS = 60_000;

const toMs = (t: unknown): number =>
  t instanceof Date ? t.getTime() : t === undefined ? Number.NaN : new Date(t as string).getTime();

/** One scheduled action as PutScheduledUpdateGroupAction and the batch put send it. */
export interface ScheduledActionInput {
  ScheduledActionName?: string;
  StartTime?: Date;
  EndTime?: Date;
  Time?: Date;
  Recurrence?: string;
  MinSize?: number;
  MaxSize?: number;
  DesiredCapacity?: number;
  TimeZone?: string;
}

/** A failed member of a batch scheduled-action call. */
interface FailedAction {
  ScheduledActionName?: string;
  ErrorCode: string;
  ErrorMessage: string;
}

function batchSizeCheck(member: string, count: number): void {
  if (count < 1 || count > SCHEDULED_ACTIONS_PER_BATCH) {
    throw new SimulatedAwsError(
      'ValidationError',
      `1 validation error detected: Value at '${member}' failed to satisfy constraint: Member must have length between 1 and ${SCHEDULED_ACTIONS_PER_BATCH} (got ${count})`,
    );
  }
}

/** The action's name, validated; @throws SimulatedAwsError ValidationError or LimitExceeded (a new name past the quota). */
function checkedName(group: SimGroup, name: string | undefined): string {
  if (!name) throw new SimulatedAwsError('ValidationError', 'ScheduledActionName is required.');
  if (name.length > 255 || !SCHEDULED_ACTION_NAME.test(name)) {
    throw new SimulatedAwsError(
      'ValidationError',
      `ScheduledActionName must be 1–255 characters of [\\u0020-\\uD7FF\\uE000-\\uFFFD\\r\\n\\t]; got "${name.slice(0, 40)}"`,
    );
  }
  if (!group.scheduled.has(name) && group.scheduled.size >= SCHEDULED_ACTIONS_PER_GROUP) {
    throw autoScalingFault(
      'LimitExceeded',
      `Maximum number of scheduled actions per group (${SCHEDULED_ACTIONS_PER_GROUP}) reached for group ${group.spec.name}`,
    );
  }
  return name;
}

/** The parsed Recurrence, if any. @throws SimulatedAwsError ValidationError when it is not a valid cron expression. */
function checkedCron(recurrence: string | undefined): CronSchedule | undefined {
  if (!recurrence) return undefined;
  try {
    return cronSchedule(recurrence);
  } catch (error) {
    throw new SimulatedAwsError(
      'ValidationError',
      `Invalid Recurrence "${recurrence}": ${(error as Error).message}`,
    );
  }
}

/**
 * The sizes the action itself sets, checked against each other as AWS checks them at put (the
 * group's own sizes are not compared: they may differ by the time the action runs).
 * @throws SimulatedAwsError ValidationError
 */
function checkOwnSizes({ MinSize: min, MaxSize: max, DesiredCapacity: desired }: ScheduledActionInput): void {
  if (min !== undefined && max !== undefined && min > max)
    throw new SimulatedAwsError(
      'ValidationError',
      `Max bound, ${max}, must be greater than or equal to min bound, ${min}`,
    );
  if (desired !== undefined && min !== undefined && desired < min)
    throw new SimulatedAwsError(
      'ValidationError',
      'Desired capacity must be greater than or equal to min size',
    );
  if (desired !== undefined && max !== undefined && desired > max)
    throw new SimulatedAwsError('ValidationError', 'Desired capacity must be less than or equal to max size');
}

/** What a put may change on an action: everything but its name and ARN. */
type ActionFields = Omit<ScheduledAction, 'name' | 'arn'>;

/**
 * The fields the request specifies, checked: at least one size, sizes that agree, a UTC time
 * zone, no past start, a valid cron. @throws SimulatedAwsError ValidationError
 */
function requestedFields(ctx: AutoScalingContext, input: ScheduledActionInput): ActionFields {
  if (input.MinSize === undefined && input.MaxSize === undefined && input.DesiredCapacity === undefined) {
    throw new SimulatedAwsError(
      'ValidationError',
      'At least one of MinSize, MaxSize or DesiredCapacity must be specified.',
    );
  }
  checkOwnSizes(input);
  if (input.TimeZone && !['UTC', 'Etc/UTC', 'GMT'].includes(input.TimeZone)) {
    throw new SimulatedAwsError(
      'ValidationError',
      `The simulation evaluates schedules in UTC only; got TimeZone ${input.TimeZone}`,
    );
  }
  const startMs = toMs(input.StartTime ?? input.Time);
  const endMs = toMs(input.EndTime);
  // "If you try to schedule the action in the past, Amazon EC2 Auto Scaling returns an error
  // message" (StartTime), whether or not the action recurs.
  if (startMs < ctx.nowMs) throw new SimulatedAwsError('ValidationError', 'Given start time is in the past.');
  const cron = checkedCron(input.Recurrence);
  return {
    ...(Number.isFinite(startMs) ? { startMs } : {}),
    ...(Number.isFinite(endMs) ? { endMs } : {}),
    ...(input.Recurrence && cron ? { recurrence: input.Recurrence, cron } : {}),
    ...(input.MinSize !== undefined ? { minSize: input.MinSize } : {}),
    ...(input.MaxSize !== undefined ? { maxSize: input.MaxSize } : {}),
    ...(input.DesiredCapacity !== undefined ? { desiredCapacity: input.DesiredCapacity } : {}),
  };
}

export const minuteOf = (ms: number): number => Math.floor(ms / MINUTE_MS) * MINUTE_MS;

/** Whether `action` runs (or starts) in the minute `m`: its start, or any minute its cron matches. */
function holdsMinute(action: Pick<ScheduledAction, 'startMs' | 'cron'>, m: number): boolean {
  return (
    (action.startMs !== undefined && minuteOf(action.startMs) === m) ||
    (!!action.cron && cronMatches(action.cron, m))
  );
}

/**
 * "A scheduled action must have a unique time value" (user guide, scheduled scaling limitations):
 * a put whose start another action of the group (by another name) already holds is refused with
 * AlreadyExists. Compared by the minute, and a recurring action holds every minute it runs:
 * AWS describes its next run as its start time, so this refuses at least what AWS may refuse.
 * @throws SimulatedAwsError AlreadyExists
 */
function checkUniqueTime(
  group: SimGroup,
  name: string,
  startMs: number,
  cron: CronSchedule | undefined,
): void {
  for (const other of group.scheduled.values()) {
    if (other.name === name) continue;
    const clash =
      (Number.isFinite(startMs) && holdsMinute(other, minuteOf(startMs))) ||
      (other.startMs !== undefined &&
        holdsMinute(
          { ...(Number.isFinite(startMs) ? { startMs } : {}), ...(cron ? { cron } : {}) },
          minuteOf(other.startMs),
        ));
    if (clash) {
      throw autoScalingFault(
        'AlreadyExists',
        `Scheduled action with this scheduled start time already exists: ${other.name} on group ${group.spec.name}`,
      );
    }
  }
}

/**
 * PutScheduledUpdateGroupAction: creates an action of the group, evaluated in UTC, or updates the
 * one it holds under the name. An update changes only what the request specifies: "If you leave a
 * parameter unspecified when updating a scheduled scaling action, the corresponding value remains
 * unchanged" (the API reference of PutScheduledUpdateGroupAction and of the batch put, as the SDKs'
 * API models carried it; the current pages no longer say it either way). Kept here as the harder
 * of the two readings: a caller that relied on a put clearing a field would leave stale sizes on
 * AWS, so no put clears one here either; only deleting the action does.
 * @throws SimulatedAwsError ValidationError (bad name, no size, non-UTC zone, past start, no start
 * nor cron left, bad cron), LimitExceeded (a new action past the group's 125) or AlreadyExists
 * (another action holds its start time, `checkUniqueTime`).
 */
export function putScheduledAction(
  ctx: AutoScalingContext,
  group: SimGroup,
  input: ScheduledActionInput,
): void {
  const name = checkedName(group, input.ScheduledActionName);
  const action: ActionFields = { ...group.scheduled.get(name), ...requestedFields(ctx, input) };
  if (action.startMs === undefined && !action.recurrence) {
    throw new SimulatedAwsError('ValidationError', 'Either StartTime or Recurrence must be specified.');
  }
  checkUniqueTime(group, name, action.startMs ?? Number.NaN, action.cron);
  group.scheduled.set(name, {
    ...action,
    name,
    arn: `arn:aws:autoscaling:${ctx.region}:${ACCOUNT}:scheduledUpdateGroupAction:${ctx.uuid()}:autoScalingGroupName/${group.spec.name}:scheduledActionName/${name}`,
  });
}

/**
 * BatchPutScheduledUpdateGroupAction: each action validated and written as `putScheduledAction`
 * does (an update keeps what it leaves out); a refused one comes back in
 * `FailedScheduledUpdateGroupActions` while the others are created or updated.
 * @throws SimulatedAwsError ValidationError outside 1–50 actions.
 */
export function batchPutScheduledActions(
  ctx: AutoScalingContext,
  group: SimGroup,
  actions: readonly ScheduledActionInput[],
): unknown {
  batchSizeCheck('ScheduledUpdateGroupActions', actions.length);
  const failed: FailedAction[] = [];
  for (const action of actions) {
    try {
      putScheduledAction(ctx, group, action);
    } catch (error) {
      failed.push({
        ...(action.ScheduledActionName !== undefined
          ? { ScheduledActionName: action.ScheduledActionName }
          : {}),
        // The code Auto Scaling answers, not the SDK's class name for it.
        ErrorCode: error instanceof SimulatedAwsError ? error.Code : (error as Error).name,
        ErrorMessage: (error as Error).message,
      });
    }
  }
  return { FailedScheduledUpdateGroupActions: failed };
}

/** DeleteScheduledAction. @throws SimulatedAwsError ValidationError when the group has no such action. */
export function deleteScheduledAction(group: SimGroup, name: string | undefined): void {
  if (!name || !group.scheduled.delete(name)) {
    throw new SimulatedAwsError('ValidationError', `Scheduled action name not found - ${name}`);
  }
}

/**
 * BatchDeleteScheduledAction: a name the group does not have comes back in
 * `FailedScheduledActions` while the others are deleted.
 * @throws SimulatedAwsError ValidationError outside 1–50 names.
 */
export function batchDeleteScheduledActions(group: SimGroup, names: readonly string[]): unknown {
  batchSizeCheck('ScheduledActionNames', names.length);
  const failed: FailedAction[] = [];
  for (const name of names) {
    try {
      deleteScheduledAction(group, name);
    } catch (error) {
      failed.push({
        ScheduledActionName: name,
        // The code Auto Scaling answers, not the SDK's class name for it.
        ErrorCode: error instanceof SimulatedAwsError ? error.Code : (error as Error).name,
        ErrorMessage: (error as Error).message,
      });
    }
  }
  return { FailedScheduledActions: failed };
}

/**
 * Fires the group's actions due on each whole minute since the last check up to `nowMs`; a
 * one-time action is then forgotten. An action AWS would refuse leaves a Failed activity. While
 * ScheduledActions is suspended none fires, and one due then never does: "Amazon EC2 Auto Scaling
 * does not execute scaling actions that are scheduled to run during the suspension period. When
 * you resume ScheduledActions, Amazon EC2 Auto Scaling only considers scheduled actions whose
 * execution time has not yet passed" (the user guide's "Suspend and resume processes").
 */
export function runScheduledActions(ctx: AutoScalingContext, group: SimGroup, nowMs: number): void {
  const lastMinute = Math.floor(nowMs / MINUTE_MS) * MINUTE_MS;
  for (let m = group.lastScheduleCheckMs + MINUTE_MS; m <= lastMinute; m += MINUTE_MS) {
    const suspended = group.suspended.has('ScheduledActions');
    for (const action of [...group.scheduled.values()]) {
      if (isDue(group, action, m) && !suspended) fire(ctx, group, action, m);
    }
  }
  group.lastScheduleCheckMs = Math.max(group.lastScheduleCheckMs, lastMinute);
}

/**
 * Whether the action fires at minute `m`; a due one-time action is removed from the group. A
 * recurring one runs at its StartTime, then on its cron until its EndTime ("performs the action at
 * this time, and then performs the action based on the specified recurrence").
 */
function isDue(group: SimGroup, action: ScheduledAction, m: number): boolean {
  if (action.cron) return runsAt(action, action.cron, m);
  const due = action.startMs !== undefined && action.startMs <= m;
  if (due) group.scheduled.delete(action.name);
  return due;
}

/** Whether a recurring action runs at minute `m`: its StartTime's minute, or its cron's after that, to its EndTime. */
export function runsAt(action: ScheduledAction, cron: CronSchedule, m: number): boolean {
  if (action.endMs !== undefined && m > action.endMs) return false;
  if (action.startMs === undefined) return cronMatches(cron, m);
  return m === minuteOf(action.startMs) || (m > action.startMs && cronMatches(cron, m));
}

function fire(ctx: AutoScalingContext, group: SimGroup, action: ScheduledAction, m: number): void {
  const cause = `a scheduled action update of AutoScalingGroup constraints to min: ${action.minSize ?? group.minSize}, max: ${action.maxSize ?? group.maxSize}, desired: ${action.desiredCapacity ?? group.desiredCapacity} (scheduled action ${action.name})`;
  try {
    applyCapacity(
      ctx,
      group,
      { min: action.minSize, max: action.maxSize, desired: action.desiredCapacity },
      cause,
    );
  } catch (error) {
    group.failedScheduledActions.push({ name: action.name, firedAtMs: m, message: (error as Error).message });
    recordActivity(ctx, group, {
      Description: `Executing scheduled action ${action.name}`,
      Cause: cause,
      StatusCode: 'Failed',
      StatusMessage: (error as Error).message,
      startMs: m,
      endMs: m,
    });
  }
}
