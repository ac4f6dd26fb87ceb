import { runSimulation } from '@cloud-copilot/iam-simulate';

/**
 * Evaluates the synthesized template's own IAM policies for concrete requests, with the
 * open-source evaluator @cloud-copilot/iam-simulate: a test states the call the code makes
 * (action, resource ARN, request context) and asks whether the deployed principal may make it.
 * Intrinsics (Ref, Fn::GetAtt, Fn::Join, pseudo parameters) resolve to concrete names and ARNs
 * for one test account and region, the way CloudFormation would name them.
 */

export const ACCOUNT = '123456789012';
export const REGION = 'eu-west-1';
export const PARTITION = 'aws';

type Json = unknown;
interface Resource {
  readonly Type: string;
  readonly Properties?: Record<string, Json>;
}
export interface TemplateJson {
  readonly Resources: Record<string, Resource>;
}

const ARN_SHAPES: Record<string, (id: string) => string> = {
  'AWS::Lambda::Function': (id) => `arn:${PARTITION}:lambda:${REGION}:${ACCOUNT}:function:${id}`,
  'AWS::SQS::Queue': (id) => `arn:${PARTITION}:sqs:${REGION}:${ACCOUNT}:${id}`,
  'AWS::SNS::Topic': (id) => `arn:${PARTITION}:sns:${REGION}:${ACCOUNT}:${id}`,
  'AWS::KMS::Key': (id) => `arn:${PARTITION}:kms:${REGION}:${ACCOUNT}:key/${id}`,
  'AWS::DynamoDB::GlobalTable': (id) => `arn:${PARTITION}:dynamodb:${REGION}:${ACCOUNT}:table/${id}`,
  'AWS::DynamoDB::Table': (id) => `arn:${PARTITION}:dynamodb:${REGION}:${ACCOUNT}:table/${id}`,
  'AWS::StepFunctions::StateMachine': (id) =>
    `arn:${PARTITION}:states:${REGION}:${ACCOUNT}:stateMachine:${id}`,
  'AWS::Logs::LogGroup': (id) => `arn:${PARTITION}:logs:${REGION}:${ACCOUNT}:log-group:${id}:*`,
  'AWS::SSM::Parameter': (id) => `arn:${PARTITION}:ssm:${REGION}:${ACCOUNT}:parameter/${id}`,
  'AWS::Events::EventBus': (id) => `arn:${PARTITION}:events:${REGION}:${ACCOUNT}:event-bus/${id}`,
  'AWS::Events::Rule': (id) => `arn:${PARTITION}:events:${REGION}:${ACCOUNT}:rule/${id}`,
  'AWS::Scheduler::ScheduleGroup': (name) =>
    `arn:${PARTITION}:scheduler:${REGION}:${ACCOUNT}:schedule-group/${name}`,
  'AWS::CloudWatch::Alarm': (id) => `arn:${PARTITION}:cloudwatch:${REGION}:${ACCOUNT}:alarm:${id}`,
};

/** Types whose resources are named by their `Name` when they have one (their logical id otherwise). */
const NAMED_BY_NAME = new Set(['AWS::Scheduler::Schedule', 'AWS::Scheduler::ScheduleGroup']);

/** The name a resource gets: its `Name` for the types above that set one, its logical id otherwise. */
function nameOf(resource: Resource, logicalId: string): string {
  const name = NAMED_BY_NAME.has(resource.Type) ? resource.Properties?.Name : undefined;
  return typeof name === 'string' ? name : logicalId;
}

/** The concrete ARN a resource of the template gets in the test account. */
export function arnOf(template: TemplateJson, logicalId: string): string {
  const resource = template.Resources[logicalId];
  if (!resource) throw new Error(`no resource ${logicalId} in the template`);
  // A role's ARN carries its path (`role/app/<name>`, `/` by default); its name and Ref do not.
  if (resource.Type === 'AWS::IAM::Role')
    return `arn:${PARTITION}:iam::${ACCOUNT}:role${(resource.Properties?.Path as string | undefined) ?? '/'}${logicalId}`;
  // A schedule's ARN carries its group (`GroupName`, a name or a Ref to the group); without one
  // it is in the account's `default` group.
  if (resource.Type === 'AWS::Scheduler::Schedule') {
    const group = resolveIntrinsics(template, resource.Properties?.GroupName ?? 'default');
    return `arn:${PARTITION}:scheduler:${REGION}:${ACCOUNT}:schedule/${group}/${nameOf(resource, logicalId)}`;
  }
  const shape = ARN_SHAPES[resource.Type];
  if (!shape) throw new Error(`no ARN shape for ${resource.Type} (${logicalId})`);
  return shape(nameOf(resource, logicalId));
}

/** What `Ref` returns for a resource, by type (a name, a URL or an ARN). */
function refOf(template: TemplateJson, logicalId: string): string {
  const resource = template.Resources[logicalId];
  if (!resource) throw new Error(`Ref to unknown resource ${logicalId}`);
  switch (resource.Type) {
    case 'AWS::SNS::Topic':
    case 'AWS::StepFunctions::StateMachine':
      return arnOf(template, logicalId);
    case 'AWS::SQS::Queue':
      return `https://sqs.${REGION}.amazonaws.com/${ACCOUNT}/${logicalId}`;
    default:
      return nameOf(resource, logicalId);
  }
}

