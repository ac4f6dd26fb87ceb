import { STATE_KEYS } from '../../contracts/state-keys';
import type { InstanceRole } from '../world/simulated-iam';
import type { IamRequest } from './authorize-request';
import { deployedStackId } from './resolve-intrinsics';

/**
 * What launching from one launch template version asks of the caller besides `ec2:RunInstances`
 * (https://docs.aws.amazon.com/autoscaling/ec2/userguide/ec2-auto-scaling-api-permissions.html).
 */
export interface TemplateLaunch {
  /** The role its instance profile carries: `iam:PassRole` to EC2 on it. Absent: no instance profile. */
  readonly instanceRole?: InstanceRole;
  /** Resource types its tag specifications tag: `ec2:CreateTags` on each with `ec2:CreateAction=RunInstances`. */
  readonly taggedResourceTypes: readonly string[];
}

/** What the simulated account knows about the resources a request names. */
export interface ResourceFacts {
  readonly account: string;
  readonly region: string;
  readonly partition: string;
  /** The group's ARN and tags, or undefined when no such group exists. */
  group(name: string): { readonly arn: string; readonly tags: Readonly<Record<string, string>> } | undefined;
  /** The tags of a launch template (Prescale's convention: the group's enrolment tags). */
  launchTemplateTags(id: string): Readonly<Record<string, string>>;
  /** What launching from the template's version asks besides RunInstances (`version` absent: `$Default`). */
  templateLaunch(id: string, version: string | undefined): TemplateLaunch;
  /** The queue ARN for a queue URL. */
  queueArn(url: string): string;
}

/** An IAM request without its principal: what one API call needs authorized. */
export type RequiredPermission = Omit<IamRequest, 'principal'>;

/** The IAM error code each service answers a denied request with. */
const ACCESS_DENIED_CODE: Readonly<Record<string, string>> = {
  autoscaling: 'AccessDenied',
  cloudformation: 'AccessDenied',
  cloudwatch: 'AccessDenied',
  ec2: 'UnauthorizedOperation',
  dynamodb: 'AccessDeniedException',
  sqs: 'AccessDenied',
  ssm: 'AccessDeniedException',
  scheduler: 'AccessDeniedException',
  sfn: 'AccessDeniedException',
  sns: 'AuthorizationError',
  xray: 'AccessDeniedException',
  pricing: 'AccessDeniedException',
  'timestream-query': 'AccessDeniedException',
  lambda: 'AccessDeniedException',
};

/**
 * The error code a request denied `action` is answered with: the service's (`ACCESS_DENIED_CODE`),
 * but an SNS publish to an encrypted topic whose key the caller may not use answers
 * `KMSAccessDenied`, one of Publish's declared errors (SNS API reference, *Publish*, Errors).
 */
export function accessDeniedCode(service: string, action: string): string {
  if (service === 'sns' && action.startsWith('kms:')) return 'KMSAccessDenied';
  return ACCESS_DENIED_CODE[service] ?? 'AccessDeniedException';
}

const IAM_PREFIX: Readonly<Record<string, string>> = {
  autoscaling: 'autoscaling',
  cloudformation: 'cloudformation',
  cloudwatch: 'cloudwatch',
  ec2: 'ec2',
  dynamodb: 'dynamodb',
  sqs: 'sqs',
  ssm: 'ssm',
  scheduler: 'scheduler',
  sfn: 'states',
  sns: 'sns',
  xray: 'xray',
  pricing: 'pricing',
  'timestream-query': 'timestream',
  lambda: 'lambda',
};

/** Auto Scaling calls that change a group: authorized on the group's ARN with its tags. */
export const GROUP_MUTATIONS = new Set([
  'UpdateAutoScalingGroup',
  'SetDesiredCapacity',
  'StartInstanceRefresh',
  'CancelInstanceRefresh',
  'RollbackInstanceRefresh',
  'PutScheduledUpdateGroupAction',
  'DeleteScheduledAction',
  'PutWarmPool',
  'DeleteWarmPool',
  'SuspendProcesses',
  'ResumeProcesses',
  'BatchPutScheduledUpdateGroupAction',
  'BatchDeleteScheduledAction',
  'CreateOrUpdateTags',
  'DeleteTags',
]);

/** IAM action names that differ from the API operation name. */
const ACTION_OF: Readonly<Record<string, string>> = {
  'sqs:SendMessageBatch': 'sqs:SendMessage',
  'sqs:DeleteMessageBatch': 'sqs:DeleteMessage',
  'timestream:Query': 'timestream:Select',
  'lambda:Invoke': 'lambda:InvokeFunction',
};

