import type { Template } from 'aws-cdk-lib/assertions';
import { parseConfig } from '../../shared/contracts/parse-config';
import { type WorkflowState, workflowStateSchema } from '../../shared/contracts/rolling-update';
import { type UserConfig, type UserConfigInput, userConfigSchema } from '../../shared/contracts/user-config';
import type { RefreshStatus } from '../../shared/core/rolling-update/types';
import { ResourceNotFoundError } from '../../shared/ports/errors';
import type { LaunchTemplateFacts } from '../../shared/ports/instance-catalog';
import type { GroupSnapshot } from '../../shared/ports/scaling-target';
import { stepFunctionsErrorName } from '../../shared/simulation/aws-checks/step-functions-errors';
import { type GroupCall, groupNotFound } from '../../shared/simulation/world/auto-scaling/group-not-found';
import { checkUpdateConflicts } from '../../shared/usecases/check-update-conflicts';
import { chooseUpdateWindow } from '../../shared/usecases/choose-update-window';
import { decideRollbackStep } from '../../shared/usecases/decide-rollback-step';
import { planCapacityRestore } from '../../shared/usecases/plan-capacity-restore';
import { planUpdateHeadroom } from '../../shared/usecases/plan-update-headroom';
import { validateRollingUpdate } from '../../shared/usecases/validate-rolling-update';
import { watchRefreshProgress } from '../../shared/usecases/watch-refresh-progress';
import { FakeScalingTarget, groupSnapshot } from '../fakes/fake-scaling-target';
import { FakeScheduledCapacity } from '../fakes/fake-scheduled-capacity';
import { MemoryDiscoveredDependencyStore } from '../fakes/memory-discovered-dependency-store';
import { MemoryStateStore } from '../fakes/memory-state-store';
import { MemoryUpdatePlanStore } from '../fakes/memory-update-plan-store';
import { upperBoundForecast } from '../helpers/demand-forecast';

type Json = Record<string, unknown>;

/**
 * The state machine definition from a synthesized template: the DefinitionString's Fn::Join with
 * placeholder names for Refs and ARN-shaped placeholders for GetAtt …Arn. The state machine is the
 * one whose logical ID starts with `logicalIdPrefix` (the rolling-update workflow by default).
 */
export function extractDefinition(template: Template, logicalIdPrefix = 'PrescaleRollingUpdates'): Json {
  const resources = template.findResources('AWS::StepFunctions::StateMachine');
  const [, machine] = Object.entries(resources).find(([id]) => id.startsWith(logicalIdPrefix)) ?? [];
  const join = machine?.Properties.DefinitionString['Fn::Join'] as [string, unknown[]];
  const text = join[1]
    .map((part) => {
      if (typeof part === 'string') return part;
      const p = part as { Ref?: string; 'Fn::GetAtt'?: [string, string]; 'Fn::Select'?: [number, Json] };
      if (p.Ref) return p.Ref === 'AWS::Partition' ? 'aws' : p.Ref;
      // A state machine's name cut out of its ARN (an execution ARN built on it): its Ref stands in.
      const split = (p['Fn::Select']?.[1] as { 'Fn::Split'?: [string, { Ref?: string }] } | undefined)?.[
        'Fn::Split'
      ];
      if (split?.[1].Ref) return split[1].Ref;
      const [id] = p['Fn::GetAtt'] ?? ['Unknown'];
      return `arn:aws:lambda:eu-west-1:123456789012:function:${id}`;
    })
    .join('');
  return JSON.parse(text) as Json;
}

/** Every Task state that invokes a Lambda, by name, in `definition` and its Maps' processors. */
export function lambdaTasks(definition: Json): [string, { Retry?: Json[] }][] {
  return Object.entries(definition.States as Record<string, Json>).flatMap(([name, state]) => {
    const processor = state.ItemProcessor as Json | undefined;
    if (processor) return lambdaTasks(processor);
    return String(state.Resource).startsWith('arn:aws:lambda:') ? [[name, state as { Retry?: Json[] }]] : [];
  });
}

/** An error with the name Step Functions would match on. */
export function namedError(name: string, message: string): Error {
  const error = new Error(message);
  error.name = name;
  return error;
}

