import type { RemovalPolicy } from 'aws-cdk-lib';
import type * as autoscaling from 'aws-cdk-lib/aws-autoscaling';
import { Construct } from 'constructs';
import { parseConfig } from '../../shared/contracts/parse-config';
import { type UserConfig, type UserConfigInput, userConfigSchema } from '../../shared/contracts/user-config';
import { InstanceTypeSelector } from './instance-type-selector';
import { Notifications } from './notifications';
import { OperationsDashboard } from './operations-dashboard';
import { PrescaleEventBus } from './prescale-event-bus';
import { ScalingLoop } from './scaling-loop';
import { StateTable } from './state-table';

export interface PredictiveScalerProps {
  /** Prescale's configuration (docs/configuration.md). Validated here: a bad value fails synth with its path. */
  readonly config: UserConfigInput;
  /** Groups defined in the same CDK app, enrolled by name in addition to `config.groups`. @default [] */
  readonly groups?: readonly autoscaling.IAutoScalingGroup[];
  /** Where the configuration came from, for error messages. @default 'PredictiveScaler config' */
  readonly configSource?: string;
  /** @default RemovalPolicy.RETAIN for the state table */
  readonly stateRemovalPolicy?: RemovalPolicy;
}

/**
 * Prescale in one construct: drop it into a CDK app beside Auto Scaling groups
 * (`new PredictiveScaler(this, 'Scaler', { groups: [asg], config: { ... } })`).
 */
export class PredictiveScaler extends Construct {
  readonly config: UserConfig;
  readonly stateTable: StateTable;
  readonly scalingLoop: ScalingLoop;
  readonly eventBus: PrescaleEventBus;
  readonly notifications: Notifications;
  readonly operations: OperationsDashboard;
  readonly instanceTypeSelector: InstanceTypeSelector;

  constructor(scope: Construct, id: string, props: PredictiveScalerProps) {
    super(scope, id);
    const extraNames = (props.groups ?? []).map((g) => g.autoScalingGroupName);
    const input = props.config as { groups?: { names?: string[] } };
    const withGroups =
      extraNames.length > 0
        ? {
            ...props.config,
            groups: { ...input.groups, names: [...(input.groups?.names ?? []), ...extraNames] },
          }
        : props.config;
    this.config = parseConfig(userConfigSchema, withGroups, props.configSource ?? 'PredictiveScaler config');

    this.stateTable = new StateTable(this, 'State', {
      ...(props.stateRemovalPolicy ? { removalPolicy: props.stateRemovalPolicy } : {}),
    });
    this.eventBus = new PrescaleEventBus(this, 'Events');
    this.notifications = new Notifications(this, 'Notifications', {
      ...(this.config.notifications.email ? { email: this.config.notifications.email } : {}),
    });
    this.scalingLoop = new ScalingLoop(this, 'ScalingLoop', {
      config: this.config,
      stateTable: this.stateTable.table,
    });
    this.instanceTypeSelector = new InstanceTypeSelector(this, 'InstanceTypes', {
      stateTable: this.stateTable.table,
      config: this.config,
    });
    this.operations = new OperationsDashboard(this, 'Operations', {
      workerLogGroup: this.scalingLoop.worker.logGroup,
      functions: [
        this.scalingLoop.dispatcher.function,
        this.scalingLoop.worker.function,
        this.instanceTypeSelector.function.function,
      ],
      topic: this.notifications.topic,
    });
    this.operations.addDeadLetterQueue('ScalingWork', this.scalingLoop.workDeadLetterQueue);
    this.operations.addDeadLetterQueue('ScalingSchedule', this.scalingLoop.schedule.deadLetterQueue);
    this.operations.addDeadLetterQueue(
      'InstanceTypesSchedule',
      this.instanceTypeSelector.schedule.deadLetterQueue,
    );
    // Capabilities built by other constructs are wired below, one block each.
    // <wire-constructs-here>
  }
}
