import { Duration } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as scheduler from 'aws-cdk-lib/aws-scheduler';
import type * as ssm from 'aws-cdk-lib/aws-ssm';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import type { Construct } from 'constructs';
import { ENV } from '../../../shared/contracts/env';
import { MAINTENANCE_SCAN_INTERVAL_HOURS } from '../../../shared/contracts/maintenance-scan';
import { readKillSwitch } from '../kill-switch-policy';
import { PrescaleFunction } from '../prescale-function';
import { ScheduledFunction } from '../scheduled-function';
import { grantWorkflowStart } from '../workflow-start-grant';

export interface MaintenanceScanProps {
  readonly stateMachine: sfn.StateMachine;
  /** Environment the scan shares with the decision functions. */
  readonly environment: Record<string, string>;
  /** The kill switch: the scan starts nothing while it is on. */
  readonly killSwitch: ssm.IStringParameter;
  /** The group the daily schedule is created in. */
  readonly scheduleGroup: scheduler.IScheduleGroup;
}

/**
 * The daily scan, in `scope`, for EC2 scheduled events on instances of enrolled groups: it starts
 * rolling updates early, ahead of the events (`rollingUpdate.autoStartOnScheduledEvents`).
 */
export function maintenanceScan(scope: Construct, props: MaintenanceScanProps): ScheduledFunction {
  const scan = new PrescaleFunction(scope, 'find-scheduled-maintenance', {
    entry: 'functions/find-scheduled-maintenance/handler.ts',
    description: 'Prescale rolling update: refreshes groups early ahead of EC2 scheduled events',
    environment: {
      ...props.environment,
      [ENV.rollingUpdateStateMachineArn]: props.stateMachine.stateMachineArn,
    },
    timeout: Duration.minutes(2),
  });
  scan.function.addToRolePolicy(
    new iam.PolicyStatement({
      sid: 'DescribeEventsAndGroups',
      // EC2 and Auto Scaling Describe* actions support no resource-level permissions.
      actions: [
        'ec2:DescribeInstanceStatus',
        'ec2:DescribeLaunchTemplateVersions',
        'ec2:DescribeImages',
        'autoscaling:DescribeAutoScalingInstances',
        'autoscaling:DescribeAutoScalingGroups',
        'autoscaling:DescribePolicies',
        'autoscaling:DescribeInstanceRefreshes',
      ],
      resources: ['*'],
    }),
  );
  scan.function.addToRolePolicy(readKillSwitch(props.killSwitch));
  grantWorkflowStart(props.stateMachine, scan.function);
  // A group with a running rolling update gets no other (one waiting for its window holds no
  // lock): listed on the state machine, which ListExecutions is authorized on
  // (https://docs.aws.amazon.com/service-authorization/latest/reference/list_awsstepfunctions.html);
  // each listed execution's input is read with the DescribeExecution granted above.
  scan.function.addToRolePolicy(
    new iam.PolicyStatement({
      sid: 'ListRunningRollingUpdates',
      actions: ['states:ListExecutions'],
      resources: [props.stateMachine.stateMachineArn],
    }),
  );
  return new ScheduledFunction(scope, 'MaintenanceSchedule', {
    function: scan.function,
    scheduleGroup: props.scheduleGroup,
    // The scan's requests leave this interval to the next run (`findScheduledMaintenance`).
    rate: Duration.hours(MAINTENANCE_SCAN_INTERVAL_HOURS),
    description: 'Prescale: daily scan for EC2 scheduled events on enrolled groups',
  });
}
