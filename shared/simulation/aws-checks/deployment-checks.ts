import { GROUP_TAGS } from '../../contracts/env';
import type { UserConfigInput } from '../../contracts/user-config';
import { type IamRequest, RequestAuthorizer } from './authorize-request';
import type { DeployedAccount, ServiceDelivery } from './deployed-account';
import { isEnrolled, strayGroups } from './enrolment';
import { groupLaunchTemplateId, groupTemplateLaunch } from './group-launch-template';
import { callsFor, handlerCalls, ownershipTagRequest } from './handler-calls';
import {
  GROUP_MUTATIONS,
  type RequiredPermission,
  type ResourceFacts,
  requiredPermissions,
} from './request-permissions';
import { concreteParameters, stateMachineCalls, taskPermissions } from './state-machine-calls';

/** One checked authorization: what was asked, what the deployment must answer, what it answered. */
export interface DeploymentCheck {
  readonly kind:
    | 'needed call'
    | 'non-enrolled mutation'
    | "another deployment's group"
    | 'service delivery'
    | 'confused deputy';
  /** The handler (`scale-groups`), `state-machine`, or the delivering service and source. */
  readonly principal: string;
  readonly action: string;
  readonly resourceArn: string;
  readonly expected: 'allowed' | 'denied';
  readonly actual: 'allowed' | 'denied';
  readonly note: string;
}

/** The checks' verdict for one check: it holds when the deployment answered as expected. */
export const holds = (c: DeploymentCheck) => c.expected === c.actual;

const FOREIGN_ACCOUNT = '999999999999';
const STATE_MACHINE = 'state-machine';

/** Asks the deployment one request and records the check with its answer. */
type AskDeployment = (
  request: IamRequest,
  check: Omit<DeploymentCheck, 'actual' | 'action' | 'resourceArn'>,
) => Promise<void>;

/**
 * Resource facts for groups the checks make up: the group's ARN from its name, its tags as given,
 * its launch template's instance role and tag specifications by the checks' convention
 * (`groupTemplateLaunch`).
 */
function facts(
  account: DeployedAccount,
  config: UserConfigInput,
  tagsByGroup: ReadonlyMap<string, Readonly<Record<string, string>>>,
): ResourceFacts {
  const { partition, region, account: id } = account.target;
  return {
    ...account.target,
    group: (name) => ({
      arn: `arn:${partition}:autoscaling:${region}:${id}:autoScalingGroup:0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0:autoScalingGroupName/${name}`,
      tags: tagsByGroup.get(name) ?? {},
    }),
    launchTemplateTags: (templateId) => tagsByGroup.get(templateId.replace(/^lt-/, '')) ?? {},
    templateLaunch: (templateId) => {
      const group = groupOfTemplate(templateId, config, tagsByGroup);
      return groupTemplateLaunch(group, tagsByGroup.get(group) ?? {}, config, account.target);
    },
    queueArn: (url) =>
      account.queueArns.get(url) ?? `arn:${partition}:sqs:${region}:${id}:${url.split('/').pop()}`,
  };
}

/** The made-up group a template id belongs to: a listed template's named group, else `lt-<group>`'s. */
function groupOfTemplate(
  templateId: string,
  config: UserConfigInput,
  tagsByGroup: ReadonlyMap<string, Readonly<Record<string, string>>>,
): string {
  const listedFor = [...tagsByGroup.keys()].find((g) => groupLaunchTemplateId(g, config) === templateId);
  return listedFor ?? templateId.replace(/^lt-/, '');
}

/** The groups a configuration enrolls, one per way it enrolls (by tag, by name). */
function enrolledGroups(config: UserConfigInput): Map<string, Record<string, string>> {
  const out = new Map<string, Record<string, string>>();
  if (config.groups.tag) out.set('tagged-web', { [config.groups.tag.key]: config.groups.tag.value });
  for (const name of (config.groups.names ?? []).slice(0, 1)) out.set(name, {});
  return out;
}

