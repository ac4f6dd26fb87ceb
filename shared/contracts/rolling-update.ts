import * as z from 'zod';
import { GROUP_NO_LONGER_EXISTS } from '../core/update-plan/types';
import { instanceWarmupSecondsSchema, refreshAlarmNamesSchema } from './refresh-preference-limits';
import { GROUP_CHANGED_SINCE_PLAN } from './rolling-update-errors';
import { STATE_KEYS } from './state-keys';

export {
  FAILED_BEFORE_ANY_CHANGE,
  GROUP_DELETED_DURING_UPDATE,
  GROUP_NO_LONGER_EXISTS,
  REFRESH_LEFT_RUNNING,
  ROLLED_OUT_ERROR,
} from '../core/update-plan/types';

/**
 * The rolling-update workflow's contracts: the request users, EventBridge rules and other Lambdas
 * start it with, and the pieces of execution state its decision Lambdas read and write. The state
 * machine (infra/constructs/rolling-update-workflow.ts) and the Lambdas share these names.
 */

/** The EventBridge event that asks for a rolling update on Prescale's bus; `detail` is a request. */
export const ROLLING_UPDATE_REQUESTED = {
  source: 'prescale',
  detailType: 'Rolling Update Requested',
} as const;

/** Why a rolling update was requested. Automatic reasons are accepted only when config enables them. */
export const rollingUpdateReasonSchema = z.enum(['manual', 'instance-type-change', 'scheduled-maintenance']);

/**
 * What an update plan's child expects its group to launch from when it starts: the launch template
 * `id` and one of its explicit `versions`.
 */
export const expectedLaunchTemplateSchema = z.strictObject({
  id: z.string().min(1).max(64),
  versions: z.array(z.string().min(1).max(64)).min(1).max(2),
});

/**
 * What a rolling update is started with (execution input, or `detail` of the event). Strict: a
 * misspelt field (`alarmName`) is refused by name, not dropped, since a refresh that silently lost
 * its alarms, deadline or checkpoints would run unwatched.
 */
export const rollingUpdateRequestSchema = z
  .strictObject({
    groupName: z.string().min(1).max(255),
    /** An explicit version number ("7"). `$Latest`/`$Default` are refused: they cannot be rolled back. */
    launchTemplateVersion: z.string().min(1).max(64),
    reason: rollingUpdateReasonSchema.default('manual'),
    /** Start at once, without waiting for a low-load window. */
    force: z.boolean().default(false),
    /** Latest start time (ISO 8601); the workflow ends as Deferred after it. @default now + rollingUpdate.maxWaitHours */
    deadline: z.iso.datetime({ offset: true }).optional(),
    minHealthyPercentage: z.number().int().min(0).max(100).optional(),
    maxHealthyPercentage: z.number().int().min(100).max(200).optional(),
    instanceWarmupSeconds: instanceWarmupSecondsSchema.optional(),
    /** Ascending percentages at which the refresh pauses; the last is 100 (every instance replaced). */
    checkpointPercentages: z
      .array(z.number().int().min(1).max(100))
      .min(1)
      .max(10)
      .refine((a) => a.every((p, i) => i === 0 || p > (a[i - 1] as number)), 'expected ascending percentages')
      .refine((a) => a[a.length - 1] === 100, {
        message: 'expected the last checkpoint to be 100 (a refresh that stops short leaves old instances)',
      })
      .optional(),
    checkpointDelaySeconds: z.number().int().min(0).max(172_800).optional(),
    /** Seconds the refresh waits (`Baking`), alarms watched, after its last replacement. @default rollingUpdate.bakeTimeSeconds */
    bakeTimeSeconds: z.number().int().min(0).max(172_800).optional(),
    /** CloudWatch alarms that fail the refresh; replaces `rollingUpdate.alarmNames`. */
    alarmNames: refreshAlarmNamesSchema.optional(),
    /** Let Auto Scaling roll back on failure where it can. @default true */
    autoRollback: z.boolean().optional(),
    /** Skip instances that already match. @default false (every instance is replaced) */
    skipMatching: z.boolean().optional(),
    pollIntervalSeconds: z.number().int().min(10).max(3600).optional(),
    /** Longest the refresh may run before it is rolled back. @default 3 × the estimate, at least 1 h */
    maxRefreshMinutes: z.number().int().min(5).max(10_080).optional(),
    /** The update plan this update runs under (set by the plan workflow); the plan must hold the group. */
    planExecutionName: z.string().min(1).max(80).optional(),
    /**
     * Set by the plan workflow: the launch template and versions the plan expects the group on. A
     * group on another is refused with `GroupChangedSincePlan`, nothing changed: its owner changed
     * it since the plan was computed or updated it, and the owner's change stands.
     */
    expectedLaunchTemplate: expectedLaunchTemplateSchema.optional(),
  })
  .superRefine((request, ctx) => {
    // Auto Scaling's CheckpointDelay requires CheckpointPercentages: a delay alone would be dropped.
    if (request.checkpointDelaySeconds !== undefined && request.checkpointPercentages === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['checkpointDelaySeconds'],
        message: `expected checkpointPercentages with checkpointDelaySeconds ${request.checkpointDelaySeconds} (the delay is the pause at each checkpoint)`,
      });
    }
    const bakeProblem = bakeOutlastsRefresh(request.bakeTimeSeconds, request.maxRefreshMinutes);
    if (bakeProblem) ctx.addIssue({ code: 'custom', path: ['bakeTimeSeconds'], message: bakeProblem });
  });

