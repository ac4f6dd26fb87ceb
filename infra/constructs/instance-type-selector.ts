import * as path from 'node:path';
import { Annotations, Duration, Token } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as scheduler from 'aws-cdk-lib/aws-scheduler';
import type * as ssm from 'aws-cdk-lib/aws-ssm';
import { Construct } from 'constructs';
import { ENV } from '../../shared/contracts/env';
import { SELECTOR_TIMEOUT_SECONDS } from '../../shared/contracts/function-timeouts';
import type { UserConfig } from '../../shared/contracts/user-config';
import { configEnvironment } from './config-environment';
import { acknowledgeEnrolledGroupWildcards, enrolledGroupsStatements } from './enrolled-groups-policy';
import { readKillSwitch } from './kill-switch-policy';
import {
  acknowledgeLaunchWildcards,
  launchStatements,
  launchTemplateVersionStatements,
} from './launch-permissions-policy';
import { PrescaleFunction } from './prescale-function';
import { ScheduledFunction } from './scheduled-function';
import { grantTakenExecutionRead } from './workflow-start-grant';

/** The directory of the `highs` package's WebAssembly binary. */
const HIGHS_BUILD_DIRECTORY = path.dirname(require.resolve('highs'));

export interface InstanceTypeSelectorProps {
  /** Prescale's state table: the price cache, run records (forecast peak) and group locks. */
  readonly stateTable: dynamodb.ITableV2;
  /** The validated user configuration (its `pricing` block drives selection and permissions). */
  readonly config: UserConfig;
  /**
   * The rolling-update workflow that rolls a single-type group onto a new launch template version.
   * @default none — single-type groups get recommendations only; mixed groups can still be applied
   */
  readonly rollingUpdateStateMachineArn?: string;
  /** The deployment-wide kill switch: with `pricing.apply`, nothing is applied while it is on. */
  readonly killSwitch: ssm.IStringParameter;
  /** Prescale's group for its recurring schedules. */
  readonly scheduleGroup: scheduler.IScheduleGroup;
}

/**
 * Chooses the cheapest instance types for enrolled groups once a day (and on demand), from the AWS
 * Pricing API with a DynamoDB cache and a static fallback, and applies them when `pricing.apply`
 * is set. Mutating permissions are granted only then, and only on enrolled groups (the configured
 * tag or names), their launch templates and instance roles (`launchPermissions`).
 */
export class InstanceTypeSelector extends Construct {
  readonly function: PrescaleFunction;
  readonly schedule: ScheduledFunction;

  constructor(scope: Construct, id: string, props: InstanceTypeSelectorProps) {
    super(scope, id);
    const { config, rollingUpdateStateMachineArn: stateMachineArn } = props;
    checkStateMachineArn(id, stateMachineArn);
    // The Pricing API endpoint (PRESCALE_PRICING_REGION) is left to the handler, which picks the
    // one nearest AWS_REGION; environment-agnostic stacks do not know their region at synth.
    const environment: Record<string, string> = {
      [ENV.config]: configEnvironment(config),
      [ENV.stateTableName]: props.stateTable.tableName,
      ...(stateMachineArn ? { [ENV.rollingUpdateStateMachineArn]: stateMachineArn } : {}),
      ...(config.pricing.apply ? { [ENV.killSwitchParameterName]: props.killSwitch.parameterName } : {}),
    };
    this.function = new PrescaleFunction(this, 'Function', {
      entry: 'functions/select-instance-types/handler.ts',
      description: 'Prescale: cheapest instance types per group from the AWS Pricing API',
      environment,
      // Pricing API pagination (~10 pages), DescribeInstanceTypes and one solve per group; the
      // handler starts no group in the last minute and names those it did not reach.
      timeout: Duration.seconds(SELECTOR_TIMEOUT_SECONDS),
      memorySize: 1024,
    });
    const fn = this.function.function;

    // esbuild bundles highs' loader but not its .wasm file; the layer puts it at /opt/highs.wasm.
    fn.addLayers(
      new lambda.LayerVersion(this, 'HighsWasm', {
        code: lambda.Code.fromAsset(HIGHS_BUILD_DIRECTORY, { exclude: ['*', '!highs.wasm'] }),
        compatibleArchitectures: [lambda.Architecture.ARM_64, lambda.Architecture.X86_64],
        description: 'HiGHS WebAssembly binary for the instance mix solver',
      }),
    );

    this.schedule = new ScheduledFunction(this, 'Daily', {
      function: fn,
      scheduleGroup: props.scheduleGroup,
      rate: Duration.days(1),
      // The run's identity: a retried or duplicate delivery creates no second version (handler).
      input: { scheduledTime: '<aws.scheduler.scheduled-time>' },
      description: 'Prescale: daily instance type selection',
    });

    this.grantReading(props.stateTable, props.config);
    if (config.pricing.apply) this.grantApplying(config, stateMachineArn, props.killSwitch);
  }

