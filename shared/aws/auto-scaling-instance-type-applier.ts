import { type AutoScalingClient, UpdateAutoScalingGroupCommand } from '@aws-sdk/client-auto-scaling';
import { CreateLaunchTemplateVersionCommand, type EC2Client } from '@aws-sdk/client-ec2';
import type { SFNClient } from '@aws-sdk/client-sfn';
import { mixedInstancesPolicy } from '../contracts/mixed-instances-policy';
import { executionNamePart } from '../core/rolling-update/execution-name-part';
import { RejectedRequestError, ResourceNotFoundError } from '../ports/errors';
import type {
  InstanceTypeApplier,
  InstanceTypeOverride,
  RollingUpdateRequest,
  RunningRollingUpdate,
} from '../ports/instance-catalog';
import type { WorkflowStart } from '../ports/workflow-starter';
import { translateAutoScalingError } from './auto-scaling-error-translation';
import { translateEc2Error } from './ec2-error-translation';
import { StepFunctionsRunningExecutions } from './step-functions-running-executions';
import {
  describeExecution,
  executionArnOf,
  StepFunctionsWorkflowStarter,
} from './step-functions-workflow-starter';

/**
 * A Step Functions execution name for a rollout, `instance-type-<group>-<template id>-v<version>`:
 * a template's version numbers are never reused, so the same group, template and version always
 * give the same name (a retried start starts no second rollout: StartExecution returns the
 * execution while it runs, and once it has closed the starter reads it), and another
 * rollout never does (AWS refuses a name used in the last 90 days, even when its execution has
 * closed; the version alone restarts at 2 when a group's template is replaced). Names allow 1–80
 * of `A-Za-z0-9-_`: a group name that is not one, or too long, is cleaned, cut and marked with a
 * digest of it (`executionNamePart`), so two groups never share a name.
 */
export function rollingUpdateExecutionName(
  groupName: string,
  launchTemplateId: string,
  launchTemplateVersion: string,
): string {
  const template = launchTemplateId.replace(/[^A-Za-z0-9-]/g, '').slice(0, 24);
  const suffix = `-${template}-v${launchTemplateVersion.replace(/[^A-Za-z0-9]/g, '').slice(0, 20)}`;
  return `instance-type-${executionNamePart(groupName, 80 - 'instance-type-'.length - suffix.length)}${suffix}`;
}

/**
 * `InstanceTypeApplier` on Auto Scaling (`UpdateAutoScalingGroup` overrides), EC2
 * (`CreateLaunchTemplateVersion`) and Step Functions (`StartExecution` of the rolling-update
 * workflow, when its ARN is given, `DescribeExecution` when its name is taken or a rollout is
 * read, and `ListExecutions` of its running executions).
 */
export class AutoScalingInstanceTypeApplier implements InstanceTypeApplier {
  readonly rollingUpdateAvailable: boolean;
  private readonly running?: StepFunctionsRunningExecutions;

  constructor(
    private readonly clients: {
      readonly autoScaling: AutoScalingClient;
      readonly ec2: EC2Client;
      readonly sfn: SFNClient;
    },
    private readonly rollingUpdateStateMachineArn?: string,
  ) {
    this.rollingUpdateAvailable = Boolean(rollingUpdateStateMachineArn);
    if (rollingUpdateStateMachineArn)
      this.running = new StepFunctionsRunningExecutions(clients.sfn, rollingUpdateStateMachineArn);
  }

  async setMixedInstanceOverrides(
    groupName: string,
    launchTemplate: { readonly id: string; readonly version: string },
    overrides: readonly InstanceTypeOverride[],
    instancesDistribution?: Readonly<Record<string, string | number>>,
  ): Promise<void> {
    try {
      await this.clients.autoScaling.send(
        new UpdateAutoScalingGroupCommand({
          AutoScalingGroupName: groupName,
          MixedInstancesPolicy: mixedInstancesPolicy(launchTemplate, overrides, instancesDistribution),
        }),
      );
    } catch (error) {
      throw translateAutoScalingError(error, 'UpdateAutoScalingGroup', groupName);
    }
  }

