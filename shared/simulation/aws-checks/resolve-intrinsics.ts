import { createHash } from 'node:crypto';

/** A synthesized CloudFormation template, as `cdk synth` writes it. */
export interface CfnTemplate {
  readonly Resources: Readonly<Record<string, CfnResource>>;
}

/** One resource of a template. */
export interface CfnResource {
  readonly Type: string;
  // biome-ignore lint/suspicious/noExplicitAny: CloudFormation properties are free-form JSON.
  readonly Properties?: Record<string, any>;
  readonly Metadata?: Readonly<Record<string, unknown>>;
}

/** Where the template is deployed: the concrete values of the pseudo parameters. */
export interface DeploymentTarget {
  readonly account: string;
  readonly region: string;
  readonly partition: string;
}

/** The test account and partition every check uses; the region is the simulated world's. */
export const TEST_ACCOUNT = '123456789012';

/** The deployed stack's name (`AWS::StackName`). */
export const DEPLOYED_STACK_NAME = 'Prescale';

/**
 * The id CloudFormation gives the stack `stackName` deployed to `target` (`AWS::StackId`): its
 * ARN, `stack/<name>/<uuid>`, with a fixed UUID.
 */
export function deployedStackId(target: DeploymentTarget, stackName = DEPLOYED_STACK_NAME): string {
  return `arn:${target.partition}:cloudformation:${target.region}:${target.account}:stack/${stackName}/5b918d10-cd98-11ea-90d5-0a9cd3354c10`;
}

/** A template value whose intrinsic function is not supported here; names the function and where. */
export class UnsupportedIntrinsicError extends Error {
  override readonly name = 'UnsupportedIntrinsicError' as const;
  constructor(
    readonly intrinsic: string,
    readonly detail: string,
  ) {
    super(`cannot resolve ${intrinsic} (${detail}) to a concrete value for the IAM checks`);
  }
}

/**
 * Resolves `Ref`, `Fn::GetAtt`, `Fn::Join`, `Fn::Sub`, `Fn::Select`, `Fn::Split` and the pseudo
 * parameters in a template value to concrete strings, naming each resource after its logical id
 * (CloudFormation would generate a similar unique name) unless the template sets a name.
 * @throws UnsupportedIntrinsicError for any other intrinsic, or a Ref/GetAtt to a missing resource.
 */
export function resolveIntrinsics(template: CfnTemplate, target: DeploymentTarget, value: unknown): unknown {
  const resolve = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(resolve);
    if (v === null || typeof v !== 'object') return v;
    const o = v as Record<string, unknown>;
    const keys = Object.keys(o);
    if (keys.length === 1) {
      const [key] = keys as [string];
      const arg = o[key];
      switch (key) {
        case 'Ref':
          return refValue(template, target, String(arg));
        case 'Fn::GetAtt': {
          const [id, attribute] = (typeof arg === 'string' ? arg.split('.') : arg) as [string, string];
          return getAttValue(template, target, id, attribute);
        }
        case 'Fn::Join': {
          const [separator, parts] = arg as [string, unknown[]];
          return (resolve(parts) as unknown[]).map(String).join(separator);
        }
        case 'Fn::Sub':
          return substitute(arg, resolve);
        case 'Fn::Select': {
          const [index, list] = arg as [unknown, unknown];
          return (resolve(list) as unknown[])[Number(resolve(index))];
        }
        case 'Fn::Split': {
          const [separator, text] = arg as [string, unknown];
          return String(resolve(text)).split(separator);
        }
        default:
          if (key.startsWith('Fn::') || key === 'Condition')
            throw new UnsupportedIntrinsicError(key, JSON.stringify(arg));
      }
    }
    return Object.fromEntries(keys.map((k) => [k, resolve(o[k])]));
  };
  return resolve(value);
}

function substitute(arg: unknown, resolve: (v: unknown) => unknown): string {
  const [text, vars] = (typeof arg === 'string' ? [arg, {}] : arg) as [string, Record<string, unknown>];
  return text.replace(/\$\{([^}!]+)\}/g, (_m, name: string) => {
    if (name in vars) return String(resolve(vars[name]));
    const [id, attribute] = name.split('.');
    return String(resolve(attribute ? { 'Fn::GetAtt': [id, attribute] } : { Ref: id }));
  });
}

function resourceOf(template: CfnTemplate, id: string): CfnResource {
  const resource = template.Resources[id];
  if (!resource) throw new UnsupportedIntrinsicError('Ref/GetAtt', `no resource ${id} in the template`);
  return resource;
}

/** The physical name of a resource: its name property when the template sets one, else its logical id. */
export function physicalName(template: CfnTemplate, id: string): string {
  const p = resourceOf(template, id).Properties ?? {};
  const named =
    p.RoleName ??
    p.AlarmName ??
    p.QueueName ??
    p.TopicName ??
    p.TableName ??
    p.FunctionName ??
    p.StateMachineName ??
    p.Name;
  return typeof named === 'string' ? named : id;
}

