import { parseConfig } from '../../shared/contracts/parse-config';
import {
  GROUP_CHANGED_SINCE_PLAN,
  GROUP_DELETED_DURING_UPDATE,
  ROLLED_OUT_ERROR,
  type RollingUpdateRequest,
} from '../../shared/contracts/rolling-update';
import { computeUpdatePlanEventSchema, cutChildDetailEventSchema } from '../../shared/contracts/update-plan';
import type { UserConfig, UserConfigInput } from '../../shared/contracts/user-config';
import { userConfigSchema } from '../../shared/contracts/user-config';
import type { CampaignWindow } from '../../shared/core/forecast/types';
import { cutChildDetail } from '../../shared/core/update-plan/child-detail';
import { HighsMixSolver } from '../../shared/solvers/highs-mix-solver';
import { advanceUpdatePlan } from '../../shared/usecases/advance-update-plan';
import { calendarReadForPlan } from '../../shared/usecases/calendar-read-for-plan';
import { campaignWindowsFor } from '../../shared/usecases/campaign-windows-for';
import { computeUpdatePlan } from '../../shared/usecases/compute-update-plan';
import { groupChangedSincePlan } from '../../shared/usecases/group-changed-since-plan';
import { launchTemplateOf } from '../../shared/usecases/group-launch-template';
import { lockUpdatePlan } from '../../shared/usecases/lock-update-plan';
import { readPlanCalendar } from '../../shared/usecases/read-plan-calendar';
import { discoveryReadForPlan, readPlanDiscovery } from '../../shared/usecases/read-plan-discovery';
import { releaseUpdatePlan } from '../../shared/usecases/release-update-plan';
import { FakeScalingTarget, groupSnapshot } from '../fakes/fake-scaling-target';
import { MemoryCampaigns } from '../fakes/memory-campaigns';
import { MemoryDiscoveredDependencyStore } from '../fakes/memory-discovered-dependency-store';
import { MemoryStateStore } from '../fakes/memory-state-store';
import { MemoryUpdatePlanStore } from '../fakes/memory-update-plan-store';
import { upperBoundForecast } from '../helpers/demand-forecast';
import { ONE_PRICE } from '../helpers/one-price';
import { namedError } from './rolling-update-harness';

/** The "Record plan" PutItem's parameters that the world reads. */
interface RecordPlanPut {
  readonly Item: { readonly pk: { readonly S: string }; readonly startedAt: { readonly S: string } };
  readonly ConditionExpression?: string;
  readonly ExpressionAttributeValues?: Readonly<Record<string, { readonly S?: string }>>;
}

/** The update-plan workflow tests' world: three dependent groups, the plan's use cases on fakes. */
export type Json = Record<string, unknown>;
export const GROUPS = ['web', 'api', 'db'];
export const EDGES = [
  { from: 'web', to: 'api' },
  { from: 'api', to: 'db' },
];
export const CONFIG_INPUT: UserConfigInput = {
  mode: 'forecast-and-scale',
  groups: { names: GROUPS },
  dependencies: { edges: EDGES },
};
export const T0 = Date.parse('2026-03-02T01:00:00Z');
export const PLAN = 'plan-20260302T0100-abcd1234';
export const TARGET_LOAD = 60;

/** An in-memory AWS for the plan: three groups, plan and group locks, child executions, SNS, a clock. */
export class PlanWorld {
  nowMs = T0;
  readonly config: UserConfig;
  readonly planStore = new MemoryUpdatePlanStore();
  /** The scaling loop's stored X-Ray discovery (none unless a test stores one). */
  readonly discoveredDependencies = new MemoryDiscoveredDependencyStore();
  /** The campaign calendar in the state table (none unless a test schedules one). */
  readonly campaigns = new MemoryCampaigns();
  readonly stateStore = new MemoryStateStore();
  readonly scalingTarget = new FakeScalingTarget(
    GROUPS.map((name) =>
      groupSnapshot({
        name,
        desiredCapacity: 4,
        inServiceCapacity: 4,
        maxSize: 8,
        launchTemplate: { id: 'lt-1', version: '6' },
      }),
    ),
  );
  /** p90 load of every group, in load units. */
  load = 2 * TARGET_LOAD;
  /**
   * Child outcome by group: how its forward update ends (`held`: deferred by a hold at its window
   * check; `group-deleted`: its owner deleted the group during the refresh).
   */
  readonly childOutcome = new Map<
    string,
    'fail' | 'rolled-out-needs-attention' | 'defer' | 'held' | 'group-deleted'
  >();
  /** Revert outcome by group: how its undo child ends. */
  readonly revertOutcome = new Map<string, 'held' | 'group-deleted'>();
  /** Called when a child ends, e.g. to cancel the plan meanwhile. */
  onChildEnd: (name: string) => Promise<void> = async () => undefined;
  readonly children: { name: string; input: Json }[] = [];
  readonly published: Json[] = [];
  readonly entered: string[] = [];
  /** Each plan record's `startedAt` (its execution's start time), by plan name. */
  readonly recordStartedAt = new Map<string, string>();

