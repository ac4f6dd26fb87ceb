import { StateMachine } from 'aws-local-stepfunctions';
import type { UserConfigInput } from '../../../shared/contracts/user-config';
import type { DeployedAccount } from '../../../shared/simulation/aws-checks/deployed-account';
import { groupLaunchTemplateId } from '../../../shared/simulation/aws-checks/group-launch-template';
import {
  asServiceRequest,
  stateMachineCalls,
} from '../../../shared/simulation/aws-checks/state-machine-calls';
import {
  StateMachineTaskChecks,
  type TaskRefusal,
} from '../../../shared/simulation/aws-checks/state-machine-task-checks';
import { stepFunctionsErrorName } from '../../../shared/simulation/aws-checks/step-functions-errors';
import type { PrescaleLambdas, StateTableOperation } from '../../../shared/simulation/run/prescale-lambdas';
import { launchTemplateOf } from '../../../shared/simulation/scenarios/side-service-scenarios';
import { groupImageId } from '../../../shared/simulation/world/ec2-side-services';
import { SimulatedAwsError } from '../../../shared/simulation/world/simulated-aws-error';
import type { SimulatedWorld } from '../../../shared/simulation/world/simulated-world';
import { EXECUTION_NAME, namedError, RollingUpdateWorld } from '../rolling-update-harness';
import { waitsOnWorldClock } from './waits-on-world-clock';

/** One run of the deployed rolling-update state machine: how it ended and what its Task checks saw. */
export interface RollingUpdateRun {
  readonly kind: 'rollout' | 'rollback' | 'revert';
  /** The enrolled group updated (its launch template gets a new version). */
  readonly groupName: string;
  /** `succeeded`, or `failed: <error>: <cause>` (a rollback run ends failed by design). */
  readonly outcome: string;
  /** Task calls checked, as `state: action`. */
  readonly authorized: ReadonlySet<string>;
  readonly refusals: readonly TaskRefusal[];
  /** Lambda Task states run by the real bundled handler, as `state → function`, in order entered. */
  readonly lambdaTasks: readonly string[];
  /** Errors the real handlers threw (the state machine may catch them and go on), as `function: name: message`. */
  readonly lambdaErrors: readonly string[];
  /** The state table after the run: the outcome its record holds, and whether the group lock is still held. */
  readonly stateTable: { readonly recordedStatus?: string; readonly lockHeld: boolean };
  /** The launch template version rolled out. */
  readonly version: string;
  /** The version every instance should end on: the rolled-out one, or the one the run returned to. */
  readonly endsOn: string;
  /** Service errors the world raised to the Auto Scaling tasks, as `state: Step Functions error: message`. */
  readonly raised: readonly string[];
  /** The Wait states' waits on the world's clock, as `state: seconds`, and the run's simulated minutes. */
  readonly waited: readonly string[];
  readonly minutes: number;
  /** The group's sizes before the run, as `min … desired … max …`. */
  readonly sizesBefore: string;
  /** The group after the run: sizes, its refreshes' statuses (newest first), its InService instances' versions. */
  readonly group: {
    readonly sizes: string;
    readonly refreshes: readonly string[];
    readonly versions: readonly string[];
  };
  /** The scaling loop's run outcomes for the group while the update ran, as `kind: reason`. */
  readonly loopDuring: readonly string[];
  /** The loop's run outcomes for the group in the five minutes after the run, as `kind: reason`. */
  readonly loopAfter: readonly string[];
}

/**
 * The configuration's simulated world the real Lambda tasks run against, and how to invoke a
 * deployed function (as its role, with request checks installed).
 */
export interface RealLambdaTasks {
  readonly world: SimulatedWorld;
  /** The enrolled group the update rolls out on. */
  readonly groupName: string;
  readonly invoke: (functionName: string, event: unknown) => Promise<unknown>;
  /** The state machine's own DynamoDB tasks, on the state table the functions read. */
  readonly stateTableTask: PrescaleLambdas['stateTableTask'];
  /** Moves the world to a time as production time passes: load recorded, the scaling loop ticking. */
  readonly advanceTo: (ms: number) => Promise<void>;
  /** The scaling loop's run records of a group since a time. */
  readonly runRecords: PrescaleLambdas['runRecords'];
}