/** Every principal's permissions for its needed calls on `group` (handlers and the state machine). */
function neededPermissions(
  account: DeployedAccount,
  config: UserConfigInput,
  group: string,
  f: ResourceFacts,
) {
  const out: { principal: string; roleArn: string; permission: RequiredPermission }[] = [];
  const catalogue = handlerCalls(config);
  for (const fn of account.functions) {
    if (!fn.handler || !(fn.handler in catalogue)) continue;
    for (const call of callsFor(fn.handler, { environment: fn.environment, group, config })) {
      const facts = call.groupTags ? withGroupTags(f, group, call.groupTags) : f;
      for (const permission of requiredPermissions(call.service, call.operation, call.input, facts))
        out.push({ principal: fn.handler, roleArn: fn.roleArn, permission });
    }
  }
  for (const machine of account.stateMachines) {
    for (const call of stateMachineCalls(machine.definition)) {
      const input = concreteParameters(call.parameters, group, groupLaunchTemplateId(group, config));
      const key = call.service === 'sns' ? account.topicKeys.get(String(input.TopicArn)) : undefined;
      for (const permission of taskPermissions(call, input, f, key))
        out.push({ principal: STATE_MACHINE, roleArn: machine.roleArn, permission });
    }
  }
  return out;
}

/**
 * A group mutation's input on `group`: its name, or for a tagging call the deployment's ownership
 * tag on it (the tag its grants allow, with this stack's name), so only the enrolment can refuse it.
 */
function strayInput(operation: string, group: string, account: DeployedAccount): Record<string, unknown> {
  return operation === 'CreateOrUpdateTags' || operation === 'DeleteTags'
    ? ownershipTagRequest(operation, group, account.deploymentName())
    : { AutoScalingGroupName: group };
}

/** `f` with `tags` added to `group`'s own: the group as a call finds it. */
function withGroupTags(
  f: ResourceFacts,
  group: string,
  tags: Readonly<Record<string, string>>,
): ResourceFacts {
  return {
    ...f,
    group: (name) => {
      const found = f.group(name);
      return name === group && found ? { ...found, tags: { ...found.tags, ...tags } } : found;
    },
  };
}

/**
 * What a deployed principal may do to a group it does not enroll: nothing, unless the group
 * carries this deployment's ownership tag (it was taken out of the enrolment after Prescale acted
 * on it); then the dispatcher may give it back (`releaseGroupsTakenOut`): delete its look-ahead,
 * set its capacity bounds and its warm pool's MinSize (no launch template: that needs a launch) and
 * delete that tag; and the stack-deletion cleanup (`removeLookAhead`) may do the same, for a group
 * whose release had not happened when the stack went.
 */
const GIVE_BACK_ACTIONS: ReadonlySet<string> = new Set([
  'autoscaling:BatchDeleteScheduledAction',
  'autoscaling:UpdateAutoScalingGroup',
  'autoscaling:PutWarmPool',
  'autoscaling:DeleteTags',
]);
const GIVE_BACK: Readonly<Record<string, ReadonlySet<string>>> = {
  'dispatch-scaling-run': GIVE_BACK_ACTIONS,
  'remove-look-ahead': GIVE_BACK_ACTIONS,
};

/** A stray group's ownership, as the checks ask its mutations: none, this deployment's, another's. */
type StrayOwnership = 'unowned' | 'owned' | 'another deployment';

/**
 * Every mutating permission any principal holds, asked on a group the configuration does not
 * enroll: each stray group as it is, and the first one again tagged as this deployment's and as
 * another deployment's. Expected denied, but for the give-back of a group it owns (`GIVE_BACK`).
 */
function strayPermissions(
  account: DeployedAccount,
  config: UserConfigInput,
  f: (tags: Map<string, Record<string, string>>) => ResourceFacts,
) {
  const out: {
    principal: string;
    roleArn: string;
    permission: RequiredPermission;
    note: string;
    expected: 'allowed' | 'denied';
  }[] = [];
  const principals = principalsOf(account);
  const strays = strayGroups(config.groups).filter((s) => !isEnrolled(config.groups, s.name, s.tags));
  const asked = strays.flatMap((stray, i) =>
    (['unowned', ...(i === 0 ? (['owned', 'another deployment'] as const) : [])] as StrayOwnership[]).map(
      (ownership) => ({ stray, ownership }),
    ),
  );
  for (const { stray, ownership } of asked) {
    const owner = ownership === 'owned' ? account.deploymentName() : `${account.deploymentName()}Other`;
    const tags = ownership === 'unowned' ? stray.tags : { ...stray.tags, [GROUP_TAGS.deployment]: owner };
    const mutations = strayMutations(account, stray.name, f(new Map([[stray.name, tags]])));
    const note = ownership === 'unowned' ? stray.why : `${stray.why}, ${ownership}'s (${owner})`;
    for (const p of principals)
      for (const permission of mutations) {
        const givesBack =
          ownership === 'owned' &&
          permission.resourceArn.includes(':autoScalingGroup:') &&
          GIVE_BACK[p.principal]?.has(permission.action) === true;
        out.push({ ...p, permission, note, expected: givesBack ? 'allowed' : 'denied' });
      }
  }
  return out;
}

