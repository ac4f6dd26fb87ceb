import { checkRequest } from '../aws-checks/validate-request';
import { atExpressionUtcMs, isTimeZone } from './scheduler-at-time';
import { SimulatedAwsError, UnsupportedCommandError } from './simulated-aws-error';

// biome-ignore lint/suspicious/noExplicitAny: SDK command inputs, checked against the API model first.
type Input = Record<string, any>;

/** A schedule's target as CreateSchedule takes it (the members Prescale sends, and the rest kept as sent). */
export interface ScheduleTarget {
  readonly Arn: string;
  readonly RoleArn: string;
  readonly Input?: string;
  readonly RetryPolicy?: {
    readonly MaximumRetryAttempts?: number;
    readonly MaximumEventAgeInSeconds?: number;
  };
  readonly DeadLetterConfig?: { readonly Arn?: string };
}

/** One schedule as the simulated Scheduler keeps it: every field of its last Create or Update. */
export interface SimulatedSchedule {
  readonly groupName: string;
  readonly name: string;
  readonly arn: string;
  readonly scheduleExpression: string;
  /** Default `UTC`. */
  readonly scheduleExpressionTimezone: string;
  readonly description?: string;
  readonly flexibleTimeWindow: { readonly Mode: string; readonly MaximumWindowInMinutes?: number };
  /** `NONE` (the default) or `DELETE`. */
  readonly actionAfterCompletion: string;
  /** `ENABLED` (the default) or `DISABLED`. */
  readonly state: string;
  readonly target: ScheduleTarget;
  /** When an `at()` schedule is due (UTC ms); absent for rate() and cron(). */
  readonly dueAtMs?: number;
  readonly createdMs: number;
  readonly modifiedMs: number;
}

/** A target invocation by a schedule that came due on the world's clock. */
export interface ScheduleInvocation {
  readonly groupName: string;
  readonly scheduleName: string;
  readonly targetArn: string;
  /** `Target.Input`, as the target receives it (its event). */
  readonly input?: string;
  /** When the schedule invoked its target: the start of its `at()` time's minute (`firesAtMs`), UTC ms. */
  readonly invokedAtMs: number;
}

/** The group every account has: "Your AWS account comes with a default scheduler group" (AWS::Scheduler::ScheduleGroup). */
export const DEFAULT_SCHEDULE_GROUP = 'default';

/**
 * EventBridge Scheduler's schedules in one world, refusing what Scheduler refuses:
 * - a request the API model refuses (`checkRequest`: members, lengths, patterns, enums, and the
 *   expression forms at()/rate()/cron()): `ValidationException`;
 * - `ScheduleExpressionTimezone` that is not a time zone: `ValidationException` (the zone is
 *   where "the scheduling expression is evaluated"; the refusal's wording is not documented);
 * - a schedule in a group that does not exist, on any call: `ResourceNotFoundException`, "The
 *   request references a resource which does not exist." (each call's Errors); a schedule's
 *   group is "the default schedule group" when `GroupName` is omitted (DeleteSchedule,
 *   `GroupName`);
 * - CreateSchedule of a name its group already has: `ConflictException`;
 * - UpdateSchedule, DeleteSchedule, GetSchedule of a schedule that does not exist:
 *   `ResourceNotFoundException` ("Schedule <name> does not exist.", the message AWS returns).
 * UpdateSchedule replaces the whole definition: Scheduler "uses all values, including empty
 * values, specified in the request and overrides the existing schedule" (UpdateSchedule).
 *
 * On the world's clock an enabled one-time `at()` schedule invokes its target once (recorded in
 * `invocations`, for a test or scenario to deliver) at the earliest moment Scheduler may: "All
 * schedule types on EventBridge Scheduler invoke their targets with 60 second precision. This
 * means that if you set your schedule to run at 1:00, it will invoke the target API between
 * 1:00:00 and 1:00:59" (Schedule types in EventBridge Scheduler), so a schedule set at 1:00:30
 * fires at 1:00:00, before its time (`firesAtMs`; until 2026-12-07 at its time, which hid a release
 * set within a campaign's last minute firing before the end). With
 * `ActionAfterCompletion: DELETE`, is then deleted: "For one-time schedules, this occurs after
 * the schedule has invoked its target once" (Deleting a schedule in EventBridge Scheduler).
 * Recurring rate()/cron() schedules are kept but never fire here: nothing Prescale creates at
 * run time is recurring.
 */
export class SimulatedScheduler {
  private readonly groups = new Map<string, Map<string, SimulatedSchedule>>([
    [DEFAULT_SCHEDULE_GROUP, new Map()],
  ]);
  private readonly fired: ScheduleInvocation[] = [];
  /** Schedules that fired and were kept (`ActionAfterCompletion: NONE`), so they fire once. */
  private readonly completed = new WeakSet<SimulatedSchedule>();

  constructor(
    private readonly world: { readonly region: string; readonly account: string; nowMs(): number },
  ) {}

  /** Creates a schedule group (as the stack's `AWS::Scheduler::ScheduleGroup` does); existing: unchanged. */
  createScheduleGroup(name: string): void {
    if (!this.groups.has(name)) this.groups.set(name, new Map());
  }

  /** The group's schedules as they are now (after any that came due fired), by name. */
  schedules(groupName: string = DEFAULT_SCHEDULE_GROUP): readonly SimulatedSchedule[] {
    this.fireDue();
    return [...(this.groups.get(groupName)?.values() ?? [])];
  }