  /** What every selection reads: its table items, the price list, instance types and groups. */
  private grantReading(stateTable: dynamodb.ITableV2, config: UserConfig): void {
    const fn = this.function.function;
    // Only the item calls the selector makes (its price cache and lock reads, its run records):
    // grantReadWriteData would add scans, batch writes, deletes and stream reads it never needs.
    stateTable.grant(fn, 'dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:PutItem');
    fn.addToRolePolicy(
      new iam.PolicyStatement({
        sid: 'ReadPriceList',
        actions: ['pricing:GetProducts'],
        // The Price List Query API supports no resource-level permissions: `*` is the only resource.
        // https://docs.aws.amazon.com/service-authorization/latest/reference/list_awspricelist.html
        resources: ['*'],
      }),
    );
    fn.addToRolePolicy(
      new iam.PolicyStatement({
        sid: 'DescribeInstancesAndGroups',
        actions: [
          'ec2:DescribeInstanceTypes',
          'ec2:DescribeInstanceTypeOfferings',
          'ec2:DescribeLaunchTemplateVersions',
          'ec2:DescribeImages',
          // Spot prices are read only when the configuration asks for them.
          ...(config.pricing.includeSpot ? ['ec2:DescribeSpotPriceHistory'] : []),
          'autoscaling:DescribeAutoScalingGroups',
          'autoscaling:DescribeInstanceRefreshes',
          'autoscaling:DescribePolicies',
        ],
        // EC2 and Auto Scaling Describe* actions support no resource-level permissions.
        resources: ['*'],
      }),
    );
  }

  /** `pricing.apply`: changes on enrolled groups, their launch templates and the rollout only. */
  private grantApplying(
    config: UserConfig,
    stateMachineArn: string | undefined,
    killSwitch: ssm.IStringParameter,
  ): void {
    const fn = this.function.function;
    // Read before applying anything.
    fn.addToRolePolicy(readKillSwitch(killSwitch));
    // Mixed groups: new overrides (UpdateAutoScalingGroup); single-type groups: a new launch
    // template version, rolled out by the workflow. Both only on enrolled groups and their templates.
    for (const statement of enrolledGroupsStatements(this, config.groups, [
      'autoscaling:UpdateAutoScalingGroup',
    ])) {
      fn.addToRolePolicy(statement);
    }
    for (const statement of launchTemplateVersionStatements(this, config)) fn.addToRolePolicy(statement);
    // UpdateAutoScalingGroup with a launch template: Auto Scaling checks the caller may launch from it.
    for (const statement of launchStatements(this, config)) fn.addToRolePolicy(statement);
    acknowledgeEnrolledGroupWildcards(this.function.role, config.groups);
    acknowledgeLaunchWildcards(this.function.role, config);
    if (stateMachineArn) {
      fn.addToRolePolicy(
        new iam.PolicyStatement({
          sid: 'StartRollingUpdate',
          actions: ['states:StartExecution'],
          resources: [stateMachineArn],
        }),
      );
      // Any running rolling update holds its group, whoever started it (one may wait days for its
      // window before it locks the group): listed on the state machine, which ListExecutions is
      // authorized on (https://docs.aws.amazon.com/service-authorization/latest/reference/list_awsstepfunctions.html).
      fn.addToRolePolicy(
        new iam.PolicyStatement({
          sid: 'ListRunningRollingUpdates',
          actions: ['states:ListExecutions'],
          resources: [stateMachineArn],
        }),
      );
      // A redelivered run's rollout name is taken once its execution has closed: read to tell. A
      // running execution's input names its group, and an earlier run's recorded rollout its status.
      grantTakenExecutionRead(fn, stateMachineArn, 'ReadTakenRolloutName');
    } else {
      Annotations.of(this).addWarningV2(
        'prescale:instance-type-selector:no-rolling-update',
        'pricing.apply is set but no rollingUpdateStateMachineArn was given: single-type groups get recommendations only',
      );
    }
  }
}

/**
 * A state machine's name as CreateStateMachine takes it: 1–80 characters, none of whitespace,
 * brackets `< > { } [ ]`, wildcards `? *`, the characters `" # % \ ^ | ~ $ & , ; : /` and the
 * backtick, or control characters; `.`, `+`, `=`, `@` and the rest are a name's.
 * https://docs.aws.amazon.com/step-functions/latest/apireference/API_CreateStateMachine.html
 */
const STATE_MACHINE_NAME = /^[^\s<>{}[\]?*"#%\\^|~`$&,;:/\p{Cc}]{1,80}$/u;

function checkStateMachineArn(id: string, stateMachineArn: string | undefined): void {
  if (stateMachineArn === undefined || Token.isUnresolved(stateMachineArn)) return;
  const name = /^arn:aws[a-z-]*:states:[a-z0-9-]+:\d{12}:stateMachine:(.*)$/s.exec(stateMachineArn)?.[1];
  if (name === undefined || !STATE_MACHINE_NAME.test(name)) {
    throw new Error(
      `InstanceTypeSelector ${id}: rollingUpdateStateMachineArn must be a state machine ARN, got ${stateMachineArn}`,
    );
  }
}
