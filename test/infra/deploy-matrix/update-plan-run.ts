import type { UserConfigInput } from '../../../shared/contracts/user-config';
import type { DeployedAccount } from '../../../shared/simulation/aws-checks/deployed-account';
import type { StateMachineCall } from '../../../shared/simulation/aws-checks/state-machine-calls';
import { StateMachineTaskChecks } from '../../../shared/simulation/aws-checks/state-machine-task-checks';
import { startUpdatePlan } from '../update-plan-harness';
import {
  answerTaskFromWorld,
  executeRollingUpdate,
  type RealLambdaTasks,
  type RollingUpdateExecution,
} from './rolling-update-execution';

/** One run of the deployed update-plan state machine: how it ended and what its Task checks saw. */
export interface UpdatePlanRun
  extends Pick<
    RollingUpdateExecution,
    'outcome' | 'authorized' | 'refusals' | 'lambdaTasks' | 'lambdaErrors' | 'notified'
  > {
  /** Child rolling-update executions the plan started, by name. */
  readonly children: readonly string[];
  /** How each child rolling update the plan started ended, run on the world, as `name: outcome`. */
  readonly childRuns: readonly string[];
  /** The child executions' own Task checks' refusals, service errors and handler errors. */
  readonly childProblems: readonly string[];
}

/** The update-plan workflow's Lambda Task states and the functions they invoke (infra/constructs). */
export const UPDATE_PLAN_LAMBDA_STATES: Readonly<Record<string, string>> = {
  'Read campaign calendar': 'read-plan-calendar',
  // With X-Ray discovery on.
  'Read discovered dependencies': 'read-plan-discovery',
  'Compute plan': 'compute-update-plan',
  'Lock plan groups': 'lock-update-plan',
  'Decide next plan step': 'advance-update-plan',
  'Cut group report': 'advance-update-plan',
  'Cut revert report': 'advance-update-plan',
  'Release plan locks': 'release-update-plan',
};

/**
 * Where the plan runs: the configuration's world, its deployed functions and its state table, and
 * how its child rolling updates run there (`RealLambdaTasks` but the group, which each child names).
 */
export interface UpdatePlanDeployment extends Omit<RealLambdaTasks, 'groupName'> {
  readonly account: DeployedAccount;
  /** The configuration the deployment enrols groups by (the child updates' task checks). */
  readonly enrolment: UserConfigInput;
}

type Json = Record<string, unknown>;

/** The plan's notification task, as its definition names the call. */
const notifyCall: StateMachineCall = {
  state: 'Notify operators',
  service: 'sns',
  operation: 'Publish',
  parameters: {},
};

/** What the Task handlers saw while the plan ran. */
interface PlanTaskLog {
  readonly notified: string[];
  readonly childRuns: string[];
  readonly childProblems: string[];
  readonly lambdaTasks: string[];
  readonly lambdaErrors: string[];
  readonly children: string[];
}

/** A child execution's `startExecution.sync:2` failure: the Task fails with the child's end as cause. */
const childFailed = (error: string, cause: string | undefined): Error =>
  Object.assign(new Error(JSON.stringify({ status: 'FAILED', error, cause })), { name: 'States.TaskFailed' });

/**
 * One child rolling update (`startExecution.sync:2`) as the plan sees it end: run to its end on
 * the world as the deployed rolling-update state machine (`executeRollingUpdate`, its validation
 * reading the plan's locks: a plan child must be in a plan that holds its group), its output
 * returned, or its error as the task's failure. With `childrenFail` the target version's
 * instances fail their health checks for the child's run, so its refresh fails and is undone.
 */
async function runChild(
  deployment: UpdatePlanDeployment,
  log: PlanTaskLog,
  input: Json,
  childrenFail: boolean,
): Promise<unknown> {
  const name = String(input.Name);
  log.children.push(name);
  const request = (typeof input.Input === 'string' ? JSON.parse(input.Input) : input.Input) as Json;
  const groupName = String(request.groupName);
  const version = String(request.launchTemplateVersion);
  const health = deployment.world.autoScaling;
  if (childrenFail) health.failHealthChecksOf(groupName, version);
  const real = { ...deployment, groupName };
  const child = await executeRollingUpdate(deployment.account, deployment.enrolment, real, {
    name,
    input: request,
  }).finally(() => {
    if (childrenFail) health.passHealthChecksOf(groupName, version);
  });
  log.childRuns.push(`${name}: ${child.outcome}`);
  log.childProblems.push(
    ...child.refusals.map((r) => `${name} refused ${r.state}: ${r.error}`),
    ...child.raised.map((r) => `${name} raised ${r}`),
    ...child.lambdaErrors.map((e) => `${name} handler ${e}`),
  );
  if (child.error) throw childFailed(child.error.name, child.error.cause);
  const rollingUpdates = String(input.StateMachineArn).replace(':stateMachine:', ':execution:');
  return { ExecutionArn: `${rollingUpdates}:${name}`, Status: 'SUCCEEDED', Output: child.output };
}

