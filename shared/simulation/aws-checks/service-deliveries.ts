import type { CfnTemplate, DeploymentTarget } from './resolve-intrinsics';
import { runtimeSchedules } from './runtime-schedules';

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

/** A deployed function as the deliveries need it: what it runs, its ARN, role and environment. */
interface SendingFunction {
  readonly logicalId: string;
  readonly handler: string | undefined;
  readonly arn: string;
  readonly roleArn: string;
  readonly environment: Readonly<Record<string, string>>;
}

/** What reading the deliveries needs of a deployed account (`DeployedAccount` is one). */
export interface DeliverySources {
  readonly template: CfnTemplate;
  readonly target: DeploymentTarget;
  readonly functions: readonly SendingFunction[];
  /** KMS key ARN of each encrypted SNS topic, by topic ARN. */
  readonly topicKeys: ReadonlyMap<string, string>;
  resolve<T = unknown>(value: unknown): T;
}

const LAMBDA_SERVICE = 'lambda.amazonaws.com';

/** The deliveries services make on their own in `account`: alarms, rules, schedules, mappings, async failures. */
export function serviceDeliveries(account: DeliverySources): ServiceDelivery[] {
  return new ServiceDeliveryReader(account).read();
}

/**
 * Reads each resource that makes a service send on its own behalf (or with a role it assumes) into
 * the deliveries the IAM checks authorize: who sends, from which source ARN, which action on what.
 */
class ServiceDeliveryReader {
  private readonly deliveries: ServiceDelivery[] = [];

  constructor(private readonly account: DeliverySources) {}

  read(): ServiceDelivery[] {
    this.readRuntimeSchedules();
    for (const [id, resource] of Object.entries(this.account.template.Resources)) {
      const p = resource.Properties ?? {};
      if (resource.Type === 'AWS::CloudWatch::Alarm') this.readAlarm(id, p);
      if (resource.Type === 'AWS::Events::Rule') this.readRule(id, p);
      if (resource.Type === 'AWS::Scheduler::Schedule') this.readSchedule(id, p);
      if (resource.Type === 'AWS::Lambda::EventInvokeConfig') this.readInvokeConfig(p);
      if (resource.Type === 'AWS::Lambda::EventSourceMapping') {
        const fn = this.functionByName(this.account.resolve(p.FunctionName));
        if (!fn) continue;
        const source = this.account.resolve<string>(p.EventSourceArn);
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
    return this.deliveries;
  }

  /** Lambda sends a failed asynchronous invocation to its on-failure destination with the function's role. */
  private readInvokeConfig(p: Record<string, unknown>): void {
    const fn = this.functionByName(this.account.resolve(p.FunctionName));
    const config = p.DestinationConfig as
      | { OnFailure?: { Destination?: unknown }; OnSuccess?: { Destination?: unknown } }
      | undefined;
    for (const destination of [config?.OnFailure?.Destination, config?.OnSuccess?.Destination]) {
      if (!fn || !destination) continue;
      const arn = this.account.resolve<string>(destination);
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

  private functionByName(nameOrArn: string): SendingFunction | undefined {
    return this.account.functions.find(
      (f) => f.arn === nameOrArn || f.arn.endsWith(`:function:${nameOrArn}`),
    );
  }

  private readAlarm(id: string, p: Record<string, unknown>): void {
    const alarmArn = this.account.resolve<string>({ 'Fn::GetAtt': [id, 'Arn'] });
    const actions = this.account.resolve<string[]>([
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
      const key = this.account.topicKeys.get(topicArn);
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
    const ruleArn = this.account.resolve<string>({ 'Fn::GetAtt': [id, 'Arn'] });
    for (const target of this.account.resolve<Record<string, unknown>[]>(p.Targets ?? [])) {
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
    const group = this.account.resolve<string | undefined>(p.GroupName) ?? 'default';
    this.targetDeliveries(
      'scheduler.amazonaws.com',
      this.scheduleGroupArn(group),
      `schedule ${id}`,
      this.account.resolve(p.Target),
    );
  }

  /** Scheduler invokes the schedules functions create at run time like those of the template. */
  private readRuntimeSchedules(): void {
    for (const { group, creator, target } of runtimeSchedules(this.account.functions))
      this.targetDeliveries('scheduler.amazonaws.com', this.scheduleGroupArn(group), creator, target);
  }

  private scheduleGroupArn(group: string): string {
    const { partition, region, account } = this.account.target;
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
