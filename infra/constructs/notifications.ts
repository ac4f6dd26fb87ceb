import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';

export interface NotificationsProps {
  /** Subscribed to the topic when given. @default no subscription */
  readonly email?: string;
}

/** The SNS topic Prescale notifies on (rollbacks, alarms), encrypted with a customer-managed key. */
export class Notifications extends Construct {
  readonly topic: sns.Topic;
  readonly key: kms.Key;

  constructor(scope: Construct, id: string, props: NotificationsProps = {}) {
    super(scope, id);
    this.key = new kms.Key(this, 'Key', {
      description: 'Prescale notifications',
      enableKeyRotation: true,
    });
    this.topic = new sns.Topic(this, 'Topic', {
      displayName: 'Prescale notifications',
      masterKey: this.key,
      enforceSSL: true,
    });
    // CloudWatch alarms publish to encrypted topics only when they may use the key.
    this.key.grantEncryptDecrypt(new iam.ServicePrincipal('cloudwatch.amazonaws.com'));
    if (props.email) this.topic.addSubscription(new subscriptions.EmailSubscription(props.email));
  }
}
