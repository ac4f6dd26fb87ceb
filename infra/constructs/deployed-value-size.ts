import { CfnResource, Stack, Token } from 'aws-cdk-lib';
import * as autoscaling from 'aws-cdk-lib/aws-autoscaling';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { IConstruct } from 'constructs';

// The longest parts of an ARN or URL in any partition: `aws-us-gov` (10), a region name
// (`us-isof-south-1` is 15; 20 leaves room for longer ones), an account id (12), the URL suffix
// `amazonaws.com.cn` (16).
const PARTITION = 10;
const REGION = 20;
const ACCOUNT = 12;
const URL_SUFFIX = 16;
/** `arn:<partition>:<service>:<region>:<account>:`. */
const arnPrefix = (service: string) => 'arn:::::'.length + PARTITION + service.length + REGION + ACCOUNT;

/**
 * What a value CloudFormation fills in is counted at when nothing below bounds it (a generated SSM
 * parameter name, `CFN-<logical id>-<suffix>`; a value imported from another stack): the bound
 * `cloudformation-quotas.test.ts` has always used for a resolved intrinsic.
 */
export const UNKNOWN_VALUE_BYTES = 256;

/** Service name limits (each service's API reference): what a generated name is cut to. */
const NAME = { group: 255, role: 64, rolePath: 512, queue: 80, table: 255, fn: 64, stateMachine: 80 };

type Resources = ReadonlyMap<string, CfnResource>;

/**
 * The most bytes `value` can take once CloudFormation has deployed it: its literal text as is,
 * and each name, id, ARN or URL CloudFormation fills in (a `Ref`, `Fn::GetAtt`, ...) at the
 * longest the service allows, or its exact length where the template names the resource:
 * a construct group's name at 255 (an Auto Scaling group name's limit), its launch template id at
 * 20 (`lt-` and 17 hex digits), its instance role at its path and 64.
 */
export function maxDeployedBytes(scope: IConstruct, value: unknown): number {
  return deployedSizer(scope)(value);
}

/**
 * `maxDeployedBytes` for many values of one stack, reading its resources once (a function's
 * environment sizes each of its variables).
 */
export function deployedSizer(scope: IConstruct): (value: unknown) => number {
  const stack = Stack.of(scope);
  const resources = new Map<string, CfnResource>();
  // Only the types a bound tells apart: any other resource bounds as one not found does. Resolving
  // every resource's logical id, for each function of the stack, was ~8% of a synth (7 synths of
  // the test stack: 0.55 → 0.20 s in the functions' environment checks, 2026-12-08).
  for (const c of stack.node.findAll())
    if (CfnResource.isCfnResource(c) && BOUNDED_TYPES.has(c.cfnResourceType) && Stack.of(c) === stack)
      resources.set(stack.resolve(c.logicalId), c);
  return (value) => boundOf(stack.resolve(value), resources);
}

/** The resource types `refBound`, `arnBound` and `roleNameWithPathBound` tell apart. */
const BOUNDED_TYPES: ReadonlySet<string> = new Set([
  autoscaling.CfnAutoScalingGroup.CFN_RESOURCE_TYPE_NAME,
  iam.CfnRole.CFN_RESOURCE_TYPE_NAME,
  'AWS::EC2::LaunchTemplate',
  'AWS::SQS::Queue',
  'AWS::DynamoDB::Table',
  'AWS::DynamoDB::GlobalTable',
  'AWS::StepFunctions::StateMachine',
  'AWS::Lambda::Function',
]);