/** The scaling loop's schedule in the matrix's worlds. */
const LOOP_TICK_MS = 5 * 60_000;

/** The rolling-update workflow's Lambda Task states and the functions they invoke (infra/constructs). */
export const ROLLING_UPDATE_LAMBDA_STATES: Readonly<Record<string, string>> = {
  'Validate request': 'validate-rolling-update',
  'Choose update window': 'choose-update-window',
  'Check dependent groups': 'check-update-conflicts',
  'Plan headroom': 'plan-update-headroom',
  'Check alarms and load': 'watch-refresh-progress',
  'Choose rollback step': 'decide-rollback-step',
  'Plan capacity restore': 'plan-capacity-restore',
  'Plan capacity restore after rollback': 'plan-capacity-restore',
};

/** The functions the rolling-update workflow's Lambda Task states invoke. */
export const ROLLING_UPDATE_FUNCTIONS = [...new Set(Object.values(ROLLING_UPDATE_LAMBDA_STATES))];

/** Adds a launch template version on a new AMI to the group's template, as an operator would; returns it. */
function addNewImageVersion(world: SimulatedWorld, group: string, run: number): string {
  const ec2 = world.services.ec2;
  const image = ec2.registerImage({
    imageId: `${groupImageId(group).slice(0, -4)}${String(run + 10).padStart(4, '0')}`,
    name: `${group}-al2023-patched-${run}`,
    architecture: 'x86_64',
  });
  return String(ec2.addLaunchTemplateVersion(launchTemplateOf(world, group), { ImageId: image }, 1));
}

/** The SSM parameter of Amazon Linux 2023's latest AMI, as a launch template names it. */
const SSM_AMI_ALIAS = 'resolve:ssm:/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64';

/**
 * Moves the group to a new launch template version whose AMI is an SSM parameter alias, as an
 * operator would (no refresh: new instances launch from it), so no rollback to it is native and
 * a failed refresh is undone by cancelling and reverting. @returns that version.
 */
function moveToSsmAliasVersion(world: SimulatedWorld, group: string): string {
  const templateId = launchTemplateOf(world, group);
  const version = String(
    world.services.ec2.addLaunchTemplateVersion(templateId, { ImageId: SSM_AMI_ALIAS }, 1),
  );
  const spec = { LaunchTemplateId: templateId, Version: version };
  const [described] = (
    world.autoScaling.describeAutoScalingGroups({ AutoScalingGroupNames: [group] }) as {
      AutoScalingGroups: { MixedInstancesPolicy?: unknown }[];
    }
  ).AutoScalingGroups;
  world.autoScaling.updateAutoScalingGroup({
    AutoScalingGroupName: group,
    ...(described?.MixedInstancesPolicy
      ? { MixedInstancesPolicy: { LaunchTemplate: { LaunchTemplateSpecification: spec } } }
      : { LaunchTemplate: spec }),
  });
  return version;
}

/**
 * How a run's refresh goes wrong: `rollback`, the configuration's first watched alarm goes into
 * ALARM once the refresh started (where it watches one), else the new version's instances fail
 * their health checks; `revert`, the group first moves to a version on an SSM AMI alias (no native
 * rollback), then the new version fails its health checks. @returns the version the run should
 * end on, and what to do once the refresh started and once the run ended.
 */
function prepareRun(
  real: RealLambdaTasks,
  enrolment: UserConfigInput,
  kind: RollingUpdateRun['kind'],
  version: string,
) {
  const { world, groupName } = real;
  const [alarm] = enrolment.rollingUpdate?.alarmNames ?? [];
  const alarmGoesOff = kind === 'rollback' && alarm !== undefined;
  const before = groupVersion(world, groupName);
  const endsOn =
    kind === 'rollout' ? version : kind === 'revert' ? moveToSsmAliasVersion(world, groupName) : before;
  if (kind !== 'rollout' && !alarmGoesOff) world.autoScaling.failHealthChecksOf(groupName, version);
  const setAlarm = (state: 'ALARM' | 'OK') => () => {
    if (alarmGoesOff) world.alarms.setState(alarm, state, world.clock.nowMs());
  };
  return { endsOn, onRefreshStarted: setAlarm('ALARM'), onEnded: setAlarm('OK') };
}

