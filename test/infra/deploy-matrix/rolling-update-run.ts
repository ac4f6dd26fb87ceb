import { StateMachine } from 'aws-local-stepfunctions';
import type { UserConfigInput } from '../../../shared/contracts/user-config';
import type { DeployedAccount } from '../../../shared/simulation/aws-checks/deployed-account';
import { groupLaunchTemplateId } from '../../../shared/simulation/aws-checks/group-launch-template';
import { stateMachineCalls } from '../../../shared/simulation/aws-checks/state-machine-calls';
import {
  StateMachineTaskChecks,
  type TaskRefusal,
} from '../../../shared/simulation/aws-checks/state-machine-task-checks';
import type { PrescaleLambdas, StateTableOperation } from '../../../shared/simulation/run/prescale-lambdas';
import { launchTemplateOf } from '../../../shared/simulation/scenarios/side-service-scenarios';
import { groupImageId } from '../../../shared/simulation/world/ec2-side-services';
import type { SimulatedWorld } from '../../../shared/simulation/world/simulated-world';
import { EXECUTION_NAME, namedError, RollingUpdateWorld } from '../rolling-update-harness';

/** One run of the deployed rolling-update state machine: how it ended and what its Task checks saw. */
export interface RollingUpdateRun {
  readonly kind: 'rollout' | 'rollback';
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
}

const WAITS = ['Wait for low load', 'Wait before checking progress', 'Wait during rollback'];

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

/**
 * Task handlers for the Lambda states: the real bundled handler invoked as its deployed function
 * (`real.invoke`) against the configuration's world. The Wait before `Choose update window` is
 * instant, so the world's clock moves as far as it would have waited.
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
        const window = (input as { window?: { decision?: string; waitSeconds?: number } }).window;
        if (state === 'Choose update window' && window?.decision === 'wait')
          real.world.advanceTo(real.world.clock.nowMs() + (window.waitSeconds ?? 0) * 1000);
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
 * Runs the deployed rolling-update definition (every ARN concrete) in aws-local-stepfunctions on
 * a new launch template version (new AMI) of `real.groupName`: every Task call the state machine
 * makes is validated against its API model and authorized as the deployed state machine's role;
 * its Lambda tasks run the real bundled handlers against the configuration's simulated world, as
 * each function's deployed role (their requests land in the run's request checks); its DynamoDB
 * tasks go to the functions' state table; its other SDK tasks are answered by the rolling-update
 * harness, whose group starts at the simulated group's sizes.
 * The group is enrolled as `enrolment` enrols groups: it carries the enrolment tag, or it is a
 * named group with its listed launch template. `rollback`: the forward refresh fails.
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
  const { minSize, maxSize, desiredCapacity } = real.world.autoScaling.counts(groupName);
  const world = new RollingUpdateWorld({
    minSize,
    maxSize,
    desiredCapacity,
    inServiceCapacity: desiredCapacity,
  });
  if (kind === 'rollback') world.forwardScript = ['InProgress', 'Failed'];
  const writes = stateTableTasks(machine.definition, world, real);
  const checks = taskChecksFor(account, enrolment, groupName);
  world.taskChecks = (state, input) => checks.check(state, input);
  const lambdaTasks: string[] = [];
  const lambdaErrors: string[] = [];
  // Overrides keep the harness's check of the state machine's own lambda:InvokeFunction call.
  for (const [state, handler] of Object.entries(realLambdaHandlers(real, lambdaTasks, lambdaErrors)))
    world.lambdaOverrides.set(state, handler);
  const handlers = world.handlers();
  const version = addNewImageVersion(real.world, groupName, kind === 'rollout' ? 1 : 2);
  const execution = new StateMachine(JSON.parse(machine.definition)).run(
    { groupName, launchTemplateVersion: version } as never,
    {
      overrides: {
        taskResourceLocalHandlers: handlers as never,
        waitTimeOverrides: Object.fromEntries(WAITS.map((w) => [w, 0])),
        retryIntervalOverrides: Object.fromEntries(Object.keys(handlers).map((s) => [s, 0])),
      },
      context: {
        Execution: { Name: EXECUTION_NAME },
        State: { EnteredTime: new Date(real.world.clock.nowMs()).toISOString() },
      },
    },
  );
  const outcome = await execution.result.then(
    () => 'succeeded',
    (error: { cause?: { name?: string; message?: string } }) =>
      `failed: ${error.cause?.name ?? 'unknown'}: ${error.cause?.message ?? String(error)}`,
  );
  return {
    kind,
    groupName,
    outcome,
    stateTable: await stateTableAfter(real, writes),
    authorized: checks.authorized,
    refusals: checks.refusals,
    lambdaTasks,
    lambdaErrors,
  };
}
