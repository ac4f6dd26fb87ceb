import { Fn, Stack, Token } from 'aws-cdk-lib';
import * as autoscaling from 'aws-cdk-lib/aws-autoscaling';
import type * as iam from 'aws-cdk-lib/aws-iam';
import type { IConstruct } from 'constructs';
import { type ConfigProblem, InvalidConfigError } from '../../shared/contracts/parse-config';
import { parseKnownConfig } from '../../shared/contracts/unknown-config-keys';
import { type UserConfig, type UserConfigInput, userConfigSchema } from '../../shared/contracts/user-config';
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
 * Prescale grants by name and calls Auto Scaling in its own stack's account and region only: a
 * group of another (`crossRegionReferences`, a cross-account reference) would synthesize and never
 * be found. An environment still a token on either side (an environment-agnostic stack) is not
 * compared.
 * @throws Error naming `scaler`'s path, the group's construct path and both environments, when
 *   the account or region of a group and of `scaler`'s stack are both known and differ.
 */
export function refuseGroupsOfAnotherEnvironment(
  scaler: IConstruct,
  groups: readonly autoscaling.IAutoScalingGroup[],
): void {
  const own = Stack.of(scaler).env;
  const differs = (a: string, b: string) => !Token.isUnresolved(a) && !Token.isUnresolved(b) && a !== b;
  const other = groups.find((g) => differs(g.env.account, own.account) || differs(g.env.region, own.region));
  if (other === undefined) return;
  const where = (env: { account: string; region: string }) =>
    `account ${Token.isUnresolved(env.account) ? '(any)' : env.account}, region ${Token.isUnresolved(env.region) ? '(any)' : env.region}`;
  throw new Error(
    `PredictiveScaler ${scaler.node.path}: the group of construct ${other.node.path} is in ${where(other.env)}, and the scaler in ${where(own)}. Prescale grants on groups by name and calls Auto Scaling in its own stack's account and region only, so it would never find that group. Put a PredictiveScaler in a stack of the group's account and region.`,
  );
}

/**
 * The user's config validated with the construct groups enrolled: their names are usually tokens
 * (resolved at deploy), which the schema cannot check, so it sees each as a stand-in until their
 * launch templates and roles join and the whole is validated again.
 * @throws InvalidConfigError from `source` listing every bad value and every stand-in or token
 *   written as a group's name, or a list the construct groups' additions take past its bound.
 */
export function parseWithConstructGroups(
  config: UserConfigInput,
  facts: ConstructGroupFacts,
  source: string,
): UserConfig {
  const standIns = standInsOf(facts);
  const misnamed = deployTimeNameProblems(config, standIns);
  let parsed: UserConfig;
  try {
    parsed = parseKnownConfig(userConfigSchema, withConstructGroupStandIns(config, facts), source);
  } catch (error) {
    if (!(error instanceof InvalidConfigError)) throw error;
    // A name refused above is also "not enrolled" to the schema: one problem for it is enough.
    const others = error.problems.filter((p) => !misnamed.some((m) => m.path === p.path));
    throw new InvalidConfigError(source, [...misnamed, ...others.map((p) => described(p, standIns))]);
  }
  if (misnamed.length > 0) throw new InvalidConfigError(source, misnamed);
  return withConstructGroups(parsed, facts, source);
}

/** Each stand-in in use and the construct path of the group it stands in for. */
function standInsOf(facts: ConstructGroupFacts): Map<string, string> {
  const standIns = new Map<string, string>();
  facts.names.forEach((name, i) => {
    if (Token.isUnresolved(name)) standIns.set(standIn(i), facts.paths[i] as string);
  });
  return standIns;
}

/**
 * `problem` with each stand-in its message offers as a group's name replaced by the construct it
 * stands in for, and the way to name such a group.
 */