export const T0 = Date.parse('2026-03-02T01:00:00Z');
export const EXECUTION_NAME = 'web-v7-20260302T0100';

/** A load profile: p90 load at a time. */
export type LoadProfile = (timeMs: number) => number;

/** An in-memory AWS for the workflow: one group, its refreshes, the state table, SNS, a clock. */
export class RollingUpdateWorld {
  nowMs = T0;
  readonly config: UserConfig;
  readonly scalingTarget: FakeScalingTarget;
  readonly stateStore = new MemoryStateStore();
  /** The group's scheduled actions: the owner's set a MinSize the restore keeps. */
  readonly scheduledCapacity = new FakeScheduledCapacity();
  readonly planStore = new MemoryUpdatePlanStore();
  /** State-table items by `pk|sk`, as DynamoDB attribute values. */
  readonly items = new Map<string, Record<string, Record<string, string>>>();
  /** The group's refreshes, newest first, as DescribeInstanceRefreshes reports them (StartTime as Step Functions passes it: ISO text). */
  readonly refreshes: {
    InstanceRefreshId: string;
    Status: RefreshStatus;
    StatusReason?: string;
    StartTime?: string;
    DesiredConfiguration?: Json;
    Preferences?: Json;
  }[] = [];
  /** Statuses the forward refresh reports on each describe, in order; the last one sticks. */
  forwardScript: RefreshStatus[] = ['InProgress', 'Successful'];
  readonly published: Json[] = [];
  readonly sdkCalls: { state: string; input: Json }[] = [];
  readonly entered: string[] = [];
  alarmsInAlarm: string[] = [];
  /** The deployment-wide kill switch. */
  killSwitchOn = false;
  load: LoadProfile = () => 120;
  /** The version numbers `$Latest` and `$Default` resolve to. */
  readonly aliases = { $Latest: '7', $Default: '6' };
  templateVersions = new Map<string, LaunchTemplateFacts>([
    ['6', { launchTemplateId: 'lt-0a1b2c3d4e5f60718', versionNumber: 6, imageId: 'ami-6' }],
    ['7', { launchTemplateId: 'lt-0a1b2c3d4e5f60718', versionNumber: 7, imageId: 'ami-7' }],
  ]);
  /** Images deregistered: a version launching one is described as EC2 does then (not found: image). */
  readonly deregisteredImages = new Set<string>();
  /** Checks each Task call before it runs (the deployed IAM and API models); a returned error is thrown as the task's error. */
  taskChecks:
    | ((state: string, input: Json) => Promise<{ error: string; cause: string } | undefined>)
    | undefined;
  /** Replaces a Lambda state's handler, e.g. to make it throw. */
  readonly lambdaOverrides = new Map<string, (state: Json) => Promise<unknown>>();
  /** Errors an SDK task state raises, in order, before it answers normally (Step Functions names). */
  readonly sdkFailures = new Map<string, Error[]>();
  /** Errors an SDK task state raises, in order, after its call took effect (a 5xx, a lost response). */
  readonly sdkFailuresAfterEffect = new Map<string, Error[]>();
  /** Answers an SDK task state elsewhere (a real DynamoDB, say) instead of this harness's fake. */
  readonly sdkOverrides = new Map<string, (input: Json) => Promise<unknown>>();
  /** Runs (awaited) once an SDK task state answered: someone else acting on the group meanwhile, say. */
  readonly afterSdkCall = new Map<string, () => unknown>();
  private forwardDescribes = 0;

  constructor(group: Partial<GroupSnapshot> = {}, config: Partial<UserConfigInput> = {}) {
    this.config = parseConfig(
      userConfigSchema,
      { mode: 'forecast-and-scale', ...config, groups: { names: ['web', 'api'] } },
      'test config',
    );
    this.scalingTarget = new FakeScalingTarget([
      groupSnapshot({
        name: 'web',
        minSize: 2,
        maxSize: 10,
        desiredCapacity: 4,
        inServiceCapacity: 4,
        launchTemplate: { id: 'lt-0a1b2c3d4e5f60718', version: '6' },
        ...group,
      }),
    ]);
  }

