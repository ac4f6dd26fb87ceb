import { StateMachine } from 'aws-local-stepfunctions';
import type { UserConfigInput } from '../../../shared/contracts/user-config';
import type { DeployedAccount } from '../../../shared/simulation/aws-checks/deployed-account';
import { groupLaunchTemplateId } from '../../../shared/simulation/aws-checks/group-launch-template';
import {
  StateMachineTaskChecks,
  type TaskRefusal,
} from '../../../shared/simulation/aws-checks/state-machine-task-checks';
import { EXECUTION_NAME, RollingUpdateWorld, T0 } from '../rolling-update-harness';

/** One run of the deployed rolling-update state machine: how it ended and what its Task checks saw. */
export interface RollingUpdateRun {
  readonly kind: 'rollout' | 'rollback';
  /** `succeeded`, or `failed: <error>: <cause>` (a rollback run ends failed by design). */
  readonly outcome: string;
  /** Task calls checked, as `state: action`. */
  readonly authorized: ReadonlySet<string>;
  readonly refusals: readonly TaskRefusal[];
}

const WAITS = ['Wait for low load', 'Wait before checking progress', 'Wait during rollback'];

/**
 * Runs the deployed rolling-update definition (every ARN concrete) in aws-local-stepfunctions on
 * the rolling-update harness, every Task call validated against its API model and authorized as
 * the deployed state machine's role. The harness group `web` is enrolled as `enrolment` enrols
 * groups: it carries the enrolment tag, or, for groups enrolled by name only, stands for the first
 * named group and its listed launch template. `rollback`: the forward refresh fails.
 */
export async function runRollingUpdate(
  account: DeployedAccount,
  enrolment: UserConfigInput,
  kind: RollingUpdateRun['kind'],
): Promise<RollingUpdateRun> {
  const machine = account.stateMachines[0];
  if (!machine) throw new Error('the template deploys no rolling-update state machine');
  const tag = enrolment.groups.tag;
  const tags = tag ? { [tag.key]: tag.value } : {};
  const named = enrolment.groups.names?.[0];
  const standsFor =
    tag || !named
      ? undefined
      : { harnessGroup: 'web', group: named, launchTemplateId: groupLaunchTemplateId(named, enrolment) };
  const world = new RollingUpdateWorld({}, { rollingUpdate: { alarmNames: ['web-5xx'] } });
  if (kind === 'rollback') world.forwardScript = ['InProgress', 'Failed'];
  const checks = new StateMachineTaskChecks(account, () => tags, standsFor);
  world.taskChecks = (state, input) => checks.check(state, input);
  const execution = new StateMachine(JSON.parse(machine.definition)).run(
    { groupName: 'web', launchTemplateVersion: '7' } as never,
    {
      overrides: {
        taskResourceLocalHandlers: world.handlers() as never,
        waitTimeOverrides: Object.fromEntries(WAITS.map((w) => [w, 0])),
        retryIntervalOverrides: Object.fromEntries(Object.keys(world.handlers()).map((s) => [s, 0])),
      },
      context: { Execution: { Name: EXECUTION_NAME }, State: { EnteredTime: new Date(T0).toISOString() } },
    },
  );
  const outcome = await execution.result.then(
    () => 'succeeded',
    (error: { cause?: { name?: string; message?: string } }) =>
      `failed: ${error.cause?.name ?? 'unknown'}: ${error.cause?.message ?? String(error)}`,
  );
  return { kind, outcome, authorized: checks.authorized, refusals: checks.refusals };
}
