import { Token, Tokenization } from 'aws-cdk-lib';
import type { UserConfig, UserConfigInput } from '../../shared/contracts/user-config';

/**
 * Whether `value` is a token a construct made (`role.roleArn`, an ARN built on `Aws.ACCOUNT_ID`),
 * which CloudFormation resolves at deploy. A token marker typed as text (plain JSON, cdk.json, can
 * hold nothing else) names no token the app knows: it is checked as the literal it is.
 */
function isConstructToken(value: unknown): value is string {
  if (typeof value !== 'string' || !Token.isUnresolved(value)) return false;
  try {
    Tokenization.reverseString(value);
    return true;
  } catch {
    return false;
  }
}

/** A principal ARN the schema takes in place of the token sender at `index` while it checks the rest. */
const standIn = (index: number) => `arn:aws:iam::000000000000:role/prescale-token-sender-${index}`;

/**
 * `parse(config)` with the event senders that are construct tokens taken as they are: the schema
 * checks each sender's shape as a literal ARN, which a token has only at deploy, so a CDK user
 * could not name a role of their own app (`role.roleArn`). Literal senders are checked as before
 * (a bad one fails synth at `eventSenders.<i>`), tokens count toward the list's bounds, and no
 * function reads the senders (`configEnvironment` leaves them out of `PRESCALE_CONFIG`).
 */
export function parseWithTokenSenders(
  config: UserConfigInput,
  parse: (config: UserConfigInput) => UserConfig,
): UserConfig {
  const senders: unknown = (config as { eventSenders?: unknown }).eventSenders;
  if (!Array.isArray(senders) || !senders.some(isConstructToken)) return parse(config);
  const tokens = new Map<string, string>();
  const checked = senders.map((sender: unknown, i) => {
    if (!isConstructToken(sender)) return sender;
    tokens.set(standIn(i), sender);
    return standIn(i);
  });
  const parsed = parse({ ...config, eventSenders: checked as string[] });
  const eventSenders = (parsed.eventSenders ?? []).map((sender) => tokens.get(sender) ?? sender);
  return { ...parsed, eventSenders };
}