/** The launch template version the group launches from now. */
function groupVersion(world: SimulatedWorld, group: string): string {
  type Spec = { LaunchTemplateSpecification?: { Version?: string } };
  const [described] = (
    world.autoScaling.describeAutoScalingGroups({ AutoScalingGroupNames: [group] }) as {
      AutoScalingGroups: {
        LaunchTemplate?: { Version?: string };
        MixedInstancesPolicy?: { LaunchTemplate?: Spec };
      }[];
    }
  ).AutoScalingGroups;
  return String(
    described?.LaunchTemplate?.Version ??
      described?.MixedInstancesPolicy?.LaunchTemplate?.LaunchTemplateSpecification?.Version,
  );
}

/**
 * Task handlers for the Lambda states: the real bundled handler invoked as its deployed function
 * (`real.invoke`) against the configuration's world.
 */
function realLambdaHandlers(
  real: RealLambdaTasks,
  entered: string[],
  errors: string[],
): Record<string, (input: Record<string, unknown>) => Promise<unknown>> {
  return Object.fromEntries(
    Object.entries(ROLLING_UPDATE_LAMBDA_STATES).map(([state, name]) => [
      state,
      async (input: Record<string, unknown>) => {
        entered.push(`${state} → ${name}`);
        try {
          return (await real.invoke(name, input)) ?? null;
        } catch (error) {
          errors.push(`${name}: ${(error as Error).name}: ${(error as Error).message}`);
          throw error;
        }
      },
    ]),
  );
}

/**
 * The deployed state machine's Task checks for `groupName`, enrolled as `enrolment` enrols it: it
 * carries the enrolment tag, or it is a named group whose refresh names its listed launch template.
 */
function taskChecksFor(account: DeployedAccount, enrolment: UserConfigInput, groupName: string) {
  const tag = enrolment.groups.tag;
  const tags = tag ? { [tag.key]: tag.value } : {};
  const standsFor = enrolment.groups.names?.includes(groupName)
    ? {
        harnessGroup: groupName,
        group: groupName,
        launchTemplateId: groupLaunchTemplateId(groupName, enrolment),
      }
    : undefined;
  return new StateMachineTaskChecks(account, () => tags, { enrolment, ...(standsFor ? { standsFor } : {}) });
}

type Key = Record<string, unknown>;

/**
 * Sends the state machine's own DynamoDB tasks (its group lock, its records) to the state table
 * the real functions read (dynalite), so a condition is evaluated by DynamoDB and a lock held is one
 * validate-rolling-update sees. Returns the keys written, by state.
 */
function stateTableTasks(
  definition: string,
  world: RollingUpdateWorld,
  real: RealLambdaTasks,
): Map<string, Key> {
  const written = new Map<string, Key>();
  for (const call of stateMachineCalls(definition).filter((c) => c.service === 'dynamodb'))
    world.sdkOverrides.set(call.state, async (input) => {
      const item = (input.Item ?? input.Key) as Key & { pk: unknown; sk: unknown };
      written.set(call.state, { pk: item.pk, sk: item.sk });
      try {
        return await real.stateTableTask(call.operation as StateTableOperation, input);
      } catch (error) {
        // Step Functions names a DynamoDB integration's error after the service.
        throw namedError(`DynamoDB.${(error as Error).name}`, (error as Error).message);
      }
    });
  return written;
}