  get group(): GroupSnapshot {
    return this.scalingTarget.groups.get('web') as GroupSnapshot;
  }

  lockItem() {
    return this.items.get('GROUP#web|LOCK');
  }

  /** The use cases' dependencies on this world's fakes (the scaling loop's too, `runScalingLoop`). */
  get deps() {
    return {
      scalingTarget: this.scalingTarget,
      stateStore: this.stateStore,
      scheduledCapacity: this.scheduledCapacity,
      locks: this.stateStore,
      planLocks: this.planStore,
      plans: this.planStore,
      clock: { nowMs: () => this.nowMs },
      launchTemplates: {
        launchTemplate: async (id: string, version: string) => {
          const resolved = version === '$Latest' || version === '$Default' ? this.aliases[version] : version;
          const facts = this.templateVersions.get(resolved);
          if (!facts) throw new ResourceNotFoundError('launch template version', `${id}:${version}`);
          if (facts.imageId && this.deregisteredImages.has(facts.imageId))
            throw new ResourceNotFoundError('image', facts.imageId);
          return facts;
        },
      },
      metricHistory: {
        loadHistory: async () =>
          new Map([['web', [{ timestampMs: this.nowMs - 300_000, value: this.load(this.nowMs) }]]]),
      },
      alarmStates: {
        alarmsInAlarm: async (names: readonly string[]) =>
          this.alarmsInAlarm.filter((a) => names.includes(a)),
        // Every watched alarm exists in the harness's account (the refusal is validate's unit test's).
        unknownAlarms: async () => [],
      },
      isGloballyPaused: async () => this.killSwitchOn,
      deployment: 'Prescale',
      discoveredDependencies: new MemoryDiscoveredDependencyStore(),
      forecast: upperBoundForecast(
        (ms) => this.load(ms),
        () => this.nowMs,
      ),
    };
  }

  /** Local handlers for every Task state: the real use cases on fakes, and a fake AWS for SDK calls. */
  handlers(): Record<string, (input: unknown) => Promise<unknown>> {
    return Object.fromEntries([
      ...Object.entries(this.useCases()).map(([name, run]) => [name, this.lambdaTask(name, run)] as const),
      ...Object.entries(this.fakeAws()).map(([name, run]) => [name, this.sdkTask(name, run)] as const),
    ]);
  }

  /** A Lambda Task state: checked, overridable, its result JSON as a real invocation's. */
  private lambdaTask(name: string, run: (input: unknown) => Promise<unknown>) {
    return async (input: unknown): Promise<unknown> => {
      await this.checkTask(name, input as Json);
      const override = this.lambdaOverrides.get(name);
      // Lambda results are JSON: drop undefined fields as the real invocation would, and answer
      // null for a handler that returns nothing, as Lambda does.
      const answer = await (override ? override(input as Json) : run(input));
      return answer === undefined ? null : JSON.parse(JSON.stringify(answer));
    };
  }

  /** An SDK Task state: checked, recorded, failing as scripted, overridable, then followed by `afterSdkCall`. */
  private sdkTask(name: string, run: (input: Json) => unknown) {
    return async (input: unknown): Promise<unknown> => {
      await this.checkTask(name, input as Json);
      this.sdkCalls.push({ state: name, input: input as Json });
      const failure = this.sdkFailures.get(name)?.shift();
      if (failure) throw failure;
      const override = this.sdkOverrides.get(name);
      if (!override) this.refuseOnDeletedGroup(name, input as Json);
      const answer = await (override ? override(input as Json) : run(input as Json));
      await this.afterSdkCall.get(name)?.();
      const lost = this.sdkFailuresAfterEffect.get(name)?.shift();
      if (lost) throw lost;
      return answer;
    };
  }

  /**
   * The fake Auto Scaling's answer to a call on a group it no longer has, or a change to one it is
   * deleting, as the simulated Auto Scaling gives it (`ValidationError`, which Step Functions reports as
   * `AutoScaling.AutoScalingException`).
   */
  private refuseOnDeletedGroup(state: string, input: Json): void {
    const name = input.AutoScalingGroupName;
    if (typeof name !== 'string') return;
    const group = this.scalingTarget.groups.get(name);
    const refused = (message: string) =>
      namedError(stepFunctionsErrorName('autoscaling', 'ValidationError'), message);
    if (!group) throw refused(groupNotFound(autoScalingCallOf(state), name).message);
    if (group.deleting && !state.startsWith('Describe'))
      throw refused('The AutoScaling group may not be modified while it is pending delete');
  }