/**
 * Why a refresh with `bakeTimeSeconds` of BakeTime cannot end within `maxRefreshMinutes`, if it
 * cannot: the bake follows the last replacement, inside the refresh's allowance, so a bake at least
 * that long always reaches the deadline and is rolled back (`RefreshDeadlinePassed`).
 * `bakeField` names where the bake came from. Undefined when either is unset or the bake is shorter.
 */
export function bakeOutlastsRefresh(
  bakeTimeSeconds: number | undefined,
  maxRefreshMinutes: number | undefined,
  bakeField = 'bakeTimeSeconds',
): string | undefined {
  if (bakeTimeSeconds === undefined || maxRefreshMinutes === undefined) return undefined;
  if (bakeTimeSeconds < maxRefreshMinutes * 60) return undefined;
  return `expected ${bakeField} ${bakeTimeSeconds} shorter than maxRefreshMinutes ${maxRefreshMinutes} (${maxRefreshMinutes * 60} s): the bake follows the last replacement within maxRefreshMinutes, so the refresh would always pass its deadline and be rolled back (RefreshDeadlinePassed)`;
}

/**
 * The key Step Functions adds to a child execution's input to link it to the execution that
 * started it (an update plan's child rolling updates, `associateWithParent`): the workflow's own
 * input, not a field of the request.
 */
export const PARENT_EXECUTION_INPUT_KEY = 'AWS_STEP_FUNCTIONS_STARTED_BY_EXECUTION_ID';

/** The request in a rolling-update execution's input: the input without `PARENT_EXECUTION_INPUT_KEY`. */
export function requestOfExecutionInput(input: unknown): unknown {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) return input;
  const { [PARENT_EXECUTION_INPUT_KEY]: _parent, ...request } = input as Record<string, unknown>;
  return request;
}

/** Auto Scaling refuses MaxHealthyPercentage − MinHealthyPercentage above this. */
export const MAX_HEALTHY_PERCENTAGE_SPREAD = 100;

export type RollingUpdateRequest = z.output<typeof rollingUpdateRequestSchema>;
export type RollingUpdateRequestInput = z.input<typeof rollingUpdateRequestSchema>;

const capacitySchema = z.object({
  minSize: z.number().int().min(0),
  maxSize: z.number().int().min(0),
  desiredCapacity: z.number().int().min(0),
});

