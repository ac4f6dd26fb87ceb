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
    // CloudFormation names the state machines; the docs start executions with these ARNs.
    new CfnOutput(this, 'RollingUpdateStateMachineArn', {
      value: this.scaler.rollingUpdates.stateMachine.stateMachineArn,
      description: "Prescale's rolling-update state machine (aws stepfunctions start-execution)",
    });
    new CfnOutput(this, 'UpdatePlanStateMachineArn', {
      value: this.scaler.updatePlans.stateMachine.stateMachineArn,
      description: "Prescale's update-plan state machine (aws stepfunctions start-execution)",
    });
    // The loop's schedule is in the deployment's own group: every aws scheduler call on it needs
    // --group-name, or Scheduler looks in the default group (docs/OPERATIONS.md).
    new CfnOutput(this, 'RecurringScheduleGroupName', {
      value: this.scaler.recurringSchedules.scheduleGroupName,
      description:
        'Schedule group of the scaling loop, instance-type and maintenance schedules (aws scheduler --group-name)',
    });
    new CfnOutput(this, 'ScalingLoopScheduleName', {
      value: this.scaler.scalingLoop.schedule.schedule.scheduleName,
      description: "The scaling loop's schedule (aws scheduler get-schedule / update-schedule --name)",
    });
    new CfnOutput(this, 'KillSwitchParameterName', {
      value: this.scaler.scalingLoop.killSwitch.parameterName,
      description:
        'Kill switch: "paused" stops every change, "running" resumes; a deploy that updates it writes "running" back',
    });
  }
}
