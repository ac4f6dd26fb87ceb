import { HANDLER_ENTRY_METADATA } from '../../contracts/deployment-metadata';
import { ENV } from '../../contracts/env';
import {
  type CfnTemplate,
  type DeploymentTarget,
  physicalName,
  resolveIntrinsics,
  TEST_ACCOUNT,
} from './resolve-intrinsics';
import { type ServiceDelivery, serviceDeliveries } from './service-deliveries';

export type { ServiceDelivery } from './service-deliveries';

/** AWS::Lambda::Function's defaults for `Timeout` and `MemorySize` (CloudFormation resource reference). */
const LAMBDA_DEFAULT_TIMEOUT_SECONDS = 3;
const LAMBDA_DEFAULT_MEMORY_MB = 128;

/** An IAM policy document (resolved: every ARN concrete). */
export interface PolicyDocument {
  readonly Version?: string;
  readonly Statement: readonly Record<string, unknown>[];
}

/** A deployed role: its trust policy and every identity policy attached to it in the template. */
export interface DeployedRole {
  readonly logicalId: string;
  readonly arn: string;
  readonly trustPolicy: PolicyDocument;
  readonly identityPolicies: readonly { readonly name: string; readonly policy: PolicyDocument }[];
  /** Managed policy ARNs attached (their content is not in the template). */
  readonly managedPolicyArns: readonly string[];
}

/** A deployed Lambda function and the handler it runs (`functions/<name>/handler.ts` → `<name>`). */
export interface DeployedFunction {
  readonly logicalId: string;
  readonly handler: string | undefined;
  readonly arn: string;
  readonly roleArn: string;
  readonly environment: Readonly<Record<string, string>>;
  /** Its `Timeout` (CloudFormation's default, 3 s, where the template sets none). */
  readonly timeoutSeconds: number;
  /** Its `MemorySize` (CloudFormation's default, 128 MB, where the template sets none). */
  readonly memoryMB: number;
}

/**
 * What a synthesized template deploys, as the IAM checks need it: roles with their policies,
 * functions with their handlers, resource policies by resource ARN, the state machine, and the
 * deliveries services make on their own. All ARNs are concrete for `target`.
 */
export class DeployedAccount {
  readonly target: DeploymentTarget;
  readonly roles = new Map<string, DeployedRole>();
  readonly functions: DeployedFunction[] = [];
  /** Resource-based policies (topic, queue, key, Lambda permissions) by the resource's ARN. */
  readonly resourcePolicies = new Map<string, PolicyDocument>();
  /** KMS key ARN of each encrypted SNS topic, by topic ARN. */
  readonly topicKeys = new Map<string, string>();
  /** The template's SNS topics, by ARN. */
  readonly topicArns = new Set<string>();
  /** Queue ARN by queue URL. */
  readonly queueArns = new Map<string, string>();
  readonly stateMachines: { readonly arn: string; readonly roleArn: string; readonly definition: string }[] =
    [];
  /** What services send on their own (alarms, rules, schedules, mappings, async failures). */
  readonly deliveries: readonly ServiceDelivery[];
  /** Table ARN by table name. */
  readonly tables = new Map<string, string>();

  constructor(
    readonly template: CfnTemplate,
    target: Partial<DeploymentTarget> & { readonly region: string },
  ) {
    this.target = { account: TEST_ACCOUNT, partition: 'aws', ...target };
    for (const [id, resource] of Object.entries(template.Resources)) this.read(id, resource.Type);
    for (const [id, resource] of Object.entries(template.Resources))
      if (resource.Type === 'AWS::IAM::Policy' || resource.Type === 'AWS::IAM::ManagedPolicy')
        this.attachPolicy(id);
    this.deliveries = serviceDeliveries(this);
  }

  /** Resolves a template value for this account and region. */
  resolve<T = unknown>(value: unknown): T {
    return resolveIntrinsics(this.template, this.target, value) as T;
  }

  /**
   * The deployment's name (its stack's), as its functions' environment says it; a template without
   * it (a test's single function) is the stack the intrinsics resolve `AWS::StackName` to.
   */
  deploymentName(): string {
    return (
      this.functions.find((f) => f.environment[ENV.deployment])?.environment[ENV.deployment] ?? 'Prescale'
    );
  }

  /** The function that runs `functions/<handler>/handler.ts`. @throws Error naming the handler when absent. */
  functionFor(handler: string): DeployedFunction {
    const found = this.functions.find((f) => f.handler === handler);
    if (!found)
      throw new Error(
        `no Lambda function in the template runs functions/${handler}/handler.ts (deployed: ${this.functions.map((f) => f.handler).join(', ')})`,
      );
    return found;
  }

  /** The role with this ARN. @throws Error when the template has no such role. */
  role(arn: string): DeployedRole {
    const role = this.roles.get(arn);
    if (!role) throw new Error(`no role ${arn} in the template`);
    return role;
  }

  private props(id: string): Record<string, unknown> {
    return this.template.Resources[id]?.Properties ?? {};
  }