/** Refresh preferences in the shape of the StartInstanceRefresh API (passed to it unchanged). */
export const refreshPreferencesSchema = z.object({
  MinHealthyPercentage: z.number().int(),
  MaxHealthyPercentage: z.number().int(),
  InstanceWarmup: z.number().int(),
  SkipMatching: z.boolean(),
  AutoRollback: z.boolean(),
  ScaleInProtectedInstances: z.enum(['Refresh', 'Ignore', 'Wait']).optional(),
  CheckpointPercentages: z.array(z.number().int()).optional(),
  CheckpointDelay: z.number().int().optional(),
  BakeTime: z.number().int().optional(),
  AlarmSpecification: z.object({ Alarms: z.array(z.string()) }).optional(),
});

/** A validated request: everything the later states need, computed once. */
export const validPlanSchema = z.object({
  outcome: z.literal('valid'),
  executionName: z.string().min(1),
  groupName: z.string().min(1),
  reason: rollingUpdateReasonSchema,
  force: z.boolean(),
  targetVersion: z.string().regex(/^\d+$/),
  launchTemplateId: z.string().min(1),
  /** The version the group ran before; explicit when it could be resolved. */
  previousVersion: z.string().optional(),
  /** `native`: DesiredConfiguration; `fallback`: attribute-based selection (see docs/rolling-updates.md). */
  path: z.enum(['native', 'fallback']),
  nativeRollback: z.boolean(),
  /** DesiredConfiguration in the API's shape (native path only). */
  desiredConfiguration: z.record(z.string(), z.unknown()).optional(),
  /** DesiredConfiguration of a refresh back to the previous version (native path, when it is known). */
  revertDesiredConfiguration: z.record(z.string(), z.unknown()).optional(),
  preferences: refreshPreferencesSchema,
  /** Preferences of a refresh back to the previous version. */
  revertPreferences: refreshPreferencesSchema,
  alarmNames: z.array(z.string()),
  pollIntervalSeconds: z.number().int(),
  maxRefreshMinutes: z.number().int().optional(),
  deadlineMs: z.number(),
  /**
   * When the request was validated: the window looks spread over the wait from here. Absent in a
   * plan validated before this field existed (its looks spread over what is left of the wait).
   */
  validatedAtMs: z.number().optional(),
  original: capacitySchema,
  lockPk: z.string(),
  recordPk: z.string(),
  recordSk: z.string(),
  /** TTL of the record, epoch seconds as a string (DynamoDB numbers travel as strings). */
  recordExpiresAt: z.string(),
  notes: z.array(z.string()),
  /** The update plan this execution runs under, when it is a plan's child. */
  planExecutionName: z.string().optional(),
});

/**
 * What "Validate request" returns: a plan, or why the request was refused (nothing was touched).
 * A refusal with `error` ends the run with that Error instead of `RollingUpdateRejected`:
 * `GroupNoLongerExists` when an update plan's child finds its group gone, which the plan computed
 * on (the plan counts the group as deleted, not failed); `GroupChangedSincePlan` when it finds its
 * group on another launch template or version than the plan expects (the plan leaves it alone).
 */
export const validationResultSchema = z.discriminatedUnion('outcome', [
  validPlanSchema,
  z.object({
    outcome: z.literal('rejected'),
    reason: z.string(),
    error: z.enum([GROUP_NO_LONGER_EXISTS, GROUP_CHANGED_SINCE_PLAN]).optional(),
  }),
]);

/**
 * How a deferral's reason begins when a hold (pause tag, refresh in progress, kill switch, …) and
 * not the load deferred it: an update plan reports such a child's reason instead of its own words
 * for a window that never opened.
 */
export const HELD_REASON_PREFIX = 'held: ';

/** A Step Functions error as a Catch stores it. */
export const stepErrorSchema = z.object({ Error: z.string(), Cause: z.string().optional() }).loose();