function tagContext(prefix: string, tags: Readonly<Record<string, string>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(tags)) {
    out[`aws:ResourceTag/${k}`] = v;
    out[`${prefix}:ResourceTag/${k}`] = v;
  }
  return out;
}

// biome-ignore lint/suspicious/noExplicitAny: SDK inputs of many commands.
type Input = Record<string, any>;

/**
 * The IAM requests AWS authorizes for one API call, per the Service Authorization Reference:
 * action, resource ARN (`*` where the action has no resource-level permissions) and context keys
 * (`aws:ResourceTag/*` from the simulated resource, `iam:PassedToService` for passed roles), plus
 * the implicit ones (`ec2:RunInstances`, `ec2:CreateTags` and `iam:PassRole` for a launch template
 * a group is pointed at, `iam:PassRole` for a schedule's role; `kms:GenerateDataKey` for an
 * encrypted topic is added by the caller).
 * @throws Error naming the service and operation when the mapping does not know the call.
 */
export function requiredPermissions(
  service: string,
  operation: string,
  input: Input,
  facts: ResourceFacts,
): RequiredPermission[] {
  const prefix = IAM_PREFIX[service];
  if (!prefix) throw new Error(`no IAM mapping for service ${service} (operation ${operation})`);
  const named = `${prefix}:${operation}`;
  const action = ACTION_OF[named] ?? named;
  const { partition, region, account } = facts;
  const arn = (svc: string, rest: string) => `arn:${partition}:${svc}:${region}:${account}:${rest}`;
  switch (service) {
    case 'autoscaling':
      return autoScalingPermissions(action, operation, input, facts);
    case 'ec2':
      return ec2Permissions(action, operation, input, facts, arn);
    case 'dynamodb':
      return dynamoDbPermissions(action, operation, input, arn);
    case 'sqs':
      return [{ action, resourceArn: facts.queueArn(input.QueueUrl) }];
    case 'ssm':
      return [{ action, resourceArn: arn('ssm', `parameter/${String(input.Name).replace(/^\//, '')}`) }];
    case 'scheduler':
      return schedulerPermissions(action, input, arn);
    case 'sfn':
      // StartExecution names its state machine; DescribeExecution (and the like) the execution.
      return [{ action, resourceArn: input.stateMachineArn ?? input.executionArn }];
    case 'sns':
      return [{ action, resourceArn: input.TopicArn }];
    case 'lambda':
      return [{ action, resourceArn: input.FunctionName }];
    case 'timestream-query':
      return [{ action, resourceArn: operation === 'Query' ? timestreamTableArn(input, arn) : '*' }];
    case 'cloudformation': {
      // A stack named by its name is authorized on its ARN (stack/<name>/<uuid>), as by its id.
      const stack = String(input.StackName);
      return [{ action, resourceArn: stack.startsWith('arn:') ? stack : deployedStackId(facts, stack) }];
    }
    default:
      return [{ action, resourceArn: '*' }];
  }
}

/** An ARN in the caller's partition, region and account: `arn(service, resource)`. */
type ArnOf = (service: string, resource: string) => string;

/** EC2: a new launch template version is authorized on its template (and its tags); the rest on `*`. */
function ec2Permissions(
  action: string,
  operation: string,
  input: Input,
  facts: ResourceFacts,
  arn: ArnOf,
): RequiredPermission[] {
  if (operation !== 'CreateLaunchTemplateVersion') return [{ action, resourceArn: '*' }];
  const id = input.LaunchTemplateId ?? input.LaunchTemplateName;
  return [
    {
      action,
      resourceArn: arn('ec2', `launch-template/${id}`),
      context: tagContext('ec2', facts.launchTemplateTags(id)),
    },
  ];
}

/** EventBridge Scheduler: the schedule itself, and passing its target's role to the scheduler. */
function schedulerPermissions(action: string, input: Input, arn: ArnOf): RequiredPermission[] {
  const group = input.GroupName ?? 'default';
  const own = { action, resourceArn: arn('scheduler', `schedule/${group}/${input.Name}`) };
  const role = input.Target?.RoleArn as string | undefined;
  if (!role) return [own];
  return [
    own,
    {
      action: 'iam:PassRole',
      resourceArn: role,
      context: { 'iam:PassedToService': 'scheduler.amazonaws.com' },
    },
  ];
}

