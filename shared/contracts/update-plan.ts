import * as z from 'zod';
import { planCalendarSchema } from './plan-calendar';
import { planDiscoverySchema } from './plan-discovery';
import { expectedLaunchTemplateSchema, stepErrorSchema } from './rolling-update';
import { STATE_KEYS } from './state-keys';

/**
 * The update-plan workflow's contracts: the request that asks for a rolling update of several
 * dependent groups, the plan the planning Lambda computes, and the steps the parent state machine
 * (infra/constructs/update-plan-workflow.ts) takes. See docs/rolling-updates.md.
 */

/** The EventBridge event that asks for a multi-group update plan; `detail` is a plan request. */
export const ROLLING_UPDATE_PLAN_REQUESTED = {
  source: 'prescale',
  detailType: 'Rolling Update Plan Requested',
} as const;

/** The EventBridge event that cancels a running plan; `detail` is a cancel request. */
export const ROLLING_UPDATE_PLAN_CANCEL_REQUESTED = {
  source: 'prescale',
  detailType: 'Rolling Update Plan Cancel Requested',
} as const;

const explicitVersion = z
  .string()
  .regex(
    /^\d+$/,
    'expected an explicit launch template version number such as "7" ($Latest/$Default cannot be rolled back)',
  );

/** What a plan is started with (execution input, or `detail` of the event); strict, a misspelt field is refused by name. */
export const updatePlanRequestSchema = z.strictObject({
  /** The groups to update, each once, with the version each moves to. */
  groups: z
    .array(z.strictObject({ groupName: z.string().min(1).max(255), launchTemplateVersion: explicitVersion }))
    .min(1)
    .max(10)
    .refine((g) => new Set(g.map((x) => x.groupName)).size === g.length, 'expected each group once'),
  /** Every slot must end by then (ISO 8601). @default now + rollingUpdate.maxWaitHours */
  deadline: z.iso.datetime({ offset: true }).optional(),
  /** Length of one slot, in minutes; at least each group's estimated refresh. @default 60 */
  slotMinutes: z.number().int().min(15).max(1440).default(60),
  /** Most groups updating in one slot; never above `rollingUpdate.planMaxConcurrentUpdates`. */
  maxConcurrentUpdates: z.number().int().min(1).max(10).optional(),
});

/** Slots run from now to at most this far ahead (48 h, the forecast engine's reach), in ms. */
export const MAX_PLAN_HORIZON_MS = 48 * 3_600_000;

export type UpdatePlanRequest = z.output<typeof updatePlanRequestSchema>;
export type UpdatePlanRequestInput = z.input<typeof updatePlanRequestSchema>;

/** Input of the child rolling-update execution for one group (the rolling-update request fields). */
export const planChildInputSchema = z.object({
  groupName: z.string(),
  launchTemplateVersion: z.string(),
  reason: z.literal('manual'),
  /** Undo runs at once; forward updates wait for low load within their slot. */
  force: z.boolean(),
  /**
   * Undo replaces only the instances not on the previous version, so reverting a group that was
   * never updated (its outcome unknown to a failed decision) replaces nothing; forward updates
   * replace every instance, as a rolling update does by default.
   */
  skipMatching: z.boolean(),
  /** The slot's end (forward) or the undo's latest start. */
  deadline: z.string(),
  /** The plan execution holding the group's plan lock. */
  planExecutionName: z.string(),
  /** The launch template and versions the child expects to find on its group (else `GroupChangedSincePlan`). */
  expectedLaunchTemplate: expectedLaunchTemplateSchema.optional(),
});

/** One group's child execution in a slot or in the undo. */
export const planChildSchema = z.object({
  groupName: z.string(),
  /** "Slot 2: update api" or "Undo slot 1: web": how the plan reads in the execution history. */
  label: z.string(),
  /** Name of the child rolling-update execution, e.g. `plan-…-s2-api`. */
  childName: z.string(),
  slotIndex: z.number().int().min(0),
  input: planChildInputSchema,
});