/**
 * What "Choose update window" returns. Lock fields are strings: DynamoDB numbers travel as
 * strings. `refuse` ends the run as a refusal with `error` (the group was deleted while the update
 * waited): nothing was started, and no lock is held yet.
 */
export const windowResultSchema = z.object({
  decision: z.enum(['proceed', 'wait', 'defer', 'refuse']),
  reason: z.string(),
  error: stepErrorSchema.optional(),
  waitSeconds: z.number().int().min(0),
  durationSeconds: z.number().int().min(0),
  peakLoad: z.number().min(0),
  refreshDeadlineMs: z.number(),
  /**
   * Seconds between looks at the refresh and at a rollback: the plan's `pollIntervalSeconds`,
   * longer when the refresh deadline is so far that the looks would pass the history quota.
   */
  pollIntervalSeconds: z.number().int().min(0),
  lock: z.object({ acquiredAtMs: z.string(), expiresAtMs: z.string(), expiresAt: z.string() }),
  /**
   * A forced start's look-ahead give-back of the group's own MinSize, which the loop kept and the
   * lock has it delete: the restore gives that MinSize back in its place (`planCapacityRestore`).
   */
  keptGiveBack: z.object({ minSize: z.number().int().min(0), atMs: z.number() }).optional(),
});

export const headroomResultSchema = z.object({
  kind: z.enum(['raised', 'unchanged', 'capped']),
  minSize: z.number().int().min(0),
  desiredCapacity: z.number().int().min(0),
  requiredHealthyCapacity: z.number(),
  healthyCapacity: z.number(),
  original: capacitySchema,
  reason: z.string(),
  /**
   * Prescale's look-ahead actions "Plan headroom" deleted: due before the refresh deadline, each
   * would have cut the headroom.
   */
  lookAheadRemoved: z.number().int().min(1).optional(),
  /** The look-ahead's give-back among them, put again (`name`) at `atMs`, once the lock expires. */
  movedGiveBack: z.object({ name: z.string(), atMs: z.number() }).optional(),
});

/** One refresh as DescribeInstanceRefreshes returns it (the fields the workflow reads). */
export const describedRefreshSchema = z
  .object({
    InstanceRefreshId: z.string(),
    Status: z.string(),
    StatusReason: z.string().optional(),
    PercentageComplete: z.number().optional(),
    /** ISO 8601 text, as Step Functions passes an SDK timestamp on. */
    StartTime: z.union([z.string(), z.number()]).nullish(),
    DesiredConfiguration: z.record(z.string(), z.unknown()).nullish(),
    Preferences: z.record(z.string(), z.unknown()).nullish(),
  })
  .loose();

export {
  GROUP_CHANGED_SINCE_PLAN,
  GROUP_CHANGED_SINCE_VALIDATION,
  LAUNCH_TEMPLATE_VERSION_UNUSABLE,
} from './rolling-update-errors';

/**
 * What "Plan headroom" returns, under the lock: the plan rebuilt from the group as it is now and
 * the headroom to add, or why the plan no longer holds (`changed`: the group changed too much for
 * it or no longer exists, or a version it launches or returns to cannot launch), with the Error
 * the run ends with.
 */
export const plannedRefreshSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('planned'), plan: validPlanSchema, headroom: headroomResultSchema }),
  z.object({ kind: z.literal('changed'), error: stepErrorSchema }),
]);

/** What "Check alarms and load" returns; `group-deleted` with `error` ends the run on the group's deletion. */
export const progressResultSchema = z.object({
  verdict: z.enum(['in-progress', 'succeeded', 'needs-headroom', 'problem', 'group-deleted']),
  reason: z.string(),
  raiseTo: z.object({ minSize: z.number().int(), desiredCapacity: z.number().int() }).optional(),
  error: stepErrorSchema.optional(),
});