  /** The workflow's Lambda states: the real use cases on this harness's fakes. */
  private useCases(): Record<string, (input: unknown) => Promise<unknown>> {
    const state = (input: unknown): WorkflowState => workflowStateSchema.parse(input);
    const { deps, config } = this;
    const restore = (input: unknown) => planCapacityRestore(deps, config, state(input));
    return {
      'Validate request': (input) =>
        validateRollingUpdate(deps, config, input as { request: unknown; executionName: string }),
      'Choose update window': async (input) => {
        const s = state(input);
        // The Wait state before this one was made instant: move the clock as it would have.
        if (s.window?.decision === 'wait') this.nowMs += s.window.waitSeconds * 1000;
        return chooseUpdateWindow(deps, config, s.plan);
      },
      'Check dependent groups': (input) => checkUpdateConflicts(deps, config, state(input)),
      'Plan headroom': (input) => planUpdateHeadroom(deps, config, state(input)),
      'Check alarms and load': (input) => watchRefreshProgress(deps, config, state(input)),
      'Choose rollback step': (input) => decideRollbackStep(deps, state(input)),
      'Plan capacity restore': restore,
      'Plan capacity restore after rollback': restore,
    };
  }

  /** The workflow's SDK states, answered by a fake Auto Scaling, DynamoDB and SNS. */
  private fakeAws(): Record<string, (input: Json) => unknown> {
    const put = (input: Json) => this.putItem(input);
    const del = (input: Json) => this.deleteItem(input);
    const resize = (input: Json) => this.updateGroup(input);
    const start = (input: Json) => this.startRefresh(input);
    const describe = (input: Json) => this.describeRefreshes(input);
    return {
      'Acquire group lock': put,
      'Record rollout start': put,
      'Record outcome': put,
      'Release group lock': del,
      'Release group lock after conflict': del,
      'Add headroom': resize,
      'Raise headroom': resize,
      'Restore capacity': resize,
      'Restore capacity after rollback': resize,
      'Point group at target version': () => ({}),
      'Point group back at previous version': () => ({}),
      'Point group back, no refresh started': () => ({}),
      'Start instance refresh': start,
      'Start instance refresh without desired configuration': start,
      'Start revert refresh': start,
      'Start revert refresh without desired configuration': start,
      'Describe refresh progress': describe,
      'Describe refreshes for rollback': describe,
      'Roll back refresh': () => {
        this.activeForward().Status = 'RollbackInProgress';
        return {};
      },
      'Cancel refresh': () => {
        this.activeForward().Status = 'Cancelling';
        return {};
      },
      'Notify operators': (input) => {
        this.published.push(input);
        return { MessageId: 'm-1' };
      },
      'Notify deferred maintenance': (input) => {
        this.published.push(input);
        return { MessageId: 'm-2' };
      },
    };
  }

  private updateGroup(input: Json) {
    const change = {
      ...(input.MinSize !== undefined ? { minSize: input.MinSize as number } : {}),
      ...(input.DesiredCapacity !== undefined ? { desiredCapacity: input.DesiredCapacity as number } : {}),
    };
    if (Object.keys(change).length > 0)
      return this.scalingTarget.updateCapacity('web', change).then(() => ({}));
    return {};
  }

  private startRefresh(input: Json) {
    if (
      this.refreshes.some((r) =>
        ['Pending', 'InProgress', 'Baking', 'Cancelling', 'RollbackInProgress'].includes(r.Status),
      )
    ) {
      throw namedError(
        'AutoScaling.InstanceRefreshInProgressException',
        'An instance refresh is in progress',
      );
    }
    const id = `refresh-${this.refreshes.length + 1}`;
    this.refreshes.unshift({
      InstanceRefreshId: id,
      Status: 'Pending',
      StartTime: new Date(this.nowMs).toISOString(),
      ...(input.DesiredConfiguration ? { DesiredConfiguration: input.DesiredConfiguration as Json } : {}),
      ...(input.Preferences ? { Preferences: input.Preferences as Json } : {}),
    });
    this.lastStart = input;
    return { InstanceRefreshId: id };
  }

