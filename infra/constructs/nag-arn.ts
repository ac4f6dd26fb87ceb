import { Stack, Token } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

/**
 * An ARN as cdk-nag prints it inside finding IDs: the partition as `<AWS::Partition>` and an
 * environment-agnostic region or account as `<AWS::Region>` / `<AWS::AccountId>`, so an
 * acknowledgement names exactly one finding in both `cdk synth` and tests with a fixed env.
 */
export function nagArn(scope: IConstruct, service: string, resource: string): string {
  const stack = Stack.of(scope);
  const region = Token.isUnresolved(stack.region) ? '<AWS::Region>' : stack.region;
  const account = Token.isUnresolved(stack.account) ? '<AWS::AccountId>' : stack.account;
  return `arn:<AWS::Partition>:${service}:${region}:${account}:${resource}`;
}

/**
 * A string as cdk-nag prints it inside finding IDs: a token that is a `Ref` shows as
 * `<LogicalId>`, a `Fn::GetAtt` as `<LogicalId.Attribute>`; plain text is unchanged.
 */
export function nagText(scope: IConstruct, value: string): string {
  if (!Token.isUnresolved(value)) return value;
  const resolved = Stack.of(scope).resolve(value) as { Ref?: string; 'Fn::GetAtt'?: [string, string] };
  if (resolved.Ref) return `<${resolved.Ref}>`;
  if (resolved['Fn::GetAtt']) return `<${resolved['Fn::GetAtt'].join('.')}>`;
  return value;
}
