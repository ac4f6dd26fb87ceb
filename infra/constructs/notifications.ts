import { Annotations, ArnFormat, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';

export interface NotificationsProps {
  /** Subscribed to the topic when given. @default no subscription */
  readonly email?: string;
}

/**
 * The SNS topic Prescale notifies on (rollbacks, alarms), encrypted with a customer-managed key.
 * CloudWatch alarms of this account and region may publish to it and use its key; nothing else
 * outside the account's own identity policies may.
 */
export class Notifications extends Construct {
  readonly topic: sns.Topic;
  readonly key: kms.Key;

  constructor(scope: Construct, id: string, props: NotificationsProps = {}) {
    super(scope, id);
    const stack = Stack.of(this);
    // Deleted with the stack (after the topic, which refers to it), not retained as CDK does by
    // default: only the topic uses it, and a retained key would be billed after every uninstall.
    // KMS keeps it pending deletion for the shortest window it allows.
    this.key = new kms.Key(this, 'Key', {
      description: 'Prescale notifications',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.DESTROY,
      pendingWindow: Duration.days(7),
    });
    this.topic = new sns.Topic(this, 'Topic', {
      displayName: 'Prescale notifications',
      masterKey: this.key,
      enforceSSL: true,
    });
    // `enforceSSL` gives the topic a policy of its own, which replaces SNS's default policy: alarm
    // actions then need an explicit allow. Scoped to this account's alarms (confused deputy):
    // https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/Notify_Users_Alarm_Changes.html
    const cloudWatch = new iam.ServicePrincipal('cloudwatch.amazonaws.com');
    const fromOwnAlarms = {
      StringEquals: { 'aws:SourceAccount': stack.account },
      ArnLike: {
        'aws:SourceArn': stack.formatArn({
          service: 'cloudwatch',
          resource: 'alarm',
          resourceName: '*',
          arnFormat: ArnFormat.COLON_RESOURCE_NAME,
        }),
      },
    };
    this.topic.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AlarmsPublish',
        principals: [cloudWatch],
        actions: ['sns:Publish'],
        resources: [this.topic.topicArn],
        conditions: fromOwnAlarms,
      }),
    );
    // Publishing to an encrypted topic needs the key too. AWS's SNS guide lists CloudWatch's
    // principal for this statement and has it carry aws:SourceAccount and aws:SourceArn against the
    // confused deputy, "not supported for EventBridge-to-encrypted topics" only (no rule targets this one):
    // https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html#compatibility-with-aws-services
    this.key.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AlarmsUseKey',
        principals: [cloudWatch],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
        conditions: fromOwnAlarms,
      }),
    );
    if (props.email) this.topic.addSubscription(new subscriptions.EmailSubscription(props.email));
    // Every alarm and workflow notification goes here: without a subscriber each is published and lost.
    else
      Annotations.of(this).addWarningV2(
        'prescale:notifications:no-subscriber',
        'notifications.email is not set, so the stack subscribes no one to the notification topic: alarms and rolling-update notifications reach no one unless you subscribe to it yourself (output NotificationsTopicArn; docs/OPERATIONS.md, "Alarms and what to do")',
      );
  }
}