  /** The refreshes asked for; the forward refresh follows `forwardScript`, anything else settles by the next look. */
  private describeRefreshes(input: Json) {
    const forward = this.refreshes[this.refreshes.length - 1];
    const ids = input.InstanceRefreshIds as string[] | undefined;
    if (ids && forward && ids.includes(forward.InstanceRefreshId) && this.refreshes.length === 1) {
      const status = this.forwardScript[Math.min(this.forwardDescribes, this.forwardScript.length - 1)];
      this.forwardDescribes += 1;
      if (status && ['Pending', 'InProgress', 'Baking', 'Successful', 'Failed'].includes(forward.Status)) {
        forward.Status = status;
        if (status === 'Failed') forward.StatusReason = 'instances failed health checks';
      }
    }
    const listed = ids ? this.refreshes.filter((r) => ids.includes(r.InstanceRefreshId)) : this.refreshes;
    const answer = { InstanceRefreshes: listed.map((r) => ({ ...r, AutoScalingGroupName: 'web' })) };
    // Auto Scaling finishes what it was asked to do by the next look.
    for (const r of this.refreshes) {
      if (r.Status === 'RollbackInProgress') r.Status = 'RollbackSuccessful';
      if (r.Status === 'Cancelling') r.Status = 'Cancelled';
      if (r !== forward && r.Status === 'Pending') r.Status = 'Successful';
    }
    return answer;
  }

  private activeForward() {
    const forward = this.refreshes.find((r) => ['Pending', 'InProgress', 'Baking'].includes(r.Status));
    if (!forward) throw namedError('AutoScaling.ActiveInstanceRefreshNotFoundException', 'No active refresh');
    return forward;
  }

  /** PutItem, with the lock's condition (free, expired or ours) when one is given. */
  private putItem(input: Json) {
    const item = input.Item as Record<string, Record<string, string>>;
    const key = `${item.pk?.S}|${item.sk?.S}`;
    if (input.ConditionExpression) {
      const held = this.items.get(key);
      const values = input.ExpressionAttributeValues as Record<string, Record<string, string>>;
      const free =
        !held ||
        Number(held.expiresAtMs?.N) < Number(values[':now']?.N) ||
        held.holder?.S === values[':holder']?.S;
      if (!free)
        throw namedError('DynamoDB.ConditionalCheckFailedException', 'The conditional request failed');
    }
    this.items.set(key, item);
    return {};
  }

  /** DeleteItem of a lock, only by its holder. */
  private deleteItem(input: Json) {
    const k = input.Key as Record<string, Record<string, string>>;
    const key = `${k.pk?.S}|${k.sk?.S}`;
    const values = input.ExpressionAttributeValues as Record<string, Record<string, string>>;
    if (this.items.get(key)?.holder?.S !== values[':holder']?.S) {
      throw namedError('DynamoDB.ConditionalCheckFailedException', 'The conditional request failed');
    }
    this.items.delete(key);
    return {};
  }

  lastStart: Json | undefined;

  private async checkTask(state: string, input: Json): Promise<void> {
    const refusal = await this.taskChecks?.(state, input);
    if (refusal) throw namedError(refusal.error, refusal.cause);
  }

  calls(state: string): Json[] {
    return this.sdkCalls.filter((c) => c.state === state).map((c) => c.input);
  }
}

/** The Auto Scaling call an SDK state of the workflow makes, by its name. */
function autoScalingCallOf(state: string): GroupCall {
  if (state.startsWith('Describe')) return 'DescribeInstanceRefreshes';
  if (state.startsWith('Start')) return 'StartInstanceRefresh';
  if (state === 'Roll back refresh') return 'RollbackInstanceRefresh';
  if (state === 'Cancel refresh') return 'CancelInstanceRefresh';
  return 'UpdateAutoScalingGroup';
}