/** Resolves CloudFormation intrinsics to concrete values for the test account and region. */
export function resolveIntrinsics(template: TemplateJson, value: Json): Json {
  if (Array.isArray(value)) return value.map((v) => resolveIntrinsics(template, v));
  if (value === null || typeof value !== 'object') return value;
  const object = value as Record<string, Json>;
  const keys = Object.keys(object);
  if (keys.length === 1) {
    const [key] = keys as [string];
    const arg = object[key];
    if (key === 'Ref') {
      const name = arg as string;
      const pseudo: Record<string, string> = {
        'AWS::Partition': PARTITION,
        'AWS::Region': REGION,
        'AWS::AccountId': ACCOUNT,
        'AWS::URLSuffix': 'amazonaws.com',
      };
      return pseudo[name] ?? refOf(template, name);
    }
    if (key === 'Fn::GetAtt') {
      const [id, attribute] = arg as [string, string];
      const resource = template.Resources[id];
      if (resource?.Type === 'AWS::SQS::Queue' && attribute === 'QueueName') return id;
      if (resource?.Type === 'AWS::SQS::Queue' && attribute === 'QueueUrl') return refOf(template, id);
      if (resource?.Type === 'AWS::SNS::Topic' && attribute === 'TopicName') return id;
      return arnOf(template, id);
    }
    if (key === 'Fn::Join') {
      const [separator, parts] = arg as [string, Json[]];
      return parts.map((p) => resolveIntrinsics(template, p)).join(separator);
    }
    if (key === 'Fn::Select') {
      const [index, list] = arg as [number, Json];
      return (resolveIntrinsics(template, list) as Json[])[Number(index)];
    }
    if (key === 'Fn::Split') {
      const [separator, source] = arg as [string, Json];
      return String(resolveIntrinsics(template, source)).split(separator);
    }
  }
  return Object.fromEntries(keys.map((k) => [k, resolveIntrinsics(template, object[k])]));
}

/** The identity policies attached to a role: inline `Policies` and every `AWS::IAM::Policy` naming it. */
export function identityPoliciesOf(template: TemplateJson, roleLogicalId: string) {
  const role = template.Resources[roleLogicalId];
  if (role?.Type !== 'AWS::IAM::Role') throw new Error(`${roleLogicalId} is not a role`);
  const inline = ((role.Properties?.Policies as { PolicyName: string; PolicyDocument: Json }[]) ?? []).map(
    (p) => ({ name: p.PolicyName, policy: resolveIntrinsics(template, p.PolicyDocument) }),
  );
  const attached = Object.entries(template.Resources)
    .filter(([, r]) => r.Type === 'AWS::IAM::Policy')
    .filter(([, r]) =>
      ((r.Properties?.Roles as Json[]) ?? []).some((ref) => (ref as { Ref?: string }).Ref === roleLogicalId),
    )
    .map(([id, r]) => ({ name: id, policy: resolveIntrinsics(template, r.Properties?.PolicyDocument) }));
  return [...inline, ...attached];
}

/** The logical id of the single role whose id starts with `prefix` (construct path without separators). */
export function roleId(template: TemplateJson, prefix: string): string {
  const matches = Object.entries(template.Resources)
    .filter(([id, r]) => r.Type === 'AWS::IAM::Role' && id.startsWith(prefix))
    .map(([id]) => id);
  if (matches.length !== 1)
    throw new Error(`expected one role starting ${prefix}, found ${matches.join(', ')}`);
  return matches[0] as string;
}

export interface IamRequest {
  readonly action: string;
  readonly resource: string;
  readonly context?: Readonly<Record<string, string | string[]>>;
}

/**
 * Whether the role may make the request, by its identity policies (a role of the template's, or
 * those given for a principal outside it) and, when given, a resource
 * policy (the role's own trust policy for `sts:AssumeRole`, a topic or key policy...). Returns
 * the evaluator's verdict: 'Allowed', 'ImplicitlyDenied' or 'ExplicitlyDenied'.
 */
export async function evaluate(
  template: TemplateJson,
  principal: { readonly roleLogicalId?: string; readonly arn?: string; readonly identityPolicies?: Json[] },
  request: IamRequest,
  resourcePolicy?: Json,
): Promise<string> {
  const principalArn = principal.arn ?? arnOf(template, principal.roleLogicalId as string);
  const result = await runSimulation(
    {
      request: {
        principal: principalArn,
        action: request.action,
        resource: { resource: request.resource, accountId: ACCOUNT },
        contextVariables: { ...(request.context ?? {}) },
      },
      identityPolicies: principal.roleLogicalId
        ? identityPoliciesOf(template, principal.roleLogicalId)
        : (principal.identityPolicies ?? []).map((policy, i) => ({ name: `given-${i}`, policy })),
      serviceControlPolicies: [],
      resourceControlPolicies: [],
      ...(resourcePolicy ? { resourcePolicy: resolveIntrinsics(template, resourcePolicy) } : {}),
    },
    {},
  );
  if (result.resultType === 'error') throw new Error(`simulation error: ${JSON.stringify(result.errors)}`);
  return result.overallResult;
}
