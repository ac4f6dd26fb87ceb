import * as path from 'node:path';
import { ArnFormat, Duration, Stack, Validations } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type * as sns from 'aws-cdk-lib/aws-sns';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { ENV } from '../../shared/contracts/env';
import type { UserConfig } from '../../shared/contracts/user-config';
import { configEnvironment } from './config-environment';
import { loadHistoryStatements } from './load-history-policy';
import { nagArn } from './nag-arn';
import { PrescaleFunction } from './prescale-function';
import { acknowledgeLambdaInvokeWildcards } from './rolling-update/workflow-state-machine';
import { stateMachineLogGroup } from './state-machine-log-group';
import { type UpdatePlanFunctions, updatePlanDefinition } from './update-plan-definition';
import { UpdatePlanRequests } from './update-plan-requests';

/** The directory of the `highs` package's WebAssembly binary. */
const HIGHS_BUILD_DIRECTORY = path.dirname(require.resolve('highs'));

export interface UpdatePlanWorkflowProps {
  /** The validated user configuration (`dependencies`, `rollingUpdate.planMaxConcurrentUpdates`). */
  readonly config: UserConfig;
  /** Prescale's state table: plan locks (`GROUP#<name>` / `PLAN`), plan records, group locks. */
  readonly stateTable: dynamodb.ITableV2;
  /** The single-group rolling-update workflow each group runs as a child execution. */
  readonly rollingUpdateStateMachine: sfn.IStateMachine;
  /** Prescale's bus: `Rolling Update Plan Requested` / `… Cancel Requested` (source `prescale`). */
  readonly eventBus: events.IEventBus;
  /** Where undone plans are announced. */
  readonly topic: sns.ITopic;
  /** The topic's customer-managed key, when it has one (publishing needs it). @default none */
  readonly topicKey?: kms.IKey;
}

/**
 * The update-plan workflow: updates several dependent groups in the slots the dependency-aware
 * planner chose. A Lambda reads the groups' campaigns, another computes the plan with them (with
 * every rejected alternative, no slot over a sale its headroom cannot carry), another takes the
 * plan lock of every member group (all or none), then a Standard state machine runs it slot by
 * slot — wait for the slot, run its groups as child rolling-update executions
 * (`startExecution.sync:2`, a Map with bounded concurrency), continue only when all succeeded.
 * A failed or deferred group, a task error or a cancel undoes the groups already updated, in
 * reverse dependency order, each through a child rolling update back to its previous version;
 * then every plan lock is released, operators are notified and the execution fails with the
 * reason and what was undone. See docs/rolling-updates.md.
 */
export class UpdatePlanWorkflow extends Construct {
  readonly stateMachine: sfn.StateMachine;
  readonly logGroup: logs.LogGroup;
  /** Decision Lambdas, by handler folder name. */
  readonly functions: Readonly<Record<string, PrescaleFunction>>;
  /** Starts the workflow for `Rolling Update Plan Requested` events with a named execution. */
  readonly requester: PrescaleFunction;
  /** Records `Rolling Update Plan Cancel Requested` on the plan's record. */
  readonly canceller: PrescaleFunction;
  /** Where plan and cancel events that could not be handled are kept. */
  readonly requestDeadLetterQueue: sqs.Queue;
  /** The plan and cancel rules on the bus, whose targets' dead-letter queue is `requestDeadLetterQueue`. */
  readonly requestRules: UpdatePlanRequests['rules'];

  constructor(scope: Construct, id: string, props: UpdatePlanWorkflowProps) {
    super(scope, id);
    const { config } = props;
    const environment = {
      [ENV.config]: configEnvironment(config),
      [ENV.stateTableName]: props.stateTable.tableName,
    };
    const functions = planFunctions(this, config, props.stateTable, environment);
    this.functions = functions;
    const definition = updatePlanDefinition(this, {
      stateTable: props.stateTable,
      rollingUpdateStateMachine: props.rollingUpdateStateMachine,
      topic: props.topic,
      maxConcurrentUpdates: config.rollingUpdate.planMaxConcurrentUpdates,
      functions,
    });
    const machine = planStateMachine(this, definition, props, Object.values(functions));
    this.stateMachine = machine.stateMachine;
    this.logGroup = machine.logGroup;

    // ---- EventBridge: request and cancel ----------------------------------------------------------
    const requests = new UpdatePlanRequests(this, 'Requests', {
      stateMachine: this.stateMachine,
      stateTable: props.stateTable,
      eventBus: props.eventBus,
      environment,
    });
    this.requester = requests.requester;
    this.canceller = requests.canceller;
    this.requestDeadLetterQueue = requests.deadLetterQueue;
    this.requestRules = requests.rules;
  }
}

/** The plan's decision Lambdas, created in `scope`, each allowed only what its handler calls. */
function planFunctions(
  scope: Construct,
  config: UserConfig,
  stateTable: dynamodb.ITableV2,
  environment: Record<string, string>,
): UpdatePlanFunctions {
  const fn = (name: string, description: string) => planFunction(scope, environment, name, description);
  const compute = computePlanFunction(scope, config, environment);
  const calendar = fn('read-plan-calendar', 'reads the campaign calendar of the plan groups');
  // What DynamoDbCampaignCalendar calls: the group's window pointers, then their campaigns.
  stateTable.grant(calendar.function, 'dynamodb:Query', 'dynamodb:BatchGetItem');
  // With X-Ray on: what DynamoDbDiscoveredDependencyStore's getDiscovery calls, one item.
  const discovery = config.dependencies.xray?.enabled
    ? fn('read-plan-discovery', "reads the stored X-Ray discovery's edges among the plan groups")
    : undefined;
  if (discovery) stateTable.grant(discovery.function, 'dynamodb:GetItem');
  const lock = fn('lock-update-plan', 'takes the plan lock of every member group');
  // Exactly what the adapters call: conditional puts, reads, deletes of lock items.
  stateTable.grant(lock.function, 'dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:DeleteItem');
  const release = fn('release-update-plan', 'releases the plan locks');
  stateTable.grant(release.function, 'dynamodb:DeleteItem');
  const advance = fn('advance-update-plan', 'decides the next step of a plan');
  stateTable.grant(advance.function, 'dynamodb:GetItem');
  return {
    'read-plan-calendar': calendar,
    'compute-update-plan': compute,
    'lock-update-plan': lock,
    'release-update-plan': release,
    'advance-update-plan': advance,
    ...(discovery ? { 'read-plan-discovery': discovery } : {}),
  };
}

