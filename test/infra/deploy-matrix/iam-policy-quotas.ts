import {
  type CfnTemplate,
  type DeploymentTarget,
  resolveIntrinsics,
} from '../../../shared/simulation/aws-checks/resolve-intrinsics';

// IAM and AWS STS quotas (IAM user guide, reference_iam-quotas): "Role policy size cannot exceed
// 10,240 characters" (the aggregate of its inline policies), a managed policy 6,144 characters,
// 10 managed policies attached to a role by default (20 at most, on request); "IAM does not count
// white space when calculating the size of a policy against these limits". IAM checks them when
// CloudFormation creates the policy, never at `cdk synth`.
export const ROLE_INLINE_POLICY_MAX_CHARS = 10_240;
export const MANAGED_POLICY_MAX_CHARS = 6_144;
export const MANAGED_POLICIES_PER_ROLE = 10;

/** The longest ARNs a deployment can have: GovCloud's partition and region names. */
export const LONGEST_ARN_TARGET: DeploymentTarget = {
  account: '123456789012',
  partition: 'aws-us-gov',
  region: 'us-gov-west-1',
};

type Resource = { Type: string; Properties?: Record<string, unknown> };

const refOf = (value: unknown): string | undefined => (value as { Ref?: string } | undefined)?.Ref;

/**
 * Every IAM policy quota the template's roles exceed once deployed to `target`: each as
 * `<role>: <what> is <size>, over <limit>`. Sizes are counted as IAM counts them, on the resolved
 * documents without white space.
 */
export function iamPolicyQuotaViolations(
  template: CfnTemplate,
  target: DeploymentTarget = LONGEST_ARN_TARGET,
): string[] {
  const resources = Object.entries(template.Resources) as [string, Resource][];
  const chars = (document: unknown) =>
    JSON.stringify(resolveIntrinsics(template, target, document)).replace(/\s/g, '').length;
  const attachedTo = (p: Record<string, unknown> | undefined, role: string) =>
    ((p?.Roles as unknown[] | undefined) ?? []).some((r) => refOf(r) === role);
  const violations: string[] = [];
  for (const [role, r] of resources.filter(([, x]) => x.Type === 'AWS::IAM::Role')) {
    const own = (r.Properties?.Policies as { PolicyDocument: unknown }[] | undefined) ?? [];
    const inline = [
      ...own.map((p) => p.PolicyDocument),
      ...resources
        .filter(([, x]) => x.Type === 'AWS::IAM::Policy' && attachedTo(x.Properties, role))
        .map(([, x]) => x.Properties?.PolicyDocument),
    ].reduce((sum: number, document) => sum + chars(document), 0);
    if (inline > ROLE_INLINE_POLICY_MAX_CHARS)
      violations.push(
        `${role}: its inline policies are ${inline} characters, over ${ROLE_INLINE_POLICY_MAX_CHARS}`,
      );
    const managed = resources.filter(
      ([, x]) => x.Type === 'AWS::IAM::ManagedPolicy' && attachedTo(x.Properties, role),
    );
    for (const [id, policy] of managed) {
      const size = chars(policy.Properties?.PolicyDocument);
      if (size > MANAGED_POLICY_MAX_CHARS)
        violations.push(
          `${role}: managed policy ${id} is ${size} characters, over ${MANAGED_POLICY_MAX_CHARS}`,
        );
    }
    const attached =
      managed.length + ((r.Properties?.ManagedPolicyArns as unknown[] | undefined) ?? []).length;
    if (attached > MANAGED_POLICIES_PER_ROLE)
      violations.push(`${role}: ${attached} managed policies attached, over ${MANAGED_POLICIES_PER_ROLE}`);
  }
  return violations;
}