  private readonly clock = { nowMs: () => this.nowMs };

  /** @param configInput the deployment's configuration (`CONFIG_INPUT` unless a test needs another). */
  constructor(configInput: UserConfigInput = CONFIG_INPUT) {
    this.config = parseConfig(userConfigSchema, configInput, 'test config');
  }

  handlers(): Record<string, (input: unknown) => Promise<unknown>> {
    const deps = {
      locks: this.stateStore,
      planLocks: this.planStore,
      plans: this.planStore,
      clock: this.clock,
      discoveredDependencies: this.discoveredDependencies,
    };
    const json = (v: unknown) => JSON.parse(JSON.stringify(v));
    const child = (raw: unknown) => this.runChild(raw as { Name: string; Input: Json });
    // As the advance-update-plan handler, given a failed or held child's report.
    const cut = async (input: unknown) => cutChildDetail(cutChildDetailEventSchema.parse(input).report);
    return {
      // As the read-plan-calendar handler: the calendar in the state table.
      'Read campaign calendar': async (input) =>
        json(
          await readPlanCalendar(
            { calendar: this.campaigns, clock: this.clock },
            this.config,
            input as { request: unknown },
          ),
        ),
      // As the read-plan-discovery handler: the discovery the loop stored, its edges among the plan's groups.
      'Read discovered dependencies': async (input) =>
        json(await readPlanDiscovery(deps, this.config, input as { request: unknown })),
      'Compute plan': async (input) =>
        json(
          await computeUpdatePlan(
            {
              ...this.planDeps(),
              // As the handler: the discovery "Read discovered dependencies" passed in, if any,
              // and the calendar "Read campaign calendar" passed in.
              discoveredDependencies: discoveryReadForPlan(
                computeUpdatePlanEventSchema.parse(input).discovery,
              ),
              campaignsFor: campaignWindowsFor(
                calendarReadForPlan(computeUpdatePlanEventSchema.parse(input).calendar),
              ),
            },
            this.config,
            input as { request: unknown; executionName: string },
            {
              region: 'eu-west-1',
            },
          ),
        ),
      'Lock plan groups': async (input) =>
        json(await lockUpdatePlan(deps, this.config, (input as { plan: never }).plan)),
      'Record plan': async (input) => this.recordPlan(input as RecordPlanPut),
      'Decide next plan step': async (input) => {
        const state = input as { step?: { action: string; waitSeconds: number } };
        // The Wait state was made instant: move the clock as it would have.
        if (state.step?.action === 'wait') this.nowMs += state.step.waitSeconds * 1000;
        return json(await advanceUpdatePlan(deps, input as never));
      },
      'Update group': child,
      'Revert group': child,
      'Cut group report': cut,
      'Cut revert report': cut,
      'Release plan locks': async (input) =>
        json(await releaseUpdatePlan(deps, (input as { plan: never }).plan)),
      'Notify operators': async (input) => {
        this.published.push(input as Json);
        return { MessageId: 'm-1' };
      },
      'Notify locks not released': async (input) => {
        this.published.push(input as Json);
        return { MessageId: 'm-2' };
      },
      'Notify undone, locks not released': async (input) => {
        this.published.push(input as Json);
        return { MessageId: 'm-3' };
      },
    };
  }

  /**
   * As DynamoDB answers the "Record plan" PutItem: the record written (and a cancel on it gone),
   * unless its condition (only that of the deployed definition is known here) finds the record.
   */
  private async recordPlan({ Item, ConditionExpression, ExpressionAttributeValues }: RecordPlanPut) {
    const planName = Item.pk.S.slice('PLAN#'.length);
    if (ConditionExpression !== undefined) {
      if (ConditionExpression !== 'attribute_not_exists(pk) OR startedAt <> :startedAt')
        throw new Error(`the plan world knows no condition ${ConditionExpression}`);
      const startedAt = this.recordStartedAt.get(planName);
      if (this.planStore.plans.has(planName) && startedAt === ExpressionAttributeValues?.[':startedAt']?.S)
        throw namedError('DynamoDB.ConditionalCheckFailedException', 'The conditional request failed');
    }
    this.planStore.plans.set(planName, undefined);
    this.recordStartedAt.set(planName, Item.startedAt.S);
    return {};
  }