function described(problem: ConfigProblem, standIns: ReadonlyMap<string, string>): ConfigProblem {
  const text = problem.expected.replace(STAND_IN, (name) => {
    const path = standIns.get(name);
    return path === undefined ? name : `the group of construct ${path}`;
  });
  if (text === problem.expected) return problem;
  return { ...problem, expected: `${text}. ${NAMED_AT_DEPLOY}${remedyFor(problem.path)}` };
}

const NAMED_AT_DEPLOY =
  'A group whose name CloudFormation generates at deploy has no name a config can give: to name it, give it an explicit autoScalingGroupName';

/** A group override's other remedy: the group's own `prescale:` tags set what an override would. */
const remedyFor = (path: string) =>
  path.startsWith('groupOverrides.')
    ? ', or set its settings with prescale: tags on the group itself (docs/OPERATIONS.md)'
    : '';

const STAND_IN = /prescale-construct-group-\d+/g;

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Each place the user's config names a group (enrolment, overrides, dependencies) and the name there. */
function namedGroups(config: UserConfigInput): { path: string; name: unknown }[] {
  const input = config as {
    groups?: { names?: unknown };
    groupOverrides?: unknown;
    dependencies?: { edges?: unknown; xray?: { serviceToGroup?: unknown } };
  };
  const items = (list: unknown) => (Array.isArray(list) ? [...list.entries()] : []);
  const entries = (record: unknown) => (isRecord(record) ? Object.entries(record) : []);
  return [
    ...items(input?.groups?.names).map(([i, name]) => ({ path: `groups.names.${i}`, name })),
    ...entries(input?.groupOverrides).map(([key]) => ({ path: `groupOverrides.${key}`, name: key })),
    ...items(input?.dependencies?.edges).flatMap(([i, edge]) =>
      isRecord(edge)
        ? (['from', 'to'] as const).map((end) => ({
            path: `dependencies.edges.${i}.${end}`,
            name: edge[end],
          }))
        : [],
    ),
    ...entries(input?.dependencies?.xray?.serviceToGroup).map(([service, name]) => ({
      path: `dependencies.xray.serviceToGroup.${service}`,
      name,
    })),
  ];
}

/**
 * The places that name a group by a name known only at deploy. A stand-in is valid at synth but
 * names no group once deployed, where the construct group gets its generated name (an override
 * that never applies; with groups enrolled only by name, a config every function refuses at cold
 * start). A token (`asg.autoScalingGroupName`) resolves to a name synth cannot check against
 * Auto Scaling's rule; in `groups.names` the name pattern refuses it already.
 */
function deployTimeNameProblems(
  config: UserConfigInput,
  standIns: ReadonlyMap<string, string>,
): ConfigProblem[] {
  return namedGroups(config).flatMap(({ path, name }) => {
    if (typeof name !== 'string') return [];
    const construct = standIns.get(name);
    const received = JSON.stringify(name);
    if (construct !== undefined)
      return [
        {
          path,
          received,
          expected: `expected a group's name: ${name} is only the stand-in synth checks the group of construct ${construct} under, so no group will be named so. ${NAMED_AT_DEPLOY}${remedyFor(path)}`,
        },
      ];
    if (!Token.isUnresolved(name)) return [];
    return [
      {
        path,
        received,
        expected: path.startsWith('groups.names.')
          ? "expected a group's name known at synth, not a token resolved only at deploy, which synth cannot check. To enrol a group of this app, pass the group itself in PredictiveScaler's groups prop (enrolled by the name CloudFormation gives it), or give it an explicit autoScalingGroupName"
          : `expected a group's name known at synth, not a token resolved only at deploy, which synth cannot check. To name a group of this app here, give it an explicit autoScalingGroupName${remedyFor(path)}`,
      },
    ];
  });
}

/**
 * The user's config with the construct groups' names added, tokens replaced by stand-ins so the
 * schema can validate everything else (and the "at least one group" rule sees them).
 */
function withConstructGroupStandIns(config: UserConfigInput, facts: ConstructGroupFacts): UserConfigInput {
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
function withConstructGroups(config: UserConfig, facts: ConstructGroupFacts, source: string): UserConfig {
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