export const rollbackResultSchema = z.object({
  action: z.enum([
    'none',
    'adopt',
    'adopt-revert',
    'roll-back',
    'cancel',
    'revert',
    'point-back',
    'wait',
    'done',
    'keep',
    'leave',
    'failed',
    'hold',
  ]),
  reason: z.string(),
  needsAttention: z.boolean(),
  /** `adopt` (`adopt-revert`): the refresh (revert) this run's failed start created after all, to watch. */
  refreshId: z.string().optional(),
});

/** The execution state every decision Lambda after validation receives (`$`). */
export const workflowStateSchema = z
  .object({
    plan: validPlanSchema,
    window: windowResultSchema.optional(),
    headroom: headroomResultSchema.optional(),
    /** StartInstanceRefresh's output. */
    refresh: z.object({ InstanceRefreshId: z.string() }).loose().optional(),
    /** The forward refresh as last described. */
    refreshStatus: z.object({ refreshes: z.array(describedRefreshSchema) }).optional(),
    progress: progressResultSchema.optional(),
    /** The workflow's latest headroom raise during the refresh (`Raise headroom`). */
    raised: z.object({ minSize: z.number().int(), desiredCapacity: z.number().int() }).optional(),
    error: stepErrorSchema.optional(),
    rollback: rollbackResultSchema.optional(),
    /** The group's recent refreshes, described by the rollback branch. */
    rollbackRefreshes: z.object({ refreshes: z.array(describedRefreshSchema) }).optional(),
    /**
     * The error a rollback step caught and went on from: a revert start's
     * `InstanceRefreshInProgress`, say, which may be the revert its own first attempt started.
     */
    rollbackError: stepErrorSchema.optional(),
    /** The refresh started to go back to the previous version. */
    revert: z.object({ InstanceRefreshId: z.string() }).loose().optional(),
    /**
     * Set before the fallback path asks to point the group at the target version ("Note group
     * pointed at target"), since the call may take effect and still fail.
     */
    pointedAtTarget: z.object({ pointed: z.literal(true) }).optional(),
    /** Set once the rollback branch pointed it back with no refresh started ("Point group back, no refresh started"). */
    pointedBack: z.object({ pointed: z.literal(true) }).optional(),
  })
  .loose();

/** Input of "Validate request": the raw execution input and the execution's name. */
export const validateRollingUpdateEventSchema = z.object({
  request: z.unknown(),
  executionName: z.string().min(1),
});

export type ValidPlan = z.output<typeof validPlanSchema>;
export type ValidationResult = z.output<typeof validationResultSchema>;
export type WindowResult = z.output<typeof windowResultSchema>;
export type HeadroomResult = z.output<typeof headroomResultSchema>;
export type PlannedRefresh = z.output<typeof plannedRefreshSchema>;
export type ProgressResult = z.output<typeof progressResultSchema>;
export type RollbackResult = z.output<typeof rollbackResultSchema>;
export type WorkflowState = z.output<typeof workflowStateSchema>;
export type RefreshPreferences = z.output<typeof refreshPreferencesSchema>;

/**
 * Input of the daily scheduled-maintenance Lambda (EventBridge Scheduler sends `{}`). Strict: the
 * scan takes no parameter, so a manual invoke with one (`groupNames`) is refused by name instead
 * of scanning, and starting refreshes on, every enrolled group.
 */
export const findScheduledMaintenanceEventSchema = z.strictObject({});

/**
 * State-table keys of rolling-update items: the record of each execution lives beside the group's
 * run records (`GROUP#<name>`), sorted by start time. The lock is `STATE_KEYS.lockSk`.
 */
export const ROLLING_UPDATE_KEYS = {
  recordSk: (startedAtMs: number, executionName: string) =>
    `ROLLOUT#${String(startedAtMs).padStart(15, '0')}#${executionName}`,
  groupPk: STATE_KEYS.groupPk,
  lockSk: STATE_KEYS.lockSk,
} as const;
