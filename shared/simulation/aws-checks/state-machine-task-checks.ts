import type { UserConfigInput } from '../../contracts/user-config';
import { RequestAuthorizer } from './authorize-request';
import type { DeployedAccount } from './deployed-account';
import { groupTemplateLaunch } from './group-launch-template';
import { accessDeniedCode, type ResourceFacts } from './request-permissions';
import { asServiceRequest, stateMachineCalls, taskPermissions } from './state-machine-calls';
import { STEP_FUNCTIONS_ERROR_PREFIX, stepFunctionsErrorName } from './step-functions-errors';
import { VALIDATION_ERROR_CODE, validateRequest } from './validate-request';

/**
 * A Task state's call the deployment refused: the state, the error Step Functions would raise
 * (`stepFunctionsErrorName`: an Auto Scaling `AccessDenied` → `AutoScaling.AutoScalingException`),
 * why.
 */
export interface TaskRefusal {
  readonly state: string;
  readonly error: string;
  readonly cause: string;
}

/** Which deployed state machine's calls to check, and for which group. */
export interface TaskCheckOptions {
  /** The state machine whose Task states are checked (default: the template's first, the rolling update). */
  readonly stateMachineArn?: string;
  /**
   * The local run's group (`harnessGroup`) stands for a group the configuration enrolls: its name
   * and launch template are authorized in the harness group's place.
   */
  readonly standsFor?: { harnessGroup: string; group: string; launchTemplateId: string };
  /**
   * The configuration the deployment enrolls: a group's launch template gives its instances the
   * role its convention names (`groupInstanceRole`: a named group's listed role, else
   * `<prefix>/<group>-instance-role` for a tag-enrolled one under `instanceRolePathPrefix`), which a refresh's
   * desired configuration passes.
   */
  readonly enrolment?: UserConfigInput;
}

/**
 * Checks each Task state's call as the deployed state machine makes it: the call's input (the
 * task's Parameters after JSONPath) validated against the service's API model, and authorized as
 * the state machine's role, on the resources the deployed definition names (its table, topic and
 * functions) and the group's ARN and tags from `groupTags`. Returns the refusal, if any; every
 * refusal is also kept in `refusals`.
 */
export class StateMachineTaskChecks {
  readonly refusals: TaskRefusal[] = [];
  /** Task calls checked, as `state: action`. */
  readonly authorized = new Set<string>();
  private readonly authorizer: RequestAuthorizer;
  private readonly calls: Map<string, ReturnType<typeof stateMachineCalls>[number]>;
  private readonly roleArn: string;

  private readonly standsFor: TaskCheckOptions['standsFor'];
  private readonly enrolment: UserConfigInput | undefined;

  constructor(
    private readonly account: DeployedAccount,
    private readonly groupTags: (groupName: string) => Readonly<Record<string, string>>,
    options: TaskCheckOptions = {},
  ) {
    this.standsFor = options.standsFor;
    this.enrolment = options.enrolment;
    const machine = options.stateMachineArn
      ? account.stateMachines.find((m) => m.arn === options.stateMachineArn)
      : account.stateMachines[0];
    if (!machine)
      throw new Error(`the template has no state machine ${options.stateMachineArn ?? ''}`.trim());
    this.roleArn = machine.roleArn;
    this.calls = new Map(stateMachineCalls(machine.definition).map((c) => [c.state, c]));
    this.authorizer = new RequestAuthorizer(account);
  }

  /** Checks the call of Task state `state` with `input`; resolves to the refusal or undefined. */
  async check(state: string, input: Readonly<Record<string, unknown>>): Promise<TaskRefusal | undefined> {
    const call = this.calls.get(state);
    if (!call) throw new Error(`no Task state ${state} in the deployed definition`);
    const deployedLiterals = Object.fromEntries(
      Object.entries(call.parameters).filter(([k, v]) => !k.endsWith('.$') && typeof v === 'string'),
    );
    const request = this.asDeployedGroup({ ...input, ...deployedLiterals });
    if (call.service !== 'lambda') {
      const violations = validateRequest(
        call.service,
        `${call.operation}Command`,
        asServiceRequest(call, request),
      );
      if (violations.length > 0)
        return this.refuse({
          state,
          error: stepFunctionsErrorName(
            call.service,
            VALIDATION_ERROR_CODE[call.service] ?? 'ValidationException',
          ),
          cause: violations.join('; '),
        });
    }
    const key = call.service === 'sns' ? this.account.topicKeys.get(String(request.TopicArn)) : undefined;
    const facts = this.facts(String(request.AutoScalingGroupName ?? ''));
    for (const permission of taskPermissions(call, request, facts, key)) {
      this.authorized.add(`${state}: ${permission.action}`);
      const decision = await this.authorizer.authorize({ principal: this.roleArn, ...permission });
      if (decision.kind === 'denied') {
        const code = accessDeniedCode(call.service, permission.action);
        return this.refuse({
          state,
          error: stepFunctionsErrorName(call.service, code),
          cause: `${this.notAuthorized(permission.action, permission.resourceArn)} (${decision.reason}) (Service: ${STEP_FUNCTIONS_ERROR_PREFIX[call.service] ?? call.service}, Status Code: ${code === 'KMSAccessDenied' ? 400 : 403}, Error Code: ${code})`,
        });
      }
    }
    return undefined;
  }

  private asDeployedGroup(request: Record<string, unknown>): Record<string, unknown> {
    const alias = this.standsFor;
    if (!alias || request.AutoScalingGroupName !== alias.harnessGroup) return request;
    const desired = request.DesiredConfiguration as { LaunchTemplate?: object } | undefined;
    return {
      ...request,
      AutoScalingGroupName: alias.group,
      ...(desired?.LaunchTemplate
        ? {
            DesiredConfiguration: {
              ...desired,
              LaunchTemplate: { ...desired.LaunchTemplate, LaunchTemplateId: alias.launchTemplateId },
            },
          }
        : {}),
    };
  }

  /**
   * IAM's denial as AWS words it for the state machine's role; Step Functions' session name is its
   * own, so only the role is read.
   */
  private notAuthorized(action: string, resourceArn: string): string {
    const role = this.roleArn.split('/').pop();
    return `User: arn:${this.account.target.partition}:sts::${this.account.target.account}:assumed-role/${role}/states is not authorized to perform: ${action} on resource: ${resourceArn}`;
  }

  private refuse(refusal: TaskRefusal): TaskRefusal {
    this.refusals.push(refusal);
    return refusal;
  }

  /** A group's launch template carries the group's tags (see docs/SECURITY.md) and its convention's role. */
  private facts(groupName: string): ResourceFacts {
    const { partition, region, account } = this.account.target;
    return {
      ...this.account.target,
      group: (name) => ({
        arn: `arn:${partition}:autoscaling:${region}:${account}:autoScalingGroup:7d2c5e3a-1b4f-4e8a-9c6d-2f1e0a9b8c7d:autoScalingGroupName/${name}`,
        tags: this.groupTags(name),
      }),
      launchTemplateTags: () => this.groupTags(groupName),
      templateLaunch: () =>
        groupTemplateLaunch(groupName, this.groupTags(groupName), this.enrolment, this.account.target),
      queueArn: (url) => url,
    };
  }
}