export const planSlotSchema = z.object({
  slotIndex: z.number().int().min(0),
  /** "Slot 2 of 3: update api, db" */
  label: z.string(),
  startMs: z.number(),
  endMs: z.number(),
  groups: z.array(planChildSchema),
});

/** A slot a group did not take, and why (from the planner). */
export const rejectedAlternativeSchema = z.object({
  groupName: z.string(),
  slotIndex: z.number().int(),
  reasons: z.array(z.string()),
});

/** A computed plan, ready to run. */
export const plannedUpdateSchema = z.object({
  outcome: z.literal('planned'),
  planName: z.string(),
  /**
   * Every updating group with its target, the version to go back to and the launch template both
   * are versions of (optional: a plan computed before 2026-12-07, still running when this
   * deployment was upgraded, has none, and its children expect nothing).
   */
  groups: z.array(
    z.object({
      groupName: z.string(),
      targetVersion: z.string(),
      previousVersion: z.string(),
      launchTemplateId: z.string().optional(),
    }),
  ),
  /** Only slots where something updates, in time order. */
  slots: z.array(planSlotSchema),
  /** Upstream first (the dependency graph's topological order). */
  order: z.array(z.string()),
  rejected: z.array(rejectedAlternativeSchema),
  headroomCostUsd: z.number(),
  warnings: z.array(z.string()),
  /** The plan in words, one line per slot. */
  summary: z.array(z.string()),
  /** Plan locks expire then (epoch ms, as a string for DynamoDB), after the last slot and its undo. */
  lockExpiresAtMs: z.number(),
  /** TTL of the plan record, epoch seconds as a string. */
  recordExpiresAt: z.string(),
  recordPk: z.string(),
});

/** What "Compute plan" returns: a plan, or why none fits (nothing was touched). */
export const computedUpdatePlanSchema = z.discriminatedUnion('outcome', [
  plannedUpdateSchema,
  z.object({ outcome: z.literal('refused'), reason: z.string(), reasons: z.array(z.string()) }),
]);

export type PlannedUpdate = z.output<typeof plannedUpdateSchema>;
export type ComputedUpdatePlan = z.output<typeof computedUpdatePlanSchema>;
export type PlanChild = z.output<typeof planChildSchema>;
export type PlanSlot = z.output<typeof planSlotSchema>;

/** What "Lock plan groups" returns. */
export const planLockResultSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('locked'), groupNames: z.array(z.string()) }),
  z.object({ kind: z.literal('conflict'), reason: z.string() }),
]);
export type PlanLockResult = z.output<typeof planLockResultSchema>;

/** One child's outcome, as the Map iteration reports it. */
export const childOutcomeSchema = z.object({
  groupName: z.string(),
  label: z.string(),
  childName: z.string(),
  slotIndex: z.number().int(),
  status: z.enum(['Succeeded', 'Deferred', 'Failed']),
  /** The child execution, for the console link (absent when it failed to start). */
  executionArn: z.string().optional(),
  /** The child's `reason`, or the error's Cause. */
  detail: z.string().optional(),
  error: z.string().optional(),
});
export type ChildOutcome = z.output<typeof childOutcomeSchema>;

/** One group's child execution, as the plan's progress records it. */
const planGroupRunSchema = z.object({
  groupName: z.string(),
  slotIndex: z.number().int(),
  childName: z.string(),
});

/** What the plan has done so far. */
export const planProgressSchema = z.object({
  /** Index into `slots` of the next slot to run. */
  nextSlot: z.number().int().min(0),
  /** Groups updated by this plan, in the order they finished. */
  updated: z.array(planGroupRunSchema),
  /**
   * Groups their owner deleted while the plan ran: not updated, nothing to undo. Absent from a
   * step decided before this field existed (a plan running across a deployment): none.
   */
  deleted: z.array(planGroupRunSchema).default([]),
  /**
   * Groups whose update left a refresh running (`RefreshLeftRunning`): neither updated nor undone,
   * they need attention. Absent from a step decided before this field existed: none.
   */
  leftRunning: z.array(planGroupRunSchema).default([]),
  /** What happened, one line per event, for the output. */
  log: z.array(z.string()),
});
export type PlanProgress = z.output<typeof planProgressSchema>;

