import { readFileSync } from 'node:fs';
import path from 'node:path';
import { configEnvironment } from '../../../infra/constructs/config-environment';
import { byNameGroupsProblem } from '../../../infra/constructs/enrolled-groups-policy';
import { MAX_CONFIG_BYTES } from '../../../infra/constructs/scaling-loop';
import { type UserConfigInput, userConfigSchema } from '../../../shared/contracts/user-config';
import type { CfnTemplate } from '../../../shared/simulation/aws-checks/resolve-intrinsics';
import { DEPLOY_CONFIGURATIONS, synthConfiguration } from './deploy-configurations';
import { iamPolicyQuotaViolations } from './iam-policy-quotas';

// Limits CloudFormation and Lambda check at create time, not at `cdk synth`. Lambda quotas
// (docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits) list environment variables at 4 KB
// per function in aggregate; CloudFormation quotas (cloudformation-limits) list resources per stack
// (500) and outputs per template (200). The exact table rows were not retrieved offline.
const ENV_BYTES = 4096;
const TEMPLATE_MAX_BYTES = 1_048_576;
/** Any other value CloudFormation fills in (an ARN, a name, a URL) is counted at this many bytes. */
const RESOLVED_VALUE_BYTES = 256;

type Resources = CfnTemplate['Resources'];
const argOf = (v: unknown, key: string) => (v as Record<string, unknown>)[key];
const nameOr = (name: unknown, longest: number) =>
  typeof name === 'string' ? Buffer.byteLength(name) : longest;

/**
 * What a `Ref` fills in at its longest: a group's name (Auto Scaling takes 255 characters), a
 * launch template id (`lt-` and 17 hex digits), a role's name (IAM takes 64), a table's name (255),
 * or the name the template gives it.
 */
function refBytes(resources: Resources, id: string): number {
  const r = resources[id];
  switch (r?.Type) {
    case 'AWS::AutoScaling::AutoScalingGroup':
      return nameOr(r.Properties?.AutoScalingGroupName, 255);
    case 'AWS::EC2::LaunchTemplate':
      return 20;
    case 'AWS::IAM::Role':
      return nameOr(r.Properties?.RoleName, 64);
    case 'AWS::DynamoDB::GlobalTable':
      return nameOr(r.Properties?.TableName, 255);
    default:
      return RESOLVED_VALUE_BYTES;
  }
}

/**
 * The bytes a variable's value takes once deployed: literal text as is, an `Fn::Join` part by part,
 * a role's name with its path cut from its ARN (`Fn::Select [1, Fn::Split [':role/', …]]`) at its
 * path and 64, each other value CloudFormation fills in at its longest.
 */
function deployedBytes(resources: Resources, v: unknown): number {
  if (typeof v === 'string') return Buffer.byteLength(v);
  const join = argOf(v, 'Fn::Join') as [string, unknown[]] | undefined;
  if (join) return join[1].reduce((sum: number, part) => sum + deployedBytes(resources, part), 0);
  const ref = argOf(v, 'Ref');
  if (typeof ref === 'string') return refBytes(resources, ref);
  const split = argOf((argOf(v, 'Fn::Select') as unknown[] | undefined)?.[1] ?? {}, 'Fn::Split') as
    | [string, unknown]
    | undefined;
  const roleId = (argOf(split?.[1] ?? {}, 'Fn::GetAtt') as string[] | undefined)?.[0] ?? '';
  const role = resources[roleId];
  if (split?.[0] === ':role/' && role?.Type === 'AWS::IAM::Role')
    return nameOr(role.Properties?.Path, 1) - 1 + nameOr(role.Properties?.RoleName, 64);
  return RESOLVED_VALUE_BYTES;
}