function refValue(template: CfnTemplate, target: DeploymentTarget, id: string): string {
  switch (id) {
    case 'AWS::AccountId':
      return target.account;
    case 'AWS::Region':
      return target.region;
    case 'AWS::Partition':
      return target.partition;
    case 'AWS::URLSuffix':
      return target.partition === 'aws-cn' ? 'amazonaws.com.cn' : 'amazonaws.com';
    case 'AWS::StackName':
      return DEPLOYED_STACK_NAME;
    case 'AWS::StackId':
      return deployedStackId(target);
    case 'AWS::NoValue':
      return '';
  }
  const resource = resourceOf(template, id);
  const name = physicalName(template, id);
  const { account, region } = target;
  switch (resource.Type) {
    case 'AWS::SQS::Queue':
      return `https://sqs.${region}.amazonaws.com/${account}/${name}`;
    case 'AWS::SNS::Topic':
    case 'AWS::StepFunctions::StateMachine':
      return getAttValue(template, target, id, 'Arn');
    case 'AWS::Events::Rule': {
      // On a custom bus a rule's Ref is `<bus>|<rule>`, not its name (AWS::Events::Rule, Return values).
      const bus = resolveIntrinsics(template, target, resource.Properties?.EventBusName);
      return bus && bus !== 'default' ? `${bus}|${name}` : name;
    }
    case 'AWS::EC2::LaunchTemplate':
      // Ref of a launch template is its id (`lt-` and 17 hex digits), which Prescale's config requires.
      return `lt-0${createHash('sha256').update(id).digest('hex').slice(0, 16)}`;
    default:
      return name;
  }
}

function getAttValue(template: CfnTemplate, target: DeploymentTarget, id: string, attribute: string): string {
  const resource = resourceOf(template, id);
  const name = physicalName(template, id);
  const { account, region, partition } = target;
  const arn = (service: string, rest: string) => `arn:${partition}:${service}:${region}:${account}:${rest}`;
  if (attribute === 'QueueName' || attribute === 'Name' || attribute === 'TopicName') return name;
  if (attribute === 'QueueUrl') return refValue(template, target, id);
  if (attribute === 'RoleId' || attribute === 'KeyId') return name;
  if (attribute !== 'Arn' && attribute !== 'TopicArn')
    throw new UnsupportedIntrinsicError('Fn::GetAtt', `${id}.${attribute}`);
  switch (resource.Type) {
    case 'AWS::IAM::Role':
      // A role's ARN carries its path (`role/app/<name>`); its name and Ref do not.
      return `arn:${partition}:iam::${account}:role${rolePath(template, target, id)}${name}`;
    case 'AWS::SQS::Queue':
      return arn('sqs', name);
    case 'AWS::SNS::Topic':
      return arn('sns', name);
    case 'AWS::DynamoDB::Table':
    case 'AWS::DynamoDB::GlobalTable':
      return arn('dynamodb', `table/${name}`);
    case 'AWS::Lambda::Function':
      return arn('lambda', `function:${name}`);
    case 'AWS::StepFunctions::StateMachine':
      return arn('states', `stateMachine:${name}`);
    case 'AWS::KMS::Key':
      return arn('kms', `key/${name}`);
    case 'AWS::Events::EventBus':
      return arn('events', `event-bus/${name}`);
    case 'AWS::Events::Rule': {
      const bus = resolveIntrinsics(template, target, resource.Properties?.EventBusName);
      return arn('events', `rule/${bus && bus !== 'default' ? `${bus}/` : ''}${name}`);
    }
    case 'AWS::Scheduler::ScheduleGroup':
      return arn('scheduler', `schedule-group/${name}`);
    case 'AWS::Scheduler::Schedule': {
      const group = resolveIntrinsics(template, target, resource.Properties?.GroupName) ?? 'default';
      return arn('scheduler', `schedule/${group}/${name}`);
    }
    case 'AWS::Logs::LogGroup':
      return arn('logs', `log-group:${name}:*`);
    case 'AWS::CloudWatch::Alarm':
      return arn('cloudwatch', `alarm:${name}`);
    case 'AWS::SSM::Parameter':
      return arn('ssm', `parameter/${name.replace(/^\//, '')}`);
    case 'AWS::Lambda::LayerVersion':
      return arn('lambda', `layer:${name}:1`);
    case 'AWS::EventSchemas::Registry':
      return arn('schemas', `registry/${name}`);
    default:
      throw new UnsupportedIntrinsicError('Fn::GetAtt', `${id}.Arn of ${resource.Type}`);
  }
}

/** A role's path as its ARN has it: `/` by default, else the template's `Path` (`/app/`). */
function rolePath(template: CfnTemplate, target: DeploymentTarget, id: string): string {
  const path = resolveIntrinsics(template, target, resourceOf(template, id).Properties?.Path);
  return typeof path === 'string' && path.length > 0 ? path : '/';
}