/** What "Decide next plan step" returns. */
export const planStepSchema = z.object({
  action: z.enum(['wait', 'run-slot', 'undo', 'done', 'fail']),
  /** "Slot 2 of 3: update api", "Undo slot 1: web", "Wait for slot 1": the step in words. */
  label: z.string(),
  waitSeconds: z.number().int().min(0),
  /** The children to run now: a slot's updates, or the undo's reverts (reverse dependency order). */
  children: z.array(planChildSchema),
  progress: planProgressSchema,
  /** Why the plan is being undone, or failed (`undo`, `fail`). */
  error: z.string().optional(),
  cause: z.string().optional(),
  /** The undo the state machine runs if the next decision fails (`wait`, `run-slot`). */
  fallback: z.object({ label: z.string(), children: z.array(planChildSchema) }).optional(),
});
export type PlanStep = z.output<typeof planStepSchema>;

/** Input of "Decide next plan step": the plan, the last step, and what its children did. */
export const advanceUpdatePlanEventSchema = z.object({
  plan: plannedUpdateSchema,
  /**
   * The step just taken, with what its children did (`results`). The Map writes them into the
   * step, so the decision's output, which replaces the step, no longer carries them: a slot's
   * failure causes are in the state once, not beside the new step that repeats them.
   */
  step: planStepSchema.extend({ results: z.array(childOutcomeSchema).optional() }).optional(),
  /** A task error caught on the way (the Map or a Lambda failed): undo. */
  error: stepErrorSchema.optional(),
});
export type AdvanceUpdatePlanEvent = z.output<typeof advanceUpdatePlanEventSchema>;

/**
 * Input of "Cut group report" and "Cut revert report" (run by the same function as "Decide next
 * plan step"): one child's outcome, its detail uncut. The function returns the detail cut.
 */
export const cutChildDetailEventSchema = z.object({ report: childOutcomeSchema });

/** Either input of the `advance-update-plan` function. */
export const advanceUpdatePlanFunctionEventSchema = z.union([
  cutChildDetailEventSchema,
  advanceUpdatePlanEventSchema,
]);

export { CHILD_DETAIL_NOT_CUT } from '../core/update-plan/types';

/**
 * Input of "Compute plan": the raw execution input (`$$.Execution.Input`, the plan request as sent,
 * without what the workflow read) and the execution's name.
 */
export const computeUpdatePlanEventSchema = z.object({
  request: z.unknown(),
  executionName: z.string().min(1),
  /**
   * With X-Ray discovery on, the output of "Read discovered dependencies" (Lambda
   * `read-plan-discovery`): the stored discovery's edges among the plan's groups; absent otherwise.
   */
  discovery: planDiscoverySchema.optional(),
  /** The output of "Read campaign calendar": the campaigns the plan's forecasts are raised by. */
  calendar: planCalendarSchema,
});

/** Input of "Lock plan groups" and "Release plan locks". */
export const planLockEventSchema = z.object({ plan: plannedUpdateSchema });

/** What a cancel asks for; strict, so a misspelt `planExecutionName` is named, not reported missing. */
export const updatePlanCancelSchema = z.strictObject({
  planExecutionName: z.string().min(1).max(80),
  reason: z.string().min(1).max(500).default('cancelled by an operator'),
});

export type UpdatePlanCancel = z.output<typeof updatePlanCancelSchema>;

/**
 * State-table keys of plans: each member group's plan lock (`GROUP#<name>` / `PLAN`, beside the
 * group's `LOCK`, which the scaling loop and single-group updates use), and the plan's record
 * (`PLAN#<execution name>` / `RECORD`) with its cancel request.
 */
export const UPDATE_PLAN_KEYS = {
  groupPk: STATE_KEYS.groupPk,
  planLockSk: STATE_KEYS.planLockSk,
  planPk: (planName: string) => `PLAN#${planName}`,
  recordSk: 'RECORD',
} as const;