/** One of the plan's Lambdas, `functions/<name>/handler.ts`. */
function planFunction(
  scope: Construct,
  environment: Record<string, string>,
  name: string,
  description: string,
  timeout = Duration.seconds(60),
  memorySize?: number,
): PrescaleFunction {
  return new PrescaleFunction(scope, name, {
    entry: `functions/${name}/handler.ts`,
    description: `Prescale update plan: ${description}`,
    environment,
    timeout,
    ...(memorySize ? { memorySize } : {}),
  });
}

/**
 * The planner: reads the groups and their load history, solves with HiGHS from its layer. The
 * state table (the campaign calendar, the discovery) is read for it before it runs.
 */
function computePlanFunction(
  scope: Construct,
  config: UserConfig,
  environment: Record<string, string>,
): PrescaleFunction {
  const compute = planFunction(
    scope,
    environment,
    'compute-update-plan',
    'forecasts the groups and solves the plan',
    Duration.minutes(2),
    1024,
  );
  compute.function.addToRolePolicy(
    new iam.PolicyStatement({
      sid: 'DescribeGroups',
      // Auto Scaling and EC2 Describe* actions support no resource-level permissions.
      actions: [
        'autoscaling:DescribeAutoScalingGroups',
        'autoscaling:DescribePolicies',
        'autoscaling:DescribeInstanceRefreshes',
        'ec2:DescribeLaunchTemplateVersions',
        // The version each group runs (the undo's target) is read with its image, as validate reads it.
        'ec2:DescribeImages',
      ],
      resources: ['*'],
    }),
  );
  for (const s of loadHistoryStatements(scope, config)) compute.function.addToRolePolicy(s);
  // esbuild bundles highs' loader but not its .wasm file; the layer puts it at /opt/highs.wasm.
  compute.function.addLayers(
    new lambda.LayerVersion(scope, 'HighsWasm', {
      code: lambda.Code.fromAsset(HIGHS_BUILD_DIRECTORY, { exclude: ['*', '!highs.wasm'] }),
      compatibleArchitectures: [lambda.Architecture.ARM_64, lambda.Architecture.X86_64],
      description: 'HiGHS WebAssembly binary for the update planner',
    }),
  );
  Validations.of(compute.role).acknowledge({
    id: 'AwsSolutions-IAM5[Resource::*]',
    reason: 'Auto Scaling and EC2 Describe* actions support no resource-level permissions.',
  });
  return compute;
}

/**
 * The Standard state machine in `scope`, with its log group (one month, level ALL, tracing on), its
 * role's KMS grant for an encrypted topic, and the acknowledged wildcards of that role.
 */
function planStateMachine(
  scope: Construct,
  definition: sfn.IChainable,
  props: UpdatePlanWorkflowProps,
  functions: readonly PrescaleFunction[],
): { stateMachine: sfn.StateMachine; logGroup: logs.LogGroup } {
  const stack = Stack.of(scope);
  const logGroup = stateMachineLogGroup(scope);
  const stateMachine = new sfn.StateMachine(scope, 'StateMachine', {
    comment:
      'Prescale update plan: compute the plan, lock its groups, run it slot by slot as child rolling updates; undo in reverse dependency order on failure or cancel.',
    definitionBody: sfn.DefinitionBody.fromChainable(definition),
    stateMachineType: sfn.StateMachineType.STANDARD,
    tracingEnabled: true,
    logs: { destination: logGroup, level: sfn.LogLevel.ALL, includeExecutionData: true },
  });
  const role = stateMachine.role;
  if (props.topicKey) {
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'EncryptNotifications',
        actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
        resources: [props.topicKey.keyArn],
      }),
    );
  }
  acknowledgeLambdaInvokeWildcards(role, functions);
  Validations.of(role).acknowledge({
    id: 'AwsSolutions-IAM5[Resource::*]',
    reason:
      'X-Ray and CloudWatch Logs delivery (tracing, logging level ALL) support no resource-level permissions.',
  });
  // startExecution.sync:2 grants, as documented for nested workflows: StartExecution on the child
  // state machine, DescribeExecution/StopExecution on its executions (names are per plan, hence
  // the suffix wildcard), and PutTargets/PutRule/DescribeRule on the managed rule
  // StepFunctionsGetEventsForStepFunctionsExecutionRule only.
  // https://docs.aws.amazon.com/step-functions/latest/dg/stepfunctions-iam.html
  const childName = stack.splitArn(
    props.rollingUpdateStateMachine.stateMachineArn,
    ArnFormat.COLON_RESOURCE_NAME,
  ).resourceName as string;
  Validations.of(role).acknowledge({
    id: `AwsSolutions-IAM5[Resource::${nagArn(scope, 'states', 'execution:')}${JSON.stringify(stack.resolve(childName))}*]`,
    reason:
      'DescribeExecution/StopExecution on executions of the rolling-update state machine only, as startExecution.sync needs; child names are per plan.',
  });
  return { stateMachine, logGroup };
}