  /** Every target invocation so far, oldest first. */
  invocations(): readonly ScheduleInvocation[] {
    this.fireDue();
    return [...this.fired];
  }

  /** Answers one Scheduler command. */
  answer(commandName: string, input: Input): unknown {
    const refusal = checkRequest('scheduler', commandName, input);
    if (refusal) throw new SimulatedAwsError(refusal.code, refusal.message);
    this.fireDue();
    switch (commandName) {
      case 'CreateScheduleCommand':
        return this.put(input, 'create');
      case 'UpdateScheduleCommand':
        return this.put(input, 'update');
      case 'DeleteScheduleCommand': {
        const schedule = this.existing(input);
        this.groups.get(schedule.groupName)?.delete(schedule.name);
        return {};
      }
      case 'GetScheduleCommand':
        return describe(this.existing(input));
      default:
        throw new UnsupportedCommandError('scheduler', commandName);
    }
  }

  /** CreateSchedule (a new name) or UpdateSchedule (an existing one, replaced whole). */
  private put(i: Input, mode: 'create' | 'update'): unknown {
    const group = this.group(i.GroupName);
    const name = String(i.Name);
    const existing = group.get(name);
    if (mode === 'create' && existing)
      throw new SimulatedAwsError('ConflictException', `Schedule ${name} already exists.`, 409);
    if (mode === 'update' && !existing) throw notFound(name);
    const timezone = String(i.ScheduleExpressionTimezone ?? 'UTC');
    if (!isTimeZone(timezone))
      throw new SimulatedAwsError(
        'ValidationException',
        `ScheduleExpressionTimezone: expected an IANA time zone name (e.g. UTC, America/New_York), got ${timezone}`,
      );
    const expression = String(i.ScheduleExpression);
    const dueAtMs = atExpressionUtcMs(expression, timezone);
    const nowMs = this.world.nowMs();
    const groupName = String(i.GroupName ?? DEFAULT_SCHEDULE_GROUP);
    const schedule: SimulatedSchedule = {
      groupName,
      name,
      arn: `arn:aws:scheduler:${this.world.region}:${this.world.account}:schedule/${groupName}/${name}`,
      scheduleExpression: expression,
      scheduleExpressionTimezone: timezone,
      ...(i.Description !== undefined ? { description: String(i.Description) } : {}),
      flexibleTimeWindow: i.FlexibleTimeWindow,
      actionAfterCompletion: String(i.ActionAfterCompletion ?? 'NONE'),
      state: String(i.State ?? 'ENABLED'),
      target: i.Target,
      ...(dueAtMs !== undefined ? { dueAtMs } : {}),
      createdMs: existing?.createdMs ?? nowMs,
      modifiedMs: nowMs,
    };
    group.set(name, schedule);
    return { ScheduleArn: schedule.arn };
  }

  /** The schedule the request names. @throws ResourceNotFoundException when it or its group does not exist. */
  private existing(i: Input): SimulatedSchedule {
    const schedule = this.group(i.GroupName).get(String(i.Name));
    if (!schedule) throw notFound(String(i.Name));
    return schedule;
  }

  /** The request's group (`default` when omitted). @throws ResourceNotFoundException when it does not exist. */
  private group(groupName: unknown): Map<string, SimulatedSchedule> {
    const name = String(groupName ?? DEFAULT_SCHEDULE_GROUP);
    const group = this.groups.get(name);
    if (!group)
      throw new SimulatedAwsError('ResourceNotFoundException', `Schedule group ${name} does not exist.`, 404);
    return group;
  }

  /** Fires every enabled one-time schedule whose minute has come, in time order; deletes those set to DELETE. */
  private fireDue(): void {
    const nowMs = this.world.nowMs();
    const due = [...this.groups.values()]
      .flatMap((group) => [...group.values()])
      .filter((s) => s.state === 'ENABLED' && !this.completed.has(s) && (firesAtMs(s) ?? Infinity) <= nowMs)
      .sort((a, b) => (firesAtMs(a) as number) - (firesAtMs(b) as number));
    for (const s of due) {
      this.fired.push({
        groupName: s.groupName,
        scheduleName: s.name,
        targetArn: s.target.Arn,
        ...(s.target.Input !== undefined ? { input: s.target.Input } : {}),
        invokedAtMs: firesAtMs(s) as number,
      });
      if (s.actionAfterCompletion === 'DELETE') this.groups.get(s.groupName)?.delete(s.name);
      else this.completed.add(s);
    }
  }
}

/** When a one-time schedule fires: the start of its due minute, the earliest of Scheduler's 60 s precision. */
function firesAtMs(s: SimulatedSchedule): number | undefined {
  return s.dueAtMs === undefined ? undefined : Math.floor(s.dueAtMs / 60_000) * 60_000;
}

const notFound = (name: string) =>
  new SimulatedAwsError('ResourceNotFoundException', `Schedule ${name} does not exist.`, 404);

/** GetSchedule's answer (API reference, GetSchedule response elements). */
function describe(s: SimulatedSchedule): unknown {
  return {
    Arn: s.arn,
    GroupName: s.groupName,
    Name: s.name,
    ScheduleExpression: s.scheduleExpression,
    ScheduleExpressionTimezone: s.scheduleExpressionTimezone,
    ...(s.description !== undefined ? { Description: s.description } : {}),
    FlexibleTimeWindow: s.flexibleTimeWindow,
    ActionAfterCompletion: s.actionAfterCompletion,
    State: s.state,
    Target: s.target,
    CreationDate: new Date(s.createdMs),
    LastModificationDate: new Date(s.modifiedMs),
  };
}
