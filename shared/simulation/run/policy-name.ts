/** The scaling policies compared, in report order. */
export const POLICY_NAMES = ['prescale', 'reactive', 'ec2-predictive', 'static', 'oracle'] as const;

/** One of {@link POLICY_NAMES}. */
export type PolicyName = (typeof POLICY_NAMES)[number];

/** Whether `name` is a policy the simulation knows. */
export function isPolicyName(name: string): name is PolicyName {
  return (POLICY_NAMES as readonly string[]).includes(name);
}