describe.each(DEPLOY_CONFIGURATIONS)('the $name configuration as CloudFormation creates it', (c) => {
  const { template } = synthConfiguration(c, { validate: false });
  const resources = Object.entries(template.Resources ?? {}) as [
    string,
    { Type: string; Properties?: { Environment?: { Variables?: Record<string, unknown> } } },
  ][];

  it('stays within 500 resources, 200 outputs and a 1 MB template', () => {
    expect(resources.length).toBeLessThanOrEqual(500);
    // "Template body size in an Amazon S3 object: 1 MB" (cdk deploy uploads it to the bootstrap bucket).
    expect(Buffer.byteLength(JSON.stringify(template))).toBeLessThanOrEqual(TEMPLATE_MAX_BYTES);
    expect(Object.keys((template as { Outputs?: object }).Outputs ?? {}).length).toBeLessThanOrEqual(200);
  });

  it('gives every function at most 4 KB of environment variables', () => {
    const functions = resources.filter(([, r]) => r.Type === 'AWS::Lambda::Function');
    expect(functions.length).toBeGreaterThan(0);
    for (const [id, fn] of functions) {
      const vars = fn.Properties?.Environment?.Variables ?? {};
      const size = Object.entries(vars).reduce(
        (sum, [k, v]) => sum + Buffer.byteLength(k) + deployedBytes(template.Resources, v),
        0,
      );
      // The function's id in the failure message says which one is over.
      expect({ id, withinLimit: size <= ENV_BYTES }).toEqual({ id, withinLimit: true });
    }
  });

  it("keeps every role's policies within IAM's size and attachment quotas", () => {
    expect(iamPolicyQuotaViolations(template)).toEqual([]);
  });
});

const defaults = (
  JSON.parse(readFileSync(path.resolve(__dirname, '../../../cdk.json'), 'utf8')) as {
    context: { prescale: UserConfigInput };
  }
).context.prescale;

/** The configuration as the functions receive it (without its defaults), within its size limit and IAM's. */
const fits = (input: UserConfigInput) => {
  const config = userConfigSchema.parse(input);
  return (
    Buffer.byteLength(configEnvironment(config)) <= MAX_CONFIG_BYTES &&
    byNameGroupsProblem(config.groups.names) === undefined
  );
};

/** As many items from `make` as `configWith` takes within the configuration's size limit. */
function asManyAsFit<T>(
  make: (i: number) => T,
  configWith: (items: T[]) => UserConfigInput,
): UserConfigInput {
  const items: T[] = [];
  while (fits(configWith([...items, make(items.length)]))) items.push(make(items.length));
  return configWith(items);
}

/**
 * The `i`-th name of at least `length` characters: `i` in base 36, padded to `length`. At length 1
 * the shortest names there are (`0`…`z`, then `10`…), so the most a configuration takes.
 */
const nameOf = (i: number, length: number) => i.toString(36).padStart(length, '0');

// The configuration's own limit (3,000 bytes, what Lambda's environment holds) bounds how many
// groups, templates and roles a user can list; each list at that bound must still deploy.
describe('the longest lists a configuration takes', () => {
  it.each([1, 2, 8, 24, 48, 96, 255])(
    'deploys groups enrolled by name with names of %i characters or more',
    (length) => {
      const config = asManyAsFit(
        (i) => nameOf(i, length),
        (names) => ({ ...defaults, groups: { names } }),
      );
      const { template } = synthConfiguration({ name: `names of ${length}`, config }, { validate: false });
      expect(iamPolicyQuotaViolations(template)).toEqual([]);
    },
  );

  it('fails cdk synth one name past the limit, naming groups.names as the largest part', () => {
    const fitting = asManyAsFit(
      (i) => nameOf(i, 48),
      (names) => ({ ...defaults, groups: { names } }),
    );
    const names = [...(fitting.groups?.names ?? []), nameOf(9999, 48)];
    expect(() =>
      synthConfiguration(
        { name: 'one name too many', config: { ...defaults, groups: { names } } },
        { validate: false },
      ),
    ).toThrow(
      /at most 3000 fit in Lambda environment variables\. The largest parts: groups\.names \d+ bytes/,
    );
  });

  it('deploys twenty launch templates and as many instance roles with paths as fit', () => {
    const launchTemplateIds = Array.from({ length: 20 }, (_, i) => `lt-${String(i).padStart(17, '0')}`);
    const config = asManyAsFit(
      (i) => `${'team/'.repeat(40)}${nameOf(i, 60)}`,
      (instanceRoleNames) => ({
        ...defaults,
        groups: { names: ['web'] },
        launchPermissions: { launchTemplateIds, instanceRoleNames },
      }),
    );
    const { template } = synthConfiguration({ name: 'launch permissions', config }, { validate: false });
    expect(iamPolicyQuotaViolations(template)).toEqual([]);
  });
});
