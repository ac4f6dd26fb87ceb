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
 * A string as cdk-nag prints it inside finding IDs, resolved in `scope`'s stack: a `Ref` shows as
 * `<LogicalId>`, a `Fn::GetAtt` as `<LogicalId.Attribute>`, a `Fn::ImportValue` as the export's
 * name, a `Fn::Join` or `Fn::Sub` as its parts joined, any other intrinsic (`Fn::Select`,
 * `Fn::GetStackOutput`…) as its JSON; plain text is unchanged. A reference to another stack
 * resolves to what it becomes in `scope`'s stack (an import, a stack output) only once CDK has
 * resolved the app's references at synth: for a token that may come from another stack, call it
 * from then on (a construct validation).
 */
export function nagText(scope: IConstruct, value: string): string {
  if (!Token.isUnresolved(value)) return value;
  return flattenedAsNag(Stack.of(scope).resolve(value));
}

/**
 * A resolved CloudFormation value flattened as cdk-nag's `flattenCfnReference` (cdk-nag
 * src/utils/flatten-cfn-reference.ts) does for the resources in its finding IDs, case for case.
 */
function flattenedAsNag(node: unknown): string {
  if (node === undefined) return '';
  if (typeof node === 'string') return node.replace(/\$\{/g, '<').replace(/\}/g, '>');
  const fn = (key: string) => (node as Record<string, unknown>)[key];
  const join = fn('Fn::Join') as [string, unknown[]] | undefined;
  if (join) return join[1].map(flattenedAsNag).join(join[0]);
  if (fn('Fn::Sub')) return flattenedAsNag(fn('Fn::Sub'));
  const getAtt = fn('Fn::GetAtt') as [unknown, unknown] | undefined;
  if (getAtt) return `<${flattenedAsNag(getAtt[0])}.${flattenedAsNag(getAtt[1])}>`;
  if (fn('Fn::ImportValue')) return flattenedAsNag(fn('Fn::ImportValue'));
  if (fn('Ref')) return `<${flattenedAsNag(fn('Ref'))}>`;
  return JSON.stringify(node);
}
