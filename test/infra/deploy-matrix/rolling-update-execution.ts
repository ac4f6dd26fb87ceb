import type { UserConfigInput } from '../../../shared/contracts/user-config';
import type { DeployedAccount } from '../../../shared/simulation/aws-checks/deployed-account';
import { groupLaunchTemplateId } from '../../../shared/simulation/aws-checks/group-launch-template';
import {
  asServiceRequest,
  type StateMachineCall,
  stateMachineCalls,
} from '../../../shared/simulation/aws-checks/state-machine-calls';
import {
  StateMachineTaskChecks,
  type TaskRefusal,
} from '../../../shared/simulation/aws-checks/state-machine-task-checks';
import { stepFunctionsErrorName } from '../../../shared/simulation/aws-checks/step-functions-errors';
import type { PrescaleLambdas, StateTableOperation } from '../../../shared/simulation/run/prescale-lambdas';
import { SimulatedAwsError } from '../../../shared/simulation/world/simulated-aws-error';
import type { SimulatedWorld } from '../../../shared/simulation/world/simulated-world';
import { localStateMachine } from '../../helpers/local-state-machine';
import { namedError, RollingUpdateWorld } from '../rolling-update-harness';
import { waitsOnWorldClock } from './waits-on-world-clock';

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
  /** The scaling loop's deployed rate (`deployedTickMs`); five minutes without. */
  readonly tickMs?: number;
  /** The scaling loop's run records of a group since a time. */
  readonly runRecords: PrescaleLambdas['runRecords'];
  /** Sets the enrolled groups' offered load to `factor` times their trace's for the next `minutes`. */
  readonly surgeLoad: (factor: number, minutes: number) => void;
}

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
        throw namedError(stepFunctionsErrorName('dynamodb', (error as Error).name), (error as Error).message);
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

/** The services whose Task calls the simulated world answers (the rest: Lambda, DynamoDB, by their own routes). */
const WORLD_SERVICES = new Set(['autoscaling', 'sns']);

/**
 * Answers one SDK Task call from the configuration's simulated world: the task's request as the
 * API takes it, the answer as JSON (dates as text, undefined fields dropped), a service error
 * thrown under the name Step Functions gives it (`AutoScaling.InstanceRefreshInProgressException`,
 * `SNS.NotFoundException`) after `onServiceError` saw it. An error that is not the service's (a
 * call the world does not simulate) is thrown as it is, and the world files it.
 */
export async function answerTaskFromWorld(
  world: SimulatedWorld,
  call: StateMachineCall,
  input: Record<string, unknown>,
  onServiceError: (stepFunctionsError: string, message: string) => void = () => {},
): Promise<unknown> {
  try {
    const answer = await world.answer(
      call.service,
      `${call.operation}Command`,
      asServiceRequest(call, input),
    );
    return JSON.parse(JSON.stringify(answer ?? {})) as unknown;
  } catch (error) {
    if (!(error instanceof SimulatedAwsError)) throw error;
    const name = stepFunctionsErrorName(call.service, error.name);
    onServiceError(name, error.message);
    throw namedError(name, error.message);
  }
}

/**
 * Sends the state machine's Auto Scaling and SNS tasks to the configuration's simulated world (the
 * group its functions read, the deployment's topic) through `answerTaskFromWorld`: service errors
 * kept in `log.raised`, notifications published in `log.notified` (`subject: message`), the
 * group's sizes set in `log.resized`.
 */
function worldServiceTasks(
  definition: string,
  harness: RollingUpdateWorld,
  real: RealLambdaTasks,
  log: {
    readonly raised: string[];
    readonly notified: string[];
    readonly resized: string[];
    readonly hooks: RefreshHooks;
  },
): void {
  for (const call of stateMachineCalls(definition).filter((c) => WORLD_SERVICES.has(c.service)))
    harness.sdkOverrides.set(call.state, async (input) => {
      if (call.operation === 'StartInstanceRefresh') log.hooks.beforeStart?.();
      const answer = await answerTaskFromWorld(real.world, call, input, (name, message) =>
        log.raised.push(`${call.state}: ${name}: ${message}`),
      );
      if (call.operation === 'StartInstanceRefresh') log.hooks.started?.();
      if (call.operation === 'UpdateAutoScalingGroup')
        log.resized.push(
          `${call.state}: min ${String(input.MinSize)} desired ${String(input.DesiredCapacity)}`,
        );
      if (call.service === 'sns') log.notified.push(`${String(input.Subject)}: ${String(input.Message)}`);
      return answer;
    });
}