/** The table a Timestream query reads (its FROM), or `*` when the query names none. */
function timestreamTableArn(input: Input, arn: ArnOf): string {
  const from = /FROM\s+"([^"]+)"\."([^"]+)"/i.exec(String(input.QueryString));
  return from ? arn('timestream', `database/${from[1]}/table/${from[2]}`) : '*';
}

function autoScalingPermissions(
  action: string,
  operation: string,
  input: Input,
  facts: ResourceFacts,
): RequiredPermission[] {
  if (!GROUP_MUTATIONS.has(operation)) return [{ action, resourceArn: '*' }];
  if (operation === 'CreateOrUpdateTags' || operation === 'DeleteTags')
    return groupTagPermissions(action, operation, input, facts);
  const name = String(input.AutoScalingGroupName);
  const group = facts.group(name);
  const out: RequiredPermission[] = [
    { action, resourceArn: groupArn(name, facts), context: tagContext('autoscaling', group?.tags ?? {}) },
  ];
  // Naming a launch template in a group update or a refresh's desired configuration has Auto
  // Scaling check that the caller could launch from it: RunInstances on the template, CreateTags
  // for its tag specifications, PassRole for its instance profile's role
  // (https://docs.aws.amazon.com/autoscaling/ec2/userguide/ec2-auto-scaling-api-permissions.html).
  for (const template of namedTemplates(input)) out.push(...launchPermissions(template, facts));
  return out;
}

function groupArn(name: string, facts: ResourceFacts): string {
  return (
    facts.group(name)?.arn ??
    `arn:${facts.partition}:autoscaling:${facts.region}:${facts.account}:autoScalingGroup:*:autoScalingGroupName/${name}`
  );
}

/**
 * Tagging groups: one request per group the `Tags` name, on its ARN with its tags, and the keys
 * the call writes or deletes as `aws:TagKeys` (and their values as `aws:RequestTag/*` for
 * CreateOrUpdateTags), the condition keys the Service Authorization Reference lists for both.
 */
function groupTagPermissions(
  action: string,
  operation: string,
  input: Input,
  facts: ResourceFacts,
): RequiredPermission[] {
  const byGroup = new Map<string, Input[]>();
  for (const tag of (input.Tags ?? []) as Input[]) {
    const name = String(tag.ResourceId);
    byGroup.set(name, [...(byGroup.get(name) ?? []), tag]);
  }
  return [...byGroup].map(([name, tags]) => {
    const requestTags =
      operation === 'CreateOrUpdateTags'
        ? Object.fromEntries(tags.map((t) => [`aws:RequestTag/${t.Key}`, String(t.Value ?? '')]))
        : {};
    return {
      action,
      resourceArn: groupArn(name, facts),
      context: {
        ...tagContext('autoscaling', facts.group(name)?.tags ?? {}),
        ...requestTags,
        'aws:TagKeys': tags.map((t) => String(t.Key)),
      },
    };
  });
}

/** The launch template versions an Auto Scaling request names, each once (id or name, and version). */
function namedTemplates(input: Input): { id: string; version: string | undefined }[] {
  const spec = input.LaunchTemplate ?? input.DesiredConfiguration?.LaunchTemplate;
  const mixed = input.MixedInstancesPolicy ?? input.DesiredConfiguration?.MixedInstancesPolicy;
  const specs: Input[] = [
    spec,
    mixed?.LaunchTemplate?.LaunchTemplateSpecification,
    ...(mixed?.LaunchTemplate?.Overrides ?? []).map((o: Input) => o.LaunchTemplateSpecification),
  ].filter(Boolean);
  const byKey = new Map<string, { id: string; version: string | undefined }>();
  for (const t of specs) {
    const id = String(t.LaunchTemplateId ?? t.LaunchTemplateName);
    const version = t.Version === undefined ? undefined : String(t.Version);
    byKey.set(`${id} ${version}`, { id, version });
  }
  return [...byKey.values()];
}

function launchPermissions(
  template: { id: string; version: string | undefined },
  facts: ResourceFacts,
): RequiredPermission[] {
  const { partition, region, account } = facts;
  const ec2Arn = (rest: string) => `arn:${partition}:ec2:${region}:${account}:${rest}`;
  const launch = facts.templateLaunch(template.id, template.version);
  const out: RequiredPermission[] = [
    {
      action: 'ec2:RunInstances',
      resourceArn: ec2Arn(`launch-template/${template.id}`),
      context: tagContext('ec2', facts.launchTemplateTags(template.id)),
    },
  ];
  for (const type of launch.taggedResourceTypes)
    out.push({
      action: 'ec2:CreateTags',
      resourceArn: ec2Arn(`${type}/*`),
      context: { 'ec2:CreateAction': 'RunInstances' },
    });
  // No iam:ResourceTag: IAM does not authorize PassRole by the role's tags (id_roles_use_passrole),
  // so a policy relying on them allows nothing here, as in AWS.
  if (launch.instanceRole)
    out.push({
      action: 'iam:PassRole',
      resourceArn: launch.instanceRole.arn,
      // EC2 names itself ec2.amazonaws.com.cn in aws-cn (karpenter-provider-aws #6843).
      context: {
        'iam:PassedToService': partition === 'aws-cn' ? 'ec2.amazonaws.com.cn' : 'ec2.amazonaws.com',
      },
    });
  return out;
}

function dynamoDbPermissions(
  action: string,
  operation: string,
  input: Input,
  arn: ArnOf,
): RequiredPermission[] {
  if (operation === 'BatchGetItem' || operation === 'BatchWriteItem')
    return Object.entries(input.RequestItems ?? {}).map(([table, items]) => ({
      action,
      resourceArn: arn('dynamodb', `table/${table}`),
      context: leadingKeysContext(batchPartitionKeys(items)),
    }));
  const table = arn('dynamodb', `table/${input.TableName}`);
  const resourceArn = input.IndexName ? `${table}/index/${input.IndexName}` : table;
  const keys = itemPartitionKeys(operation, input);
  return [{ action, resourceArn, ...(keys ? { context: leadingKeysContext(keys) } : {}) }];
}

/**
 * A key no `dynamodb:LeadingKeys` pattern but `*` admits: the partition key of a request that
 * names an item without giving its key (a catalogue entry of `handlerCalls` with the table only).
 * `ForAllValues` is true when the request carries no value at all, so leaving the key out would
 * let every prefix pass; with this value a grant scoped to a prefix denies the request instead.
 */
export const UNKNOWN_PARTITION_KEY = '';

/** Operations that name the items they read or write by their key (or the whole item, for PutItem). */
const ITEM_OPERATIONS = new Set(['GetItem', 'PutItem', 'UpdateItem', 'DeleteItem', 'Query']);

/**
 * The partition key values a DynamoDB request names, which DynamoDB authorizes as
 * `dynamodb:LeadingKeys` (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/specifying-conditions.html):
 * the `Key` (or PutItem's `Item`) value of the state table's partition key attribute, or the value
 * a Query's key condition sets it equal to; undefined for operations without leading keys (Scan,
 * table-level calls). A value the request does not give is `UNKNOWN_PARTITION_KEY`.
 */
function itemPartitionKeys(operation: string, input: Input): string[] | undefined {
  if (!ITEM_OPERATIONS.has(operation)) return undefined;
  if (operation === 'Query') return [queryPartitionKey(input) ?? UNKNOWN_PARTITION_KEY];
  return [partitionKeyOf(operation === 'PutItem' ? input.Item : input.Key)];
}

function batchPartitionKeys(items: unknown): string[] {
  const requests: Input[] = Array.isArray(items)
    ? items.map((w: Input) => w.PutRequest?.Item ?? w.DeleteRequest?.Key)
    : (((items as Input | undefined)?.Keys ?? []) as Input[]);
  const keys = requests.map(partitionKeyOf);
  return keys.length > 0 ? keys : [UNKNOWN_PARTITION_KEY];
}

/** The partition key's string value in an attribute map (SDK `{ S }` shape or a plain value). */
function partitionKeyOf(item: Input | undefined): string {
  const value = item?.[STATE_KEYS.partitionKey];
  if (value === undefined) return UNKNOWN_PARTITION_KEY;
  return String(typeof value === 'object' && value !== null && 'S' in value ? value.S : value);
}

/** The value `KeyConditionExpression` sets the partition key equal to (`pk = :pk`, or by `#name`). */
function queryPartitionKey(input: Input): string | undefined {
  const names: Record<string, string> = input.ExpressionAttributeNames ?? {};
  for (const [, name, placeholder] of String(input.KeyConditionExpression ?? '').matchAll(
    /([#\w]+)\s*=\s*(:\w+)/g,
  ))
    if ((names[name as string] ?? name) === STATE_KEYS.partitionKey)
      return partitionKeyOf({
        [STATE_KEYS.partitionKey]: input.ExpressionAttributeValues?.[placeholder as string],
      });
  return undefined;
}

function leadingKeysContext(keys: readonly string[]): Record<string, readonly string[]> {
  return { 'dynamodb:LeadingKeys': [...new Set(keys)] };
}
