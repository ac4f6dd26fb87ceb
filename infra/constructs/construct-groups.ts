import { Fn, Token } from 'aws-cdk-lib';
import * as autoscaling from 'aws-cdk-lib/aws-autoscaling';
import type * as iam from 'aws-cdk-lib/aws-iam';
import type { UserConfig, UserConfigInput } from '../../shared/contracts/user-config';
import { parseAsFunctionsRead } from './config-environment';

/** What Prescale needs to know about Auto Scaling groups defined in the same CDK app. */
interface ConstructGroupFacts {
  /** Each group's construct path, for messages: its name is usually known only at deploy. */
  readonly paths: string[];
  readonly names: string[];
  readonly launchTemplateIds: string[];
  readonly instanceRoleNames: string[];
}

/** A stand-in the config schema accepts for a group name that is a token until deploy. */
const standIn = (index: number) => `prescale-construct-group-${index}`;

function launchTemplateIdsOf(group: autoscaling.IAutoScalingGroup): string[] {
  const cfn = group.node.defaultChild;
  if (!(cfn instanceof autoscaling.CfnAutoScalingGroup)) return [];
  const ids: unknown[] = [];
  const direct = cfn.launchTemplate as autoscaling.CfnAutoScalingGroup.LaunchTemplateSpecificationProperty;
  ids.push(direct?.launchTemplateId);
  const mixed = cfn.mixedInstancesPolicy as autoscaling.CfnAutoScalingGroup.MixedInstancesPolicyProperty;
  const template = mixed?.launchTemplate as
    | autoscaling.CfnAutoScalingGroup.LaunchTemplateProperty
    | undefined;
  const spec =
    template?.launchTemplateSpecification as autoscaling.CfnAutoScalingGroup.LaunchTemplateSpecificationProperty;
  ids.push(spec?.launchTemplateId);
  for (const override of (template?.overrides ??
    []) as autoscaling.CfnAutoScalingGroup.LaunchTemplateOverridesProperty[]) {
    const own = override.launchTemplateSpecification as
      | autoscaling.CfnAutoScalingGroup.LaunchTemplateSpecificationProperty
      | undefined;
    ids.push(own?.launchTemplateId);
  }
  return ids.filter((id): id is string => typeof id === 'string');
}

/** What follows the account in a role's ARN: `arn:<partition>:iam::<account>:role/<path><name>`. */
const ROLE_ARN_RESOURCE = ':role/';

/**
 * The group's instance role as `launchPermissions.instanceRoleNames` takes it: its name with its
 * path (`app/web-instance`). Read from the role's ARN, the only attribute that carries the path
 * (a role's name does not: `iam:PassRole` on `role/<name>` does not match a role under `/app/`).
 * An ARN known at synth is cut here; one resolved at deploy is cut by CloudFormation.
 */
function instanceRoleNameOf(group: autoscaling.IAutoScalingGroup): string | undefined {
  if (!(group instanceof autoscaling.AutoScalingGroup)) return undefined;
  let role: iam.IRole;
  try {
    role = group.role;
  } catch {
    // A launch template given by the user that defines no role: nothing to pass.
    return undefined;
  }
  const arn = role.roleArn;
  if (!Token.isUnresolved(arn)) return arn.slice(arn.indexOf(ROLE_ARN_RESOURCE) + ROLE_ARN_RESOURCE.length);
  return Fn.select(1, Fn.split(ROLE_ARN_RESOURCE, arn));
}

/**
 * Names, launch templates and instance roles of groups defined in the same app. Their names are
 * usually tokens (resolved at deploy), which the config schema's name pattern cannot check.
 */
export function constructGroupFacts(groups: readonly autoscaling.IAutoScalingGroup[]): ConstructGroupFacts {
  return {
    paths: groups.map((g) => g.node.path),
    names: groups.map((g) => g.autoScalingGroupName),
    launchTemplateIds: groups.flatMap(launchTemplateIdsOf),
    instanceRoleNames: groups.map(instanceRoleNameOf).filter((n): n is string => n !== undefined),
  };
}

/**
 * The user's config with the construct groups' names added, tokens replaced by stand-ins so the
 * schema can validate everything else (and the "at least one group" rule sees them).
 */
export function withConstructGroupStandIns(
  config: UserConfigInput,
  facts: ConstructGroupFacts,
): UserConfigInput {
  if (facts.names.length === 0) return config;
  const input = config as { groups?: { names?: string[] } };
  const names = facts.names.map((name, i) => (Token.isUnresolved(name) ? standIn(i) : name));
  return { ...config, groups: { ...input.groups, names: [...(input.groups?.names ?? []), ...names] } };
}

/**
 * The validated config with the stand-ins replaced by the real (token) names, launch templates and
 * roles added, validated again as the functions will read it.
 * @throws InvalidConfigError from `source` naming the path, when the additions break a bound the
 *   functions hold the config to (at most 20 launch templates and 20 roles in `launchPermissions`).
 */
export function withConstructGroups(
  config: UserConfig,
  facts: ConstructGroupFacts,
  source: string,
): UserConfig {
  if (facts.names.length === 0) return config;
  const real = new Map(facts.names.map((name, i) => [standIn(i), name]));
  const unique = (values: string[]) => [...new Set(values)];
  const merged: UserConfig = {
    ...config,
    groups: { ...config.groups, names: unique(config.groups.names.map((n) => real.get(n) ?? n)) },
    launchPermissions: {
      launchTemplateIds: unique([...config.launchPermissions.launchTemplateIds, ...facts.launchTemplateIds]),
      instanceRoleNames: unique([...config.launchPermissions.instanceRoleNames, ...facts.instanceRoleNames]),
    },
  };
  parseAsFunctionsRead(
    merged,
    `${source}, with the launch templates and instance roles of the groups passed as constructs (${facts.paths.join(', ')}) added`,
  );
  return merged;
}