/** What the run left in the state table: its record's outcome, and whether its lock is still held. */
async function stateTableAfter(real: RealLambdaTasks, written: ReadonlyMap<string, Key>) {
  const read = async (key: Key | undefined) =>
    key
      ? (
          (await real.stateTableTask('GetItem', { Key: key, ConsistentRead: true })) as {
            Item?: Record<string, { S?: string }>;
          }
        ).Item
      : undefined;
  const record = await read(written.get('Record outcome'));
  const lock = await read(written.get('Acquire group lock'));
  return { ...(record?.status?.S ? { recordedStatus: record.status.S } : {}), lockHeld: lock !== undefined };
}

/**
 * Sends the state machine's Auto Scaling tasks to the configuration's simulated world (the same
 * group its functions read): the task's request as the API takes it, the answer as JSON (dates as
 * text, undefined fields dropped), a service error under the name Step Functions gives it
 * (`AutoScaling.InstanceRefreshInProgressException`), kept in `raised`. An error that is not the
 * service's (a call the world does not simulate) is thrown as it is and filed by the world.
 */
function autoScalingTasksOnWorld(
  definition: string,
  harness: RollingUpdateWorld,
  real: RealLambdaTasks,
  raised: string[],
  onRefreshStarted: () => void,
): void {
  for (const call of stateMachineCalls(definition).filter((c) => c.service === 'autoscaling'))
    harness.sdkOverrides.set(call.state, async (input) => {
      try {
        const answer = await real.world.answer(
          'autoscaling',
          `${call.operation}Command`,
          asServiceRequest(call, input),
        );
        if (call.operation === 'StartInstanceRefresh') onRefreshStarted();
        return JSON.parse(JSON.stringify(answer ?? {})) as unknown;
      } catch (error) {
        if (!(error instanceof SimulatedAwsError)) throw error;
        const name = stepFunctionsErrorName('autoscaling', error.name);
        raised.push(`${call.state}: ${name}: ${error.message}`);
        throw namedError(name, error.message);
      }
    });
}

/** What a run left on the group: its sizes, its refreshes (newest first), its instances' versions. */
function groupAfter(world: SimulatedWorld, groupName: string): RollingUpdateRun['group'] {
  const { minSize, desiredCapacity, maxSize } = world.autoScaling.counts(groupName);
  const refreshes = world.autoScaling.describeInstanceRefreshes({ AutoScalingGroupName: groupName }) as {
    InstanceRefreshes: { Status: string }[];
  };
  const [group] = (
    world.autoScaling.describeAutoScalingGroups({ AutoScalingGroupNames: [groupName] }) as {
      AutoScalingGroups: {
        Instances?: { LifecycleState?: string; LaunchTemplate?: { Version?: string } }[];
      }[];
    }
  ).AutoScalingGroups;
  const inService = (group?.Instances ?? []).filter((i) => i.LifecycleState === 'InService');
  return {
    sizes: `min ${minSize} desired ${desiredCapacity} max ${maxSize}`,
    refreshes: refreshes.InstanceRefreshes.map((r) => r.Status),
    versions: [...new Set(inService.map((i) => i.LaunchTemplate?.Version ?? '?'))].sort(),
  };
}

/**
 * Executes `definition` in aws-local-stepfunctions from the world's present, its Tasks answered by
 * the harness's handlers and its Waits on the world's clock (`waitsOnWorldClock`), retries at once.
 * @returns `succeeded` or `failed: <error>: <cause>`, and the waits taken.
 */
async function execute(
  definition: string,
  harness: RollingUpdateWorld,
  real: RealLambdaTasks,
  input: { readonly groupName: string; readonly version: string },
): Promise<{ outcome: string; waited: readonly string[] }> {
  const clock = { nowMs: () => real.world.clock.nowMs(), advanceTo: real.advanceTo };
  const waits = waitsOnWorldClock(JSON.parse(definition) as Record<string, unknown>, clock);
  const handlers = { ...harness.handlers(), ...waits.handlers };
  const execution = new StateMachine(waits.definition as never).run(
    { groupName: input.groupName, launchTemplateVersion: input.version } as never,
    {
      overrides: {
        taskResourceLocalHandlers: handlers as never,
        retryIntervalOverrides: Object.fromEntries(Object.keys(handlers).map((s) => [s, 0])),
      },
      context: {
        Execution: { Name: EXECUTION_NAME },
        State: { EnteredTime: new Date(clock.nowMs()).toISOString() },
      },
    },
  );
  const outcome = await execution.result.then(
    () => 'succeeded',
    (error: { cause?: { name?: string; message?: string } }) =>
      `failed: ${error.cause?.name ?? 'unknown'}: ${error.cause?.message ?? String(error)}`,
  );
  return { outcome, waited: waits.waited };
}