/**
 * The Task handlers of a plan run: each checks its call as the deployed state machine's
 * (`checks`), then the Lambda states invoke the real functions (the wait before a decision moves
 * the world's clock as far), `Record plan` writes the state table, a child runs as `runChild`, the
 * notification goes to the world's topic.
 */
function planTaskHandlers(
  deployment: UpdatePlanDeployment,
  checks: StateMachineTaskChecks,
  log: PlanTaskLog,
  childrenFail: boolean,
): Record<string, (input: Json) => Promise<unknown>> {
  const { world } = deployment;
  const checked = (state: string, run: (input: Json) => Promise<unknown>) => async (input: Json) => {
    const refusal = await checks.check(state, input);
    if (refusal) throw Object.assign(new Error(refusal.cause), { name: refusal.error });
    // Task results are JSON: undefined fields dropped as the service would.
    return JSON.parse(JSON.stringify((await run(input)) ?? null)) as unknown;
  };
  const lambda = (state: string, name: string) =>
    checked(state, async (input) => {
      const step = (input as { step?: { action?: string; waitSeconds?: number } }).step;
      if (state === 'Decide next plan step' && step?.action === 'wait')
        await deployment.advanceTo(world.clock.nowMs() + (step.waitSeconds ?? 0) * 1000);
      log.lambdaTasks.push(`${state} → ${name}`);
      try {
        return await deployment.invoke(name, input);
      } catch (error) {
        log.lambdaErrors.push(`${name}: ${(error as Error).name}: ${(error as Error).message}`);
        throw error;
      }
    });
  const child = (state: string) => checked(state, (input) => runChild(deployment, log, input, childrenFail));
  return {
    ...Object.fromEntries(Object.entries(UPDATE_PLAN_LAMBDA_STATES).map(([s, n]) => [s, lambda(s, n)])),
    'Record plan': checked('Record plan', async (input) => {
      await deployment.stateTableTask('PutItem', input);
      return {};
    }),
    'Update group': child('Update group'),
    'Revert group': child('Revert group'),
    'Notify operators': checked('Notify operators', async (input) => {
      const answer = await answerTaskFromWorld(world, notifyCall, input);
      log.notified.push(`${String(input.Subject)}: ${String(input.Message)}`);
      return answer;
    }),
  };
}

/**
 * Runs the deployed update-plan definition (every ARN concrete) in aws-local-stepfunctions on the
 * execution a plan request started (its state machine, `name`, `input`): every Task call is validated against its API
 * model and authorized as the deployed state machine's role; the Lambda tasks run the real bundled
 * functions as their deployed roles against the configuration's world; `Record plan` writes the
 * plan to the functions' state table; each child rolling update (`startExecution.sync:2`) is
 * checked and then runs to its end on the world as the deployed rolling-update state machine
 * (`runChild`; with `childrenFail` its refresh fails its health checks and is undone, and the plan
 * then ends by notifying the operators); the wait between slots moves the world's clock as far
 * (load recorded, the scaling loop ticking).
 */
export async function runUpdatePlan(
  deployment: UpdatePlanDeployment,
  execution: { readonly stateMachineArn: string; readonly name: string; readonly input: string },
  { childrenFail = false }: { readonly childrenFail?: boolean } = {},
): Promise<UpdatePlanRun> {
  const { account, world } = deployment;
  const machine = account.stateMachines.find((m) => m.arn === execution.stateMachineArn);
  if (!machine) throw new Error(`the template deploys no state machine ${execution.stateMachineArn}`);
  const checks = new StateMachineTaskChecks(account, () => ({}), { stateMachineArn: machine.arn });
  const log: PlanTaskLog = {
    notified: [],
    childRuns: [],
    childProblems: [],
    lambdaTasks: [],
    lambdaErrors: [],
    children: [],
  };
  const handlers = planTaskHandlers(deployment, checks, log, childrenFail);
  const run = startUpdatePlan(JSON.parse(machine.definition), JSON.parse(execution.input), handlers, {
    name: execution.name,
    arn: `${machine.arn.replace(':stateMachine:', ':execution:')}:${execution.name}`,
    startTime: new Date(world.clock.nowMs()).toISOString(),
  });
  const outcome = await run.result.then(
    () => 'succeeded',
    (error: { cause?: { name?: string; message?: string } }) =>
      `failed: ${error.cause?.name ?? 'unknown'}: ${error.cause?.message ?? String(error)}`,
  );
  const { lambdaTasks, lambdaErrors, children, childRuns, childProblems, notified } = log;
  return {
    outcome,
    authorized: checks.authorized,
    refusals: checks.refusals,
    lambdaTasks,
    lambdaErrors,
    childRuns,
    childProblems,
    children,
    notified,
  };
}