function boundOf(v: unknown, resources: Resources): number {
  if (typeof v === 'string') return Buffer.byteLength(v);
  if (typeof v === 'number' || typeof v === 'boolean') return String(v).length;
  const [key, arg] = (Object.entries(v ?? {})[0] ?? []) as [string | undefined, unknown];
  if (key === 'Fn::Join') {
    const [separator, parts] = arg as [string, unknown];
    if (!Array.isArray(parts)) return UNKNOWN_VALUE_BYTES;
    const joints = Buffer.byteLength(separator) * Math.max(0, parts.length - 1);
    return parts.reduce((sum: number, part) => sum + boundOf(part, resources), joints);
  }
  if (key === 'Ref') return refBound(String(arg), resources);
  if (key === 'Fn::GetAtt') {
    const [id, attribute] = arg as [string, string];
    return attribute === 'Arn' ? arnBound(resources.get(id)) : UNKNOWN_VALUE_BYTES;
  }
  if (key === 'Fn::Select') return roleNameWithPathBound(arg, resources) ?? UNKNOWN_VALUE_BYTES;
  return UNKNOWN_VALUE_BYTES;
}

/** A literal name the template gives the resource, or undefined when CloudFormation generates it. */
function literal(name: string | undefined): number | undefined {
  return typeof name === 'string' && !Token.isUnresolved(name) ? Buffer.byteLength(name) : undefined;
}

const PSEUDO: Readonly<Record<string, number>> = {
  'AWS::AccountId': ACCOUNT,
  'AWS::Partition': PARTITION,
  'AWS::Region': REGION,
  'AWS::URLSuffix': URL_SUFFIX,
  'AWS::StackName': 128,
};

function refBound(id: string, resources: Resources): number {
  if (id in PSEUDO) return PSEUDO[id] as number;
  const r = resources.get(id);
  if (r instanceof autoscaling.CfnAutoScalingGroup) return literal(r.autoScalingGroupName) ?? NAME.group;
  if (r instanceof iam.CfnRole) return literal(r.roleName) ?? NAME.role;
  switch (r?.cfnResourceType) {
    case 'AWS::EC2::LaunchTemplate':
      return 'lt-'.length + 17;
    case 'AWS::SQS::Queue':
      return 'https://sqs..//'.length + REGION + URL_SUFFIX + ACCOUNT + NAME.queue;
    case 'AWS::DynamoDB::Table':
    case 'AWS::DynamoDB::GlobalTable':
      return NAME.table;
    case 'AWS::StepFunctions::StateMachine':
      return arnBound(r);
    default:
      return UNKNOWN_VALUE_BYTES;
  }
}

function arnBound(r: CfnResource | undefined): number {
  if (r instanceof iam.CfnRole)
    return arnPrefix('iam') - REGION + 'role'.length + rolePathBytes(r) + (literal(r.roleName) ?? NAME.role);
  switch (r?.cfnResourceType) {
    case 'AWS::Lambda::Function':
      return arnPrefix('lambda') + 'function:'.length + NAME.fn;
    case 'AWS::SQS::Queue':
      return arnPrefix('sqs') + NAME.queue;
    case 'AWS::StepFunctions::StateMachine':
      return arnPrefix('states') + 'stateMachine:'.length + NAME.stateMachine;
    default:
      return UNKNOWN_VALUE_BYTES;
  }
}

/** A role's path, `/` when it has none; a path known only at deploy at IAM's limit. */
function rolePathBytes(role: iam.CfnRole): number {
  return literal(role.path ?? '/') ?? NAME.rolePath;
}

/**
 * `Fn::Select [1, Fn::Split [':role/', <role ARN>]]`, the role name with its path that
 * `constructGroupFacts` cuts from an ARN known only at deploy: its path (less the leading `/`) and
 * its name, at IAM's limits when the role is not this stack's.
 */
function roleNameWithPathBound(arg: unknown, resources: Resources): number | undefined {
  const [, list] = arg as [unknown, Record<string, unknown>];
  const split = list?.['Fn::Split'] as [string, unknown] | undefined;
  if (split?.[0] !== ':role/') return undefined;
  const source = split[1] as { 'Fn::GetAtt'?: [string, string] };
  const role = resources.get(source?.['Fn::GetAtt']?.[0] ?? '');
  if (role instanceof iam.CfnRole) return rolePathBytes(role) - 1 + (literal(role.roleName) ?? NAME.role);
  return NAME.rolePath - 1 + NAME.role;
}
