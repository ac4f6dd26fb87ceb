import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import type { UserConfigInput } from '../../shared/contracts/user-config';
import { PredictiveScaler } from '../constructs/predictive-scaler';

export interface PrescaleStackProps extends StackProps {
  readonly config: UserConfigInput;
  /** Where the configuration came from, for error messages. */
  readonly configSource: string;
}

/** The standalone deployment: Prescale for groups that live outside this CDK app. */
export class PrescaleStack extends Stack {
  readonly scaler: PredictiveScaler;

  constructor(scope: Construct, id: string, props: PrescaleStackProps) {
    super(scope, id, props);
    this.scaler = new PredictiveScaler(this, 'Prescale', {
      config: props.config,
      configSource: props.configSource,
    });
    // The bus's name is generated; operators and their tools need it for every put-events call.
    new CfnOutput(this, 'EventBusName', {
      value: this.scaler.eventBus.bus.eventBusName,
      description: "EventBusName for Prescale's campaign and rolling-update requests (aws events put-events)",
    });
    // Where every alarm notifies: subscribe a pager, chat or email beyond notifications.email here.
    new CfnOutput(this, 'NotificationsTopicArn', {
      value: this.scaler.notifications.topic.topicArn,
      description:
        "Prescale's notification topic (alarms, rolling updates): subscribe to it (aws sns subscribe)",
    });
  }
}