  private read(id: string, type: string): void {
    const p = this.props(id);
    switch (type) {
      case 'AWS::IAM::Role':
        this.readRole(id, p);
        return;
      case 'AWS::Lambda::Function':
        this.readFunction(id, p);
        return;
      case 'AWS::SNS::TopicPolicy':
        for (const topic of this.resolve<string[]>(p.Topics)) this.addResourcePolicy(topic, p.PolicyDocument);
        return;
      case 'AWS::SQS::QueuePolicy':
        for (const url of this.resolve<string[]>(p.Queues))
          this.addResourcePolicy(this.queueArnFromUrl(url), p.PolicyDocument);
        return;
      case 'AWS::SQS::Queue':
        this.queueArns.set(this.resolve({ Ref: id }), this.resolve({ 'Fn::GetAtt': [id, 'Arn'] }));
        return;
      case 'AWS::KMS::Key':
        this.addResourcePolicy(
          this.resolve({ 'Fn::GetAtt': [id, 'Arn'] }),
          p.KeyPolicy ?? this.defaultKeyPolicy(),
        );
        return;
      case 'AWS::SNS::Topic':
        this.topicArns.add(this.resolve({ Ref: id }));
        if (p.KmsMasterKeyId)
          this.topicKeys.set(this.resolve({ Ref: id }), this.keyArn(this.resolve(p.KmsMasterKeyId)));
        return;
      case 'AWS::DynamoDB::Table':
      case 'AWS::DynamoDB::GlobalTable':
        this.tables.set(physicalName(this.template, id), this.resolve({ 'Fn::GetAtt': [id, 'Arn'] }));
        return;
      case 'AWS::Lambda::Permission':
        this.addLambdaPermission(p);
        return;
      case 'AWS::StepFunctions::StateMachine':
        this.stateMachines.push({
          arn: this.resolve({ Ref: id }),
          roleArn: this.resolve(p.RoleArn),
          definition: this.resolve(p.DefinitionString ?? JSON.stringify(p.Definition)),
        });
        return;
    }
  }

  private readRole(id: string, p: Record<string, unknown>): void {
    const arn = this.resolve<string>({ 'Fn::GetAtt': [id, 'Arn'] });
    const inline = ((p.Policies ?? []) as { PolicyName: string; PolicyDocument: unknown }[]).map((x) => ({
      name: x.PolicyName,
      policy: this.resolve<PolicyDocument>(x.PolicyDocument),
    }));
    this.roles.set(arn, {
      logicalId: id,
      arn,
      trustPolicy: this.resolve<PolicyDocument>(p.AssumeRolePolicyDocument),
      identityPolicies: inline,
      managedPolicyArns: this.resolve<string[]>(p.ManagedPolicyArns ?? []),
    });
  }

  private readFunction(id: string, p: Record<string, unknown>): void {
    const entry = this.template.Resources[id]?.Metadata?.[HANDLER_ENTRY_METADATA];
    const handler = typeof entry === 'string' ? /^functions\/([a-z0-9-]+)\//.exec(entry)?.[1] : undefined;
    this.functions.push({
      logicalId: id,
      handler,
      arn: this.resolve({ 'Fn::GetAtt': [id, 'Arn'] }),
      roleArn: this.resolve(p.Role),
      environment: this.resolve((p.Environment as { Variables?: unknown } | undefined)?.Variables ?? {}),
      timeoutSeconds: Number(this.resolve(p.Timeout ?? LAMBDA_DEFAULT_TIMEOUT_SECONDS)),
      memoryMB: Number(this.resolve(p.MemorySize ?? LAMBDA_DEFAULT_MEMORY_MB)),
    });
  }

  /**
   * The policy KMS gives a key created without one (KMS developer guide, *Default key policy*):
   * the account's root principal may use it, so the account's IAM policies decide who can.
   */
  private defaultKeyPolicy(): object {
    const { partition, account } = this.target;
    return {
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'Enable IAM User Permissions',
          Effect: 'Allow',
          Principal: { AWS: `arn:${partition}:iam::${account}:root` },
          Action: 'kms:*',
          Resource: '*',
        },
      ],
    };
  }

  private keyArn(keyIdOrArn: string): string {
    if (keyIdOrArn.startsWith('arn:')) return keyIdOrArn;
    const { partition, region, account } = this.target;
    return `arn:${partition}:kms:${region}:${account}:key/${keyIdOrArn}`;
  }

  private queueArnFromUrl(url: string): string {
    const [, , host, account, name] = url.split('/');
    const region = host?.split('.')[1];
    return `arn:${this.target.partition}:sqs:${region}:${account}:${name}`;
  }

  private addResourcePolicy(arn: string, document: unknown): void {
    const policy = this.resolve<PolicyDocument>(document);
    const known = this.resourcePolicies.get(arn);
    this.resourcePolicies.set(arn, {
      Version: '2012-10-17',
      Statement: [...(known?.Statement ?? []), ...policy.Statement],
    });
  }

  private addLambdaPermission(p: Record<string, unknown>): void {
    const functionArn = this.resolve<string>(p.FunctionName);
    const principal = this.resolve<string>(p.Principal);
    const condition: Record<string, Record<string, string>> = {};
    if (p.SourceArn) condition.ArnLike = { 'aws:SourceArn': this.resolve(p.SourceArn) };
    if (p.SourceAccount) condition.StringEquals = { 'aws:SourceAccount': this.resolve(p.SourceAccount) };
    this.addResourcePolicy(functionArn, {
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Principal: principal.includes('.amazonaws.com') ? { Service: principal } : { AWS: principal },
          Action: this.resolve(p.Action),
          Resource: functionArn,
          ...(Object.keys(condition).length > 0 ? { Condition: condition } : {}),
        },
      ],
    });
  }

  private attachPolicy(id: string): void {
    const p = this.props(id);
    const policy = this.resolve<PolicyDocument>(p.PolicyDocument);
    for (const roleName of this.resolve<string[]>(p.Roles ?? [])) {
      const role = [...this.roles.values()].find(
        (r) => physicalName(this.template, r.logicalId) === roleName,
      );
      if (!role) continue;
      this.roles.set(role.arn, {
        ...role,
        identityPolicies: [...role.identityPolicies, { name: String(p.PolicyName ?? id), policy }],
      });
    }
  }
}