/** One execution of the deployed rolling-update state machine on the world: how it ended, what it did. */
export interface RollingUpdateExecution {
  /** `succeeded`, or `failed: <error>: <cause>`. */
  readonly outcome: string;
  /** The execution's output when it succeeded; its error and cause when it failed. */
  readonly output?: unknown;
  readonly error?: { readonly name: string; readonly cause: string };
  /** Task calls checked, as `state: action`, and the calls the deployment refused. */
  readonly authorized: ReadonlySet<string>;
  readonly refusals: readonly TaskRefusal[];
  /** Lambda Task states run by the real bundled handler, as `state → function`, in order entered. */
  readonly lambdaTasks: readonly string[];
  /** Errors the real handlers threw (the state machine may catch them and go on), as `function: name: message`. */
  readonly lambdaErrors: readonly string[];
  /** Service errors the world raised to the Auto Scaling and SNS tasks, as `state: Step Functions error: message`. */
  readonly raised: readonly string[];
  /** Notifications the world's topic took, as `subject: message`. */
  readonly notified: readonly string[];
  /** The sizes the state machine set on the group (`UpdateAutoScalingGroup`), as `state: min … desired …`. */
  readonly resized: readonly string[];
  /** The Wait states' waits on the world's clock, as `state: seconds`. */
  readonly waited: readonly string[];
  /** The state table after the run: the outcome its record holds, and whether the group lock is still held. */
  readonly stateTable: { readonly recordedStatus?: string; readonly lockHeld: boolean };
}

/** What a run does around the state machine's refresh start: just before the world answers it, and once one started. */
export interface RefreshHooks {
  readonly beforeStart?: () => void;
  readonly started?: () => void;
}

/**
 * Runs the deployed rolling-update definition (every ARN concrete) in aws-local-stepfunctions as
 * execution `name` on `input`, from the world's present: every Task call the state machine makes
 * is validated against its API model and authorized as the deployed state machine's role; its
 * Lambda tasks run the real bundled handlers against the configuration's simulated world, as each
 * function's deployed role; its Auto Scaling tasks act on that world's group, whose refresh
 * replaces instances as time passes (`hooks` run around its start), and its SNS
 * notification goes to the world's topic; its DynamoDB tasks go to the functions' state table; its
 * Wait states move the world's clock (load recorded, the scaling loop ticking).
 * The group is enrolled as `enrolment` enrols groups: it carries the enrolment tag, or it is a
 * named group with its listed launch template.
 */
export async function executeRollingUpdate(
  account: DeployedAccount,
  enrolment: UserConfigInput,
  real: RealLambdaTasks,
  execution: { readonly name: string; readonly input: Record<string, unknown> },
  hooks: RefreshHooks = {},
): Promise<RollingUpdateExecution> {
  const machine = account.stateMachines[0];
  if (!machine) throw new Error('the template deploys no rolling-update state machine');
  const harness = new RollingUpdateWorld();
  const writes = stateTableTasks(machine.definition, harness, real);
  const raised: string[] = [];
  const notified: string[] = [];
  const resized: string[] = [];
  worldServiceTasks(machine.definition, harness, real, { raised, notified, resized, hooks });
  const checks = taskChecksFor(account, enrolment, real.groupName);
  harness.taskChecks = (state, input) => checks.check(state, input);
  const lambdaTasks: string[] = [];
  const lambdaErrors: string[] = [];
  // Overrides keep the harness's check of the state machine's own lambda:InvokeFunction call.
  for (const [state, handler] of Object.entries(realLambdaHandlers(real, lambdaTasks, lambdaErrors)))
    harness.lambdaOverrides.set(state, handler);
  const ended = await execute(machine.definition, harness, real, execution);
  return {
    ...ended,
    stateTable: await stateTableAfter(real, writes),
    authorized: checks.authorized,
    refusals: checks.refusals,
    lambdaTasks,
    lambdaErrors,
    raised,
    notified,
    resized,
  };
}

/**
 * Executes `definition` in aws-local-stepfunctions from the world's present, its Tasks answered by
 * the harness's handlers and its Waits on the world's clock (`waitsOnWorldClock`), retries at once.
 * @returns how it ended (its output, or its error and cause) and the waits taken.
 */
async function execute(
  definition: string,
  harness: RollingUpdateWorld,
  real: RealLambdaTasks,
  execution: { readonly name: string; readonly input: Record<string, unknown> },
): Promise<Pick<RollingUpdateExecution, 'outcome' | 'output' | 'error' | 'waited'>> {
  const clock = { nowMs: () => real.world.clock.nowMs(), advanceTo: real.advanceTo };
  const waits = waitsOnWorldClock(JSON.parse(definition) as Record<string, unknown>, clock);
  const handlers = { ...harness.handlers(), ...waits.handlers };
  const run = localStateMachine(waits.definition).run(execution.input as never, {
    overrides: {
      taskResourceLocalHandlers: handlers as never,
      retryIntervalOverrides: Object.fromEntries(Object.keys(handlers).map((s) => [s, 0])),
    },
    context: { Execution: { Name: execution.name } },
    nowMs: clock.nowMs,
  });
  return run.result.then(
    (output) => ({ outcome: 'succeeded', output, waited: waits.waited }),
    (failure: { cause?: { name?: string; message?: string } }) => {
      const error = {
        name: failure.cause?.name ?? 'unknown',
        cause: failure.cause?.message ?? String(failure),
      };
      return { outcome: `failed: ${error.name}: ${error.cause}`, error, waited: waits.waited };
    },
  );
}
