import { HANDLER_ENTRY_METADATA } from '../../contracts/deployment-metadata';
import {
  type CfnTemplate,
  type DeploymentTarget,
  physicalName,
  resolveIntrinsics,
  TEST_ACCOUNT,
} from './resolve-intrinsics';
import { runtimeSchedules } from './runtime-schedules';

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

/** A service that sends on its own (an alarm, a rule, a schedule, an event source mapping). */
export interface ServiceDelivery {
  /** `cloudwatch.amazonaws.com`, `events.amazonaws.com`, `scheduler.amazonaws.com`, `lambda.amazonaws.com`... */
  readonly servicePrincipal: string;
  /** The alarm, rule, schedule or mapping that sends. */
  readonly sourceArn: string;
  /** Describes the delivery for reports: `alarm LoopErrors → topic`. */
  readonly label: string;
  /** The role the service assumes to send, when it sends with one. */
  readonly roleArn?: string;
  readonly action: string;
  readonly resourceArn: string;
}

const LAMBDA_SERVICE = 'lambda.amazonaws.com';

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
  readonly deliveries: ServiceDelivery[] = [];
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
    this.readDeliveries();
  }

  /** Resolves a template value for this account and region. */
  resolve<T = unknown>(value: unknown): T {
    return resolveIntrinsics(this.template, this.target, value) as T;
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
        this.addResourcePolicy(this.resolve({ 'Fn::GetAtt': [id, 'Arn'] }), p.KeyPolicy);
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

  private readDeliveries(): void {
    this.readRuntimeSchedules();
    for (const [id, resource] of Object.entries(this.template.Resources)) {
      const p = resource.Properties ?? {};
      if (resource.Type === 'AWS::CloudWatch::Alarm') this.readAlarm(id, p);
      if (resource.Type === 'AWS::Events::Rule') this.readRule(id, p);
      if (resource.Type === 'AWS::Scheduler::Schedule') this.readSchedule(id, p);
      if (resource.Type === 'AWS::Lambda::EventInvokeConfig') this.readInvokeConfig(p);
      if (resource.Type === 'AWS::Lambda::EventSourceMapping') {
        const fn = this.functionByName(this.resolve(p.FunctionName));
        if (!fn) continue;
        const source = this.resolve<string>(p.EventSourceArn);
        for (const action of ['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes'])
          this.deliveries.push({
            servicePrincipal: LAMBDA_SERVICE,
            sourceArn: source,
            label: `SQS ${source.split(':').pop()} → ${fn.handler ?? fn.logicalId}`,
            roleArn: fn.roleArn,
            action,
            resourceArn: source,
          });
      }
    }
  }

  /** Lambda sends a failed asynchronous invocation to its on-failure destination with the function's role. */
  private readInvokeConfig(p: Record<string, unknown>): void {
    const fn = this.functionByName(this.resolve(p.FunctionName));
    const config = p.DestinationConfig as
      | { OnFailure?: { Destination?: unknown }; OnSuccess?: { Destination?: unknown } }
      | undefined;
    for (const destination of [config?.OnFailure?.Destination, config?.OnSuccess?.Destination]) {
      if (!fn || !destination) continue;
      const arn = this.resolve<string>(destination);
      const action = arn.includes(':sqs:')
        ? 'sqs:SendMessage'
        : arn.includes(':sns:')
          ? 'sns:Publish'
          : arn.includes(':events:')
            ? 'events:PutEvents'
            : 'lambda:InvokeFunction';
      this.deliveries.push({
        servicePrincipal: LAMBDA_SERVICE,
        sourceArn: fn.arn,
        label: `${fn.handler ?? fn.logicalId} async failure → ${arn.split(':').pop()}`,
        roleArn: fn.roleArn,
        action,
        resourceArn: arn,
      });
    }
  }

  private functionByName(nameOrArn: string): DeployedFunction | undefined {
    return this.functions.find((f) => f.arn === nameOrArn || f.arn.endsWith(`:function:${nameOrArn}`));
  }

  private readAlarm(id: string, p: Record<string, unknown>): void {
    const alarmArn = this.resolve<string>({ 'Fn::GetAtt': [id, 'Arn'] });
    const actions = this.resolve<string[]>([
      ...((p.AlarmActions as unknown[]) ?? []),
      ...((p.OKActions as unknown[]) ?? []),
    ]);
    for (const topicArn of new Set(actions.filter((a) => a.includes(':sns:')))) {
      const label = `alarm ${id} → topic ${topicArn.split(':').pop()}`;
      this.deliveries.push({
        servicePrincipal: 'cloudwatch.amazonaws.com',
        sourceArn: alarmArn,
        label,
        action: 'sns:Publish',
        resourceArn: topicArn,
      });
      const key = this.topicKeys.get(topicArn);
      for (const action of key ? ['kms:GenerateDataKey', 'kms:Decrypt'] : [])
        this.deliveries.push({
          servicePrincipal: 'cloudwatch.amazonaws.com',
          sourceArn: alarmArn,
          label: `${label} (key)`,
          action,
          resourceArn: key as string,
        });
    }
  }

  private readRule(id: string, p: Record<string, unknown>): void {
    const ruleArn = this.resolve<string>({ 'Fn::GetAtt': [id, 'Arn'] });
    for (const target of this.resolve<Record<string, unknown>[]>(p.Targets ?? [])) {
      this.targetDeliveries('events.amazonaws.com', ruleArn, `rule ${id}`, target);
    }
  }

  /**
   * Scheduler assumes a schedule's role for the schedule's group, not the schedule: "The value of
   * `aws:SourceArn` must be your EventBridge Scheduler schedule group ARN … Do not scope the
   * `aws:SourceArn` statement to a specific schedule or a schedule name prefix" (Scheduler user
   * guide, confused deputy prevention).
   */
  private readSchedule(id: string, p: Record<string, unknown>): void {
    const group = this.resolve<string | undefined>(p.GroupName) ?? 'default';
    this.targetDeliveries(
      'scheduler.amazonaws.com',
      this.scheduleGroupArn(group),
      `schedule ${id}`,
      this.resolve(p.Target),
    );
  }

  /** Scheduler invokes the schedules functions create at run time like those of the template. */
  private readRuntimeSchedules(): void {
    for (const { group, creator, target } of runtimeSchedules(this.functions))
      this.targetDeliveries('scheduler.amazonaws.com', this.scheduleGroupArn(group), creator, target);
  }

  private scheduleGroupArn(group: string): string {
    const { partition, region, account } = this.target;
    return `arn:${partition}:scheduler:${region}:${account}:schedule-group/${group}`;
  }

  private targetDeliveries(
    service: string,
    sourceArn: string,
    name: string,
    target: Record<string, unknown>,
  ): void {
    const arn = String(target.Arn);
    const roleArn = target.RoleArn as string | undefined;
    const via = roleArn ? { roleArn } : {};
    const action = arn.includes(':states:')
      ? 'states:StartExecution'
      : arn.includes(':lambda:')
        ? 'lambda:InvokeFunction'
        : arn.includes(':sqs:')
          ? 'sqs:SendMessage'
          : arn.includes(':sns:')
            ? 'sns:Publish'
            : `unknown:${arn}`;
    this.deliveries.push({
      servicePrincipal: service,
      sourceArn,
      label: `${name} → ${arn.split(':').slice(5).join(':')}`,
      ...via,
      action,
      resourceArn: arn,
    });
    const dlq = (target.DeadLetterConfig as { Arn?: string } | undefined)?.Arn;
    // EventBridge and Scheduler send to a target's DLQ as the service itself (the queue policy must allow it)
    // for rules, and with the schedule's role for Scheduler.
    if (dlq)
      this.deliveries.push({
        servicePrincipal: service,
        sourceArn,
        label: `${name} → DLQ ${dlq.split(':').pop()}`,
        ...(service === 'scheduler.amazonaws.com' ? via : {}),
        action: 'sqs:SendMessage',
        resourceArn: dlq,
      });
  }
}