/**
 * Every group mutation any principal holds, asked on each group the configuration enrolls once
 * another deployment owns it (its `prescale:deployment` tag names another stack): the code holds
 * such a group, and IAM refuses it too, taking it over included (the ownership tag rewritten).
 */
function anotherDeploymentsPermissions(
  account: DeployedAccount,
  config: UserConfigInput,
  f: (tags: Map<string, Record<string, string>>) => ResourceFacts,
) {
  const other = `${account.deploymentName()}Other`;
  return [...enrolledGroups(config)].flatMap(([group, tags]) => {
    const owned = f(new Map([[group, { ...tags, [GROUP_TAGS.deployment]: other }]]));
    const mutations = [...GROUP_MUTATIONS]
      .flatMap((operation) =>
        requiredPermissions('autoscaling', operation, strayInput(operation, group, account), owned),
      )
      .filter((p) => p.resourceArn.includes(':autoScalingGroup:'));
    return principalsOf(account).flatMap((p) =>
      mutations.map((permission) => ({ ...p, permission, note: `enrolled group ${group}, ${other}'s` })),
    );
  });
}

/** Every deployed principal: each function's role (by its handler) and each state machine's. */
function principalsOf(account: DeployedAccount): { principal: string; roleArn: string }[] {
  return [
    ...account.functions
      .filter((fn) => fn.handler)
      .map((fn) => ({ principal: fn.handler as string, roleArn: fn.roleArn })),
    ...account.stateMachines.map((m) => ({ principal: STATE_MACHINE, roleArn: m.roleArn })),
  ];
}

/** Every group mutation, launch from the group's template and pass of its role, on `group` as `groupFacts` has it. */
function strayMutations(
  account: DeployedAccount,
  group: string,
  groupFacts: ResourceFacts,
): RequiredPermission[] {
  return [
    ...[...GROUP_MUTATIONS].flatMap((operation) =>
      requiredPermissions('autoscaling', operation, strayInput(operation, group, account), groupFacts),
    ),
    ...requiredPermissions(
      'ec2',
      'CreateLaunchTemplateVersion',
      { LaunchTemplateId: `lt-${group}` },
      groupFacts,
    ),
    // Launching from its template and passing its instance role; tagging on launch is allowed
    // for any launch a grant lets through (RunInstances is the gate).
    ...requiredPermissions(
      'autoscaling',
      'UpdateAutoScalingGroup',
      { AutoScalingGroupName: group, LaunchTemplate: { LaunchTemplateId: `lt-${group}` } },
      groupFacts,
    ).filter((p) => p.action === 'ec2:RunInstances' || p.action === 'iam:PassRole'),
  ];
}

/**
 * The deployment's answers to every request Prescale needs and every request it must never get
 * through, evaluated on the synthesized template's policies with iam-simulate:
 * - needed calls: each handler's calls (`handlerCalls`) and each state machine Task, on a group
 *   enrolled each way the configuration allows: must be allowed;
 * - non-enrolled mutations: every group mutation, launch from a group's launch template and role
 *   pass, by every principal, on groups the configuration does not enroll: must be denied;
 * - another deployment's group: every group mutation, by every principal, on each enrolled group
 *   once another deployment's ownership tag is on it: must be denied;
 * - service deliveries (alarm → topic and key, rule/schedule → target and DLQ, SQS → Lambda, a
 *   service assuming its role): must be allowed from their own source, denied from another account's.
 */