  /**
   * A child rolling update (`startExecution.sync`): 20 minutes, then the outcome `childOutcome`
   * gives its group; one that rolled out leaves its group on the version it rolled out.
   */
  private async runChild({ Name, Input }: { Name: string; Input: Json }) {
    this.children.push({ name: Name, input: Input });
    // The real child's validation refuses a plan child whose plan does not hold the group.
    const held = await this.planStore.getPlanLock(String(Input.groupName), this.nowMs);
    if (held?.holder !== Input.planExecutionName) throw namedError('States.TaskFailed', 'not held by plan');
    // ...and one whose group is not on the launch template and version the plan expects.
    const changed = await this.changedSincePlan(Input);
    if (changed) {
      throw namedError(
        'States.TaskFailed',
        JSON.stringify({ status: 'FAILED', error: GROUP_CHANGED_SINCE_PLAN, cause: changed }),
      );
    }
    this.nowMs += 20 * 60_000;
    const group = String(Input.groupName);
    const outcome = Input.force ? this.revertOutcome.get(group) : this.childOutcome.get(group);
    if (outcome === undefined || outcome === 'rolled-out-needs-attention') {
      this.putOnVersion(group, String(Input.launchTemplateVersion));
    }
    await this.onChildEnd(Name);
    if (outcome === 'fail') {
      throw namedError(
        'States.TaskFailed',
        JSON.stringify({ status: 'FAILED', error: 'RefreshFailed', cause: 'instances failed health checks' }),
      );
    }
    // Rolled out, then its capacity restore failed: the child's Fail state's fixed Error.
    if (outcome === 'rolled-out-needs-attention') {
      throw namedError(
        'States.TaskFailed',
        JSON.stringify({ status: 'FAILED', error: ROLLED_OUT_ERROR, cause: 'restore failed' }),
      );
    }
    // The group deleted during its refresh: the child's "Group deleted during update" Fail state.
    if (outcome === 'group-deleted') {
      throw namedError(
        'States.TaskFailed',
        JSON.stringify({
          status: 'FAILED',
          error: GROUP_DELETED_DURING_UPDATE,
          cause: `Auto Scaling group ${group} was deleted during the update to version ${Input.launchTemplateVersion} Group deleted: the group is gone: nothing is left to roll back or restore, and nothing more was tried on it`,
        }),
      );
    }
    return {
      ExecutionArn: `arn:aws:states:eu-west-1:123456789012:execution:RollingUpdates:${Name}`,
      Output: childOutput(String(Input.groupName), outcome),
    };
  }

  /** As the child's validation: why the group is not where the plan expects it, if it is not. */
  private async changedSincePlan(input: Json): Promise<string | undefined> {
    const group = this.scalingTarget.groups.get(String(input.groupName));
    const template = group && launchTemplateOf(group);
    if (!template) return undefined;
    return groupChangedSincePlan(
      { launchTemplate: async (id, version) => ({ launchTemplateId: id, versionNumber: Number(version) }) },
      input as unknown as RollingUpdateRequest,
      template,
    );
  }

  /** The group on `version` of its launch template, as a refresh that succeeded leaves it (or its owner's release). */
  putOnVersion(groupName: string, version: string, launchTemplateId = 'lt-1'): void {
    const group = this.scalingTarget.groups.get(groupName);
    if (group)
      this.scalingTarget.groups.set(groupName, {
        ...group,
        launchTemplate: { id: launchTemplateId, version },
      });
  }

  /**
   * compute-update-plan's dependencies: the fake group, a flat forecast at `load` (times the
   * multipliers of the campaigns it is given), one price, HiGHS.
   */
  private planDeps() {
    return {
      scalingTarget: this.scalingTarget,
      metricHistory: { loadHistory: async () => new Map() },
      // `load`, raised in a campaign's window by its multiplier as forecastDemand raises it.
      forecast: (input: {
        stepSeconds: number;
        horizonSteps: number;
        campaigns?: readonly CampaignWindow[];
      }) =>
        upperBoundForecast(
          (ms) => this.load * multiplierAt(input.campaigns ?? [], ms),
          () => this.nowMs,
        )(input),
      prices: ONE_PRICE,
      solver: new HighsMixSolver(),
      launchTemplates: {
        launchTemplate: async () => ({ launchTemplateId: 'lt-1', versionNumber: 6 }),
      },
      clock: this.clock,
      deployment: 'Prescale',
      discoveredDependencies: this.discoveredDependencies,
    };
  }
}

/** What a child execution's `Deferred` or `Rolled out` end outputs (its `$.outcome`). */
export function childOutput(groupName: string, outcome: 'defer' | 'held' | undefined): Json {
  if (outcome === 'defer') {
    return {
      status: 'Deferred',
      reason:
        'no low-load window before the deadline 2026-03-02T03:00:00.000Z: the predicted p90 peak stays high',
    };
  }
  if (outcome === 'held') {
    return { status: 'Deferred', reason: `held: group ${groupName} is paused by its prescale:paused tag` };
  }
  return { status: 'Succeeded', groupName, targetVersion: '7', window: 'fits' };
}

/** The product of the multipliers of the campaign windows over `ms` (their ramps left out). */
function multiplierAt(campaigns: readonly CampaignWindow[], ms: number): number {
  return campaigns.reduce(
    (factor, c) =>
      c.uplift.kind === 'multiplier' && c.startMs <= ms && ms < c.endMs ? factor * c.uplift.factor : factor,
    1,
  );
}
