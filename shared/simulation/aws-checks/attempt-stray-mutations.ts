import type { SimulatedWorld } from '../world/simulated-world';
import { type IamRequest, RequestAuthorizer } from './authorize-request';
import { worldFacts } from './aws-request-checks';
import type { DeployedAccount } from './deployed-account';
import { ownershipTagRequest } from './handler-calls';
import { GROUP_MUTATIONS, type RequiredPermission, requiredPermissions } from './request-permissions';
import { validateRequest } from './validate-request';

/** One mutation asked on a non-enrolled group of the world, as one deployed principal, and the answer. */
export interface StrayMutationAttempt {
  /** The handler (`scale-groups`) or `state-machine`. */
  readonly principal: string;
  readonly group: string;
  /** The API call (`autoscaling:SuspendProcesses`), or `iam:PassRole` for the role a launch passes. */
  readonly call: string;
  /** The first IAM action denied, or the last one allowed when every one was. */
  readonly action: string;
  readonly outcome: 'denied' | 'allowed';
  readonly detail: string;
}

type Request = { readonly service: string; readonly operation: string; readonly input: object };

const HOUR_MS = 3_600_000;

/**
 * A model-valid request for every group mutation (`GROUP_MUTATIONS`), a launch-template version
 * and a group update naming the group's own launch template (`ec2:RunInstances`), on `group`.
 */
function mutationRequests(
  group: string,
  launchTemplateId: string,
  nowMs: number,
  deployment: string,
): Request[] {
  const name = { AutoScalingGroupName: group };
  const action = 'prescale-stray-check';
  const inputs: Record<string, object> = {
    UpdateAutoScalingGroup: { ...name, MinSize: 1 },
    SetDesiredCapacity: { ...name, DesiredCapacity: 1 },
    StartInstanceRefresh: name,
    CancelInstanceRefresh: name,
    RollbackInstanceRefresh: name,
    PutScheduledUpdateGroupAction: {
      ...name,
      ScheduledActionName: action,
      StartTime: new Date(nowMs + HOUR_MS),
      MinSize: 1,
    },
    DeleteScheduledAction: { ...name, ScheduledActionName: action },
    PutWarmPool: { ...name, MinSize: 0 },
    DeleteWarmPool: name,
    SuspendProcesses: name,
    ResumeProcesses: name,
    BatchPutScheduledUpdateGroupAction: {
      ...name,
      ScheduledUpdateGroupActions: [{ ScheduledActionName: action, StartTime: new Date(nowMs + HOUR_MS) }],
    },
    BatchDeleteScheduledAction: { ...name, ScheduledActionNames: [action] },
    // The deployment's own ownership tag: only the group's enrolment may allow it.
    CreateOrUpdateTags: ownershipTagRequest('CreateOrUpdateTags', group, deployment),
    DeleteTags: ownershipTagRequest('DeleteTags', group, deployment),
  };
  return [
    ...[...GROUP_MUTATIONS].map((operation) => {
      const input = inputs[operation];
      if (!input) throw new Error(`no stray request for group mutation ${operation}`);
      return { service: 'autoscaling', operation, input };
    }),
    {
      service: 'autoscaling',
      operation: 'UpdateAutoScalingGroup',
      input: { ...name, LaunchTemplate: { LaunchTemplateId: launchTemplateId, Version: '$Latest' } },
    },
    {
      service: 'ec2',
      operation: 'CreateLaunchTemplateVersion',
      input: { LaunchTemplateId: launchTemplateId, LaunchTemplateData: { InstanceType: 'm7g.large' } },
    },
  ];
}

/**
 * Asks, as every principal the template deploys (each Lambda function's role and the state
 * machine's role), every mutation of each `groups` member (groups of `world` the configuration
 * does not enroll), with the world's own facts (the group's ARN, its tags as the request context,
 * its launch template): each request is validated against the API model (a malformed request
 * throws, so a deny is never a validation failure in disguise) and authorized with iam-simulate,
 * as the simulated AWS's front door does for the handlers' own calls. Also asks `iam:PassRole` of
 * the instance role the group's launch template gives (with the role's tags), if it has one.
 * Nothing reaches the world: the answers are returned.
 * @throws Error naming the request when one is not model-valid, or when a group is not in the world.
 */
export async function attemptStrayMutations(
  account: DeployedAccount,
  world: SimulatedWorld,
  groups: readonly string[],
): Promise<StrayMutationAttempt[]> {
  const authorizer = new RequestAuthorizer(account);
  const facts = worldFacts(world, account);
  const principals = [
    ...account.functions.flatMap((f) => (f.handler ? [{ principal: f.handler, roleArn: f.roleArn }] : [])),
    ...account.stateMachines.map((m) => ({ principal: 'state-machine', roleArn: m.roleArn })),
  ];
  const out: StrayMutationAttempt[] = [];
  for (const group of groups) {
    const described = world.autoScaling.describeAutoScalingGroups({ AutoScalingGroupNames: [group] }) as {
      AutoScalingGroups?: { LaunchTemplate?: { LaunchTemplateId?: string } }[];
    };
    const launchTemplateId = described.AutoScalingGroups?.[0]?.LaunchTemplate?.LaunchTemplateId;
    if (!launchTemplateId) throw new Error(`no group ${group} with a launch template in the simulated world`);
    const asks: { call: string; permissions: RequiredPermission[] }[] = [];
    for (const r of mutationRequests(
      group,
      launchTemplateId,
      world.clock.nowMs(),
      account.deploymentName(),
    )) {
      const violations = validateRequest(r.service, `${r.operation}Command`, r.input);
      if (violations.length > 0)
        throw new Error(`stray request ${r.service}:${r.operation} is malformed: ${violations.join('; ')}`);
      asks.push({
        call: `${r.service}:${r.operation}`,
        permissions: requiredPermissions(r.service, r.operation, r.input, facts),
      });
    }
    // Passing the group's instance role alone, as a launch from any template would.
    const passRole = requiredPermissions(
      'autoscaling',
      'UpdateAutoScalingGroup',
      { AutoScalingGroupName: group, LaunchTemplate: { LaunchTemplateId: launchTemplateId } },
      facts,
    ).filter((p) => p.action === 'iam:PassRole');
    if (passRole.length > 0) asks.push({ call: 'iam:PassRole', permissions: passRole });
    for (const { principal, roleArn } of principals)
      for (const ask of asks)
        out.push({
          principal,
          group,
          call: ask.call,
          ...(await answer(authorizer, roleArn, ask.permissions)),
        });
  }
  return out;
}

/** Denied at the first permission IAM refuses (AWS stops there too); allowed when every one is. */
async function answer(
  authorizer: RequestAuthorizer,
  roleArn: string,
  permissions: readonly RequiredPermission[],
): Promise<Pick<StrayMutationAttempt, 'action' | 'outcome' | 'detail'>> {
  let last = { action: '', outcome: 'allowed' as const, detail: '' };
  for (const permission of permissions) {
    const request: IamRequest = { principal: roleArn, ...permission };
    const decision = await authorizer.authorize(request);
    if (decision.kind === 'denied')
      return { action: permission.action, outcome: 'denied', detail: decision.reason };
    last = { action: permission.action, outcome: 'allowed', detail: `allowed on ${permission.resourceArn}` };
  }
  return last;
}
