import { Annotations, Arn, ArnFormat, Stack, Token, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { Construct, IConstruct } from 'constructs';
import type { UserConfig } from '../../shared/contracts/user-config';
import { nagArn } from './nag-arn';

function launchTemplateArn(scope: Construct, name: string): string {
  return Stack.of(scope).formatArn({ service: 'ec2', resource: 'launch-template', resourceName: name });
}

function roleArn(scope: Construct, name: string): string {
  return Arn.format(
    {
      service: 'iam',
      region: '',
      resource: 'role',
      resourceName: name,
      arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
    },
    Stack.of(scope),
  );
}

/**
 * `ec2:CreateLaunchTemplateVersion` on enrolled groups' launch templates only (pricing.apply).
 * Empty when no template can be enrolled (no tag, no ids).
 */
export function launchTemplateVersionStatements(scope: Construct, config: UserConfig): iam.PolicyStatement[] {
  return launchTemplateStatements(scope, config, 'VersionEnrolledLaunchTemplates', [
    'ec2:CreateLaunchTemplateVersion',
  ]);
}

/**
 * `actions` on the launch templates enrolled groups may be pointed at: those carrying the
 * enrolment tag (`groups.tag`) and those listed in `launchPermissions.launchTemplateIds`.
 */
function launchTemplateStatements(
  scope: Construct,
  config: UserConfig,
  sid: string,
  actions: string[],
): iam.PolicyStatement[] {
  const statements: iam.PolicyStatement[] = [];
  const { tag } = config.groups;
  if (tag) {
    statements.push(
      new iam.PolicyStatement({
        sid: `${sid}ByTag`,
        actions,
        resources: [launchTemplateArn(scope, '*')],
        conditions: { StringEquals: { [`aws:ResourceTag/${tag.key}`]: tag.value } },
      }),
    );
  }
  const ids = config.launchPermissions.launchTemplateIds;
  if (ids.length > 0) {
    statements.push(
      new iam.PolicyStatement({
        sid: `${sid}ById`,
        actions,
        resources: ids.map((id) => launchTemplateArn(scope, id)),
      }),
    );
  }
  return statements;
}

/**
 * What Auto Scaling checks when a caller points a group at a launch template version (a desired
 * configuration, UpdateAutoScalingGroup with a template, a rollback):
 * `ec2:RunInstances` on the template and the resources it launches, `ec2:CreateTags` for its tag
 * specifications, `iam:PassRole` for its instance profile's role
 * (https://docs.aws.amazon.com/autoscaling/ec2/userguide/ec2-auto-scaling-api-permissions.html).
 * Each is limited to enrolled groups' templates (by tag or id) and their instance roles (by name
 * or path prefix); nothing else can be launched or passed. With neither a tag nor ids, no template is
 * allowed and a synth warning says rolling updates will be refused.
 */
export function launchStatements(scope: Construct, config: UserConfig): iam.PolicyStatement[] {
  const templates = launchTemplateStatements(scope, config, 'LaunchFromEnrolledTemplates', [
    'ec2:RunInstances',
  ]);
  if (templates.length === 0) {
    Annotations.of(scope).addWarningV2(
      'prescale:launch-permissions:none',
      "No launch template can be used: groups are enrolled by name only and launchPermissions.launchTemplateIds is empty, so rolling updates (and pricing.apply) are refused by Auto Scaling. List the groups' launch template ids.",
    );
    return [];
  }
  warnOfUnlistedInstanceRoles(scope, config);
  const { tag } = config.groups;
  const ids = config.launchPermissions.launchTemplateIds;
  const launchedThrough = tag
    ? [launchTemplateArn(scope, '*')]
    : ids.map((id) => launchTemplateArn(scope, id));
  const statements = [
    ...templates,
    new iam.PolicyStatement({
      sid: 'LaunchOnlyThroughEnrolledTemplates',
      actions: ['ec2:RunInstances'],
      notResources: [launchTemplateArn(scope, '*')],
      // The instance, volumes, interfaces, subnet, security groups and image of a launch from a template.
      conditions: { ArnLike: { 'ec2:LaunchTemplate': launchedThrough } },
    }),
    new iam.PolicyStatement({
      sid: 'TagOnLaunch',
      actions: ['ec2:CreateTags'],
      resources: ['instance', 'volume', 'network-interface'].map((type) =>
        Stack.of(scope).formatArn({ service: 'ec2', resource: type, resourceName: '*' }),
      ),
      conditions: { StringEquals: { 'ec2:CreateAction': 'RunInstances' } },
    }),
  ];
  statements.push(...passInstanceRoleStatements(scope, config));
  return statements;
}

/**
 * Groups the user enrols (by tag, or by literal names: construct groups, whose names are tokens,
 * bring their roles) with neither an instance role listed nor a role path prefix: a template whose
 * instance profile carries a role is refused by Auto Scaling.
 */
function warnOfUnlistedInstanceRoles(scope: Construct, config: UserConfig): void {
  const { instanceRoleNames, instanceRolePathPrefix } = config.launchPermissions;
  if (instanceRoleNames.length > 0 || instanceRolePathPrefix !== undefined) return;
  const named = config.groups.names.filter((name) => !Token.isUnresolved(name));
  const tag = config.groups.tag;
  const enrolled = [
    ...(named.length > 0 ? [`by name (${named.join(', ')})`] : []),
    ...(tag ? [`by tag (${tag.key}=${tag.value})`] : []),
  ];
  if (enrolled.length === 0) return;
  Annotations.of(scope).addWarningV2(
    'prescale:launch-permissions:no-instance-roles',
    `Groups enrolled ${enrolled.join(' and ')} list no instance roles: if their launch templates give instances a role (an instance profile), Auto Scaling refuses their rolling updates and pricing.apply (iam:PassRole; IAM does not allow passing a role by its tags). List those roles in launchPermissions.instanceRoleNames, or create them under an IAM path and set launchPermissions.instanceRolePathPrefix; templates without an instance profile need none.`,
  );
}

/**
 * `iam:PassRole` to EC2 for enrolled groups' instance roles only, by ARN: those listed by name and
 * those under the path prefix. Never by the role's tags: IAM does not authorize PassRole by
 * `iam:ResourceTag` (https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_passrole.html).
 */
function passInstanceRoleStatements(scope: Construct, config: UserConfig): iam.PolicyStatement[] {
  const { instanceRoleNames, instanceRolePathPrefix } = config.launchPermissions;
  const resources = [
    ...instanceRoleNames.map((name) => roleArn(scope, name)),
    ...(instanceRolePathPrefix === undefined ? [] : [roleArn(scope, `${instanceRolePathPrefix}/*`)]),
  ];
  if (resources.length === 0) return [];
  return [
    new iam.PolicyStatement({
      sid: 'PassEnrolledInstanceRoles',
      actions: ['iam:PassRole'],
      resources,
      // EC2 asks as ec2.amazonaws.com.cn in aws-cn (karpenter-provider-aws #6843), so both, as the
      // partition is a token at synth.
      conditions: { StringEquals: { 'iam:PassedToService': ['ec2.amazonaws.com', 'ec2.amazonaws.com.cn'] } },
    }),
  ];
}

/** Acknowledges cdk-nag IAM5 for exactly the wildcards `launchStatements` produces, with the reason. */
export function acknowledgeLaunchWildcards(role: IConstruct, config: UserConfig): void {
  const tag = config.groups.tag;
  if (tag) {
    Validations.of(role).acknowledge({
      id: `AwsSolutions-IAM5[Resource::${nagArn(role, 'ec2', 'launch-template/*')}]`,
      reason: `Launch templates only with the condition aws:ResourceTag/${tag.key}=${tag.value} (enrolled groups' templates).`,
    });
  }
  const prefix = config.launchPermissions.instanceRolePathPrefix;
  if (prefix !== undefined) {
    const stackAccount = Stack.of(role).account;
    const account = Token.isUnresolved(stackAccount) ? '<AWS::AccountId>' : stackAccount;
    Validations.of(role).acknowledge({
      id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:iam::${account}:role/${prefix}/*]`,
      reason: `iam:PassRole only to EC2 and only roles under the IAM path /${prefix}/ (launchPermissions.instanceRolePathPrefix: enrolled groups' instance roles).`,
    });
  }
  for (const type of ['instance', 'volume', 'network-interface']) {
    Validations.of(role).acknowledge({
      id: `AwsSolutions-IAM5[Resource::${nagArn(role, 'ec2', `${type}/*`)}]`,
      reason: `ec2:CreateTags on the ${type}s a launch creates, only with ec2:CreateAction=RunInstances (the template's tag specifications); their ids are not known before launch.`,
    });
  }
}