  async createLaunchTemplateVersion(
    launchTemplateId: string,
    sourceVersion: number,
    instanceType: string,
    description: string,
    clientToken: string,
  ): Promise<number> {
    try {
      const out = await this.clients.ec2.send(
        new CreateLaunchTemplateVersionCommand({
          // Without one the SDK sends a new UUID per call: only its own retries would be idempotent.
          ClientToken: clientToken,
          LaunchTemplateId: launchTemplateId,
          SourceVersion: String(sourceVersion),
          VersionDescription: description.slice(0, 255),
          LaunchTemplateData: { InstanceType: instanceType as never },
        }),
      );
      const version = out.LaunchTemplateVersion?.VersionNumber;
      if (version === undefined) {
        throw new RejectedRequestError(
          'EC2',
          'CreateLaunchTemplateVersion',
          'the response had no version number',
        );
      }
      return version;
    } catch (error) {
      throw translateEc2Error(error, 'CreateLaunchTemplateVersion', {
        type: 'launch template version',
        id: `${launchTemplateId}:${sourceVersion}`,
      });
    }
  }

  async startRollingUpdate(request: RollingUpdateRequest): Promise<WorkflowStart> {
    const stateMachineArn = this.rollingUpdateStateMachineArn;
    if (!stateMachineArn) {
      throw new RejectedRequestError(
        'Step Functions',
        'StartExecution',
        'no rolling-update state machine is configured',
      );
    }
    // A name taken by a closed execution is ExecutionAlreadyExists: the starter reads that
    // execution (DescribeExecution) to tell this very request, redelivered, from another one.
    return new StepFunctionsWorkflowStarter(this.clients.sfn, stateMachineArn).start(
      rollingUpdateExecutionName(request.groupName, request.launchTemplateId, request.launchTemplateVersion),
      {
        groupName: request.groupName,
        launchTemplateVersion: request.launchTemplateVersion,
        reason: request.reason,
      },
    );
  }

  rolloutExecutionArn(request: RollingUpdateRequest): string {
    const { groupName, launchTemplateId, launchTemplateVersion } = request;
    const name = rollingUpdateExecutionName(groupName, launchTemplateId, launchTemplateVersion);
    return executionArnOf(this.rollingUpdateStateMachineArn ?? '', name);
  }

  async rolloutStatus(executionArn: string): Promise<string> {
    return (await this.rolloutEnding(executionArn)).status;
  }

  async rolloutEnding(executionArn: string): Promise<{ status: string; error?: string; outcome?: string }> {
    // Recorded for another state machine (this one replaced since: outside its grant) or before a
    // start that never came: no rollout of this workflow runs.
    if (!executionArn.startsWith(executionArnOf(this.rollingUpdateStateMachineArn ?? '', '')))
      return { status: 'NOT_STARTED' };
    try {
      const { status, error, output } = await describeExecution(this.clients.sfn, executionArn);
      if (!status) throw new RejectedRequestError('Step Functions', 'DescribeExecution', 'no status');
      const outcome = outcomeStatusOf(output);
      return { status, ...(error ? { error } : {}), ...(outcome ? { outcome } : {}) };
    } catch (error) {
      if (error instanceof ResourceNotFoundError) return { status: 'NOT_STARTED' };
      throw error;
    }
  }

  async runningRollingUpdates(): Promise<readonly RunningRollingUpdate[]> {
    return this.running ? this.running.running() : [];
  }
}

/** The `status` of a rolling update's outcome, its execution's output, if the output has one. */
function outcomeStatusOf(output: string | undefined): string | undefined {
  if (output === undefined) return undefined;
  try {
    const status = (JSON.parse(output) as { status?: unknown } | null)?.status;
    return typeof status === 'string' ? status : undefined;
  } catch {
    return undefined;
  }
}