/**
 * Runs the deployed rolling-update definition (every ARN concrete) in aws-local-stepfunctions on
 * a new launch template version (new AMI) of `real.groupName`: every Task call the state machine
 * makes is validated against its API model and authorized as the deployed state machine's role;
 * its Lambda tasks run the real bundled handlers against the configuration's simulated world, as
 * each function's deployed role (their requests land in the run's request checks); its Auto
 * Scaling tasks act on that world's group, whose refresh replaces instances as time passes; its
 * DynamoDB tasks go to the functions' state table; its Wait states move the world's clock
 * (load recorded, the scaling loop ticking); only its SNS notification is answered by the
 * rolling-update harness. The group is enrolled as `enrolment` enrols groups: it carries the
 * enrolment tag, or it is a named group with its listed launch template. `rollback` and
 * `revert`: the refresh fails (`prepareRun`) and is undone, natively or by a revert.
 */
export async function runRollingUpdate(
  account: DeployedAccount,
  enrolment: UserConfigInput,
  kind: RollingUpdateRun['kind'],
  real: RealLambdaTasks,
): Promise<RollingUpdateRun> {
  const machine = account.stateMachines[0];
  if (!machine) throw new Error('the template deploys no rolling-update state machine');
  const { groupName } = real;
  const harness = new RollingUpdateWorld();
  const writes = stateTableTasks(machine.definition, harness, real);
  const raised: string[] = [];
  const version = addNewImageVersion(
    real.world,
    groupName,
    ['rollout', 'rollback', 'revert'].indexOf(kind) + 1,
  );
  const prepared = prepareRun(real, enrolment, kind, version);
  autoScalingTasksOnWorld(machine.definition, harness, real, raised, prepared.onRefreshStarted);
  const checks = taskChecksFor(account, enrolment, groupName);
  harness.taskChecks = (state, input) => checks.check(state, input);
  const lambdaTasks: string[] = [];
  const lambdaErrors: string[] = [];
  // Overrides keep the harness's check of the state machine's own lambda:InvokeFunction call.
  for (const [state, handler] of Object.entries(realLambdaHandlers(real, lambdaTasks, lambdaErrors)))
    harness.lambdaOverrides.set(state, handler);
  const sizesBefore = groupAfter(real.world, groupName).sizes;
  const startedMs = real.world.clock.nowMs();
  const { outcome, waited } = await execute(machine.definition, harness, real, { groupName, version });
  const endedMs = real.world.clock.nowMs();
  prepared.onEnded();
  const loopRuns = await real.runRecords(groupName, startedMs + 1);
  const group = groupAfter(real.world, groupName);
  // The loop's next tick, its group free again.
  await real.advanceTo(endedMs + LOOP_TICK_MS);
  const loopAfter = (await real.runRecords(groupName, endedMs + 1)).map(
    (r) => `${r.outcome.kind}: ${r.outcome.reason}`,
  );
  return {
    kind,
    groupName,
    version,
    endsOn: prepared.endsOn,
    outcome,
    stateTable: await stateTableAfter(real, writes),
    authorized: checks.authorized,
    refusals: checks.refusals,
    lambdaTasks,
    lambdaErrors,
    raised,
    waited,
    minutes: Math.round((endedMs - startedMs) / 60_000),
    sizesBefore,
    group,
    loopDuring: loopRuns.map((r) => `${r.outcome.kind}: ${r.outcome.reason}`),
    loopAfter,
  };
}