export async function checkDeployment(
  account: DeployedAccount,
  config: UserConfigInput,
): Promise<DeploymentCheck[]> {
  const authorizer = new RequestAuthorizer(account);
  const out: DeploymentCheck[] = [];
  const ask: AskDeployment = async (request, check) => {
    const decision = await authorizer.authorize(request);
    out.push({ ...check, action: request.action, resourceArn: request.resourceArn, actual: decision.kind });
  };
  const enrolled = enrolledGroups(config);
  const f = (tags: Map<string, Record<string, string>>) => facts(account, config, tags);
  for (const group of enrolled.keys())
    for (const { principal, roleArn, permission } of neededPermissions(account, config, group, f(enrolled)))
      await ask(
        { principal: roleArn, ...permission },
        { kind: 'needed call', principal, expected: 'allowed', note: `enrolled group ${group}` },
      );
  for (const { principal, roleArn, permission, note, expected } of strayPermissions(account, config, f))
    await ask(
      { principal: roleArn, ...permission },
      { kind: 'non-enrolled mutation', principal, expected, note },
    );
  for (const { principal, roleArn, permission, note } of anotherDeploymentsPermissions(account, config, f))
    await ask(
      { principal: roleArn, ...permission },
      { kind: "another deployment's group", principal, expected: 'denied', note },
    );
  await checkDeliveries(account, ask);
  return out;
}

/** A service assuming a role: the service, the source it acts for, and what the role is for. */
interface RoleAssumption {
  readonly service: string;
  readonly sourceArn: string;
  readonly label: string;
}

async function checkDeliveries(account: DeployedAccount, ask: AskDeployment): Promise<void> {
  const own = account.target.account;
  const assumed = new Map<string, RoleAssumption>();
  for (const d of account.deliveries) {
    if (d.roleArn) {
      await ask(
        { principal: d.roleArn, action: d.action, resourceArn: d.resourceArn },
        { kind: 'service delivery', principal: d.servicePrincipal, expected: 'allowed', note: d.label },
      );
      if (d.servicePrincipal !== 'lambda.amazonaws.com')
        assumed.set(d.roleArn, { service: d.servicePrincipal, sourceArn: d.sourceArn, label: d.label });
      continue;
    }
    await checkSourcedDelivery(own, d, ask);
  }
  for (const machine of account.stateMachines)
    assumed.set(machine.roleArn, {
      service: 'states.amazonaws.com',
      sourceArn: machine.arn,
      label: 'state machine role',
    });
  for (const [roleArn, assumption] of assumed) await checkRoleAssumption(own, roleArn, assumption, ask);
}

/** A delivery the resource policy grants the service: allowed from its own source, denied from a foreign one. */
async function checkSourcedDelivery(own: string, d: ServiceDelivery, ask: AskDeployment): Promise<void> {
  const context = (acct: string, arn: string) => ({ 'aws:SourceArn': arn, 'aws:SourceAccount': acct });
  const request = { principal: d.servicePrincipal, action: d.action, resourceArn: d.resourceArn };
  await ask(
    { ...request, context: context(own, d.sourceArn) },
    { kind: 'service delivery', principal: d.servicePrincipal, expected: 'allowed', note: d.label },
  );
  const foreignSource = d.sourceArn.replace(`:${own}:`, `:${FOREIGN_ACCOUNT}:`);
  await ask(
    { ...request, context: context(FOREIGN_ACCOUNT, foreignSource) },
    {
      kind: 'confused deputy',
      principal: d.servicePrincipal,
      expected: 'denied',
      note: `${d.label}, sent from account ${FOREIGN_ACCOUNT}`,
    },
  );
}

/** The role's trust policy: the service may assume it for its own source, not for a foreign account's. */
async function checkRoleAssumption(
  own: string,
  roleArn: string,
  { service, sourceArn, label }: RoleAssumption,
  ask: AskDeployment,
): Promise<void> {
  const request = { principal: service, action: 'sts:AssumeRole', resourceArn: roleArn };
  await ask(
    { ...request, context: { 'aws:SourceArn': sourceArn, 'aws:SourceAccount': own } },
    {
      kind: 'service delivery',
      principal: service,
      expected: 'allowed',
      note: `${label}: assume ${roleArn.split('/').pop()}`,
    },
  );
  await ask(
    {
      ...request,
      context: {
        'aws:SourceArn': sourceArn.replace(`:${own}:`, `:${FOREIGN_ACCOUNT}:`),
        'aws:SourceAccount': FOREIGN_ACCOUNT,
      },
    },
    {
      kind: 'confused deputy',
      principal: service,
      expected: 'denied',
      note: `${label}: assume ${roleArn.split('/').pop()} for account ${FOREIGN_ACCOUNT}`,
    },
  );
}
