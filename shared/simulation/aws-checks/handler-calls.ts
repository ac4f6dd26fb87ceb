import { CAMPAIGN_ENV } from '../../contracts/campaign-events';
import { ENV, GROUP_TAGS } from '../../contracts/env';
import { UPDATE_PLAN_KEYS } from '../../contracts/update-plan';
import type { UserConfigInput } from '../../contracts/user-config';
import { groupLaunchTemplateId } from './group-launch-template';
import { DEPLOYED_STACK_NAME } from './resolve-intrinsics';

/** One API call a handler makes: service (SDK client id), operation, and an input shaped like the real one. */
export interface HandlerCall {
  readonly service: string;
  readonly operation: string;
  readonly input: Record<string, unknown>;
  /** Tags the group has whenever the handler makes this call (beyond its enrolment). */
  readonly groupTags?: Readonly<Record<string, string>>;
}

/** What a call's input is built from: the deployed function's environment and one group's name. */
export interface CallContext {
  readonly environment: Readonly<Record<string, string>>;
  readonly group: string;
  readonly config: UserConfigInput;
}

type CallSpec = readonly [
  service: string,
  operation: string,
  input?: (c: CallContext) => Record<string, unknown>,
  groupTags?: (c: CallContext) => Record<string, string>,
];

const table = (c: CallContext) => ({ TableName: c.environment[ENV.stateTableName] });
const group = (c: CallContext) => ({ AutoScalingGroupName: c.group });
const launchTemplate = (c: CallContext) => ({
  AutoScalingGroupName: c.group,
  LaunchTemplate: { LaunchTemplateId: groupLaunchTemplateId(c.group, c.config), Version: '2' },
});
const describeGroups: CallSpec[] = [
  ['autoscaling', 'DescribeAutoScalingGroups'],
  ['autoscaling', 'DescribePolicies'],
  ['autoscaling', 'DescribeInstanceRefreshes'],
];
/**
 * The request that writes (`CreateOrUpdateTags`) or deletes (`DeleteTags`) `deployment`'s ownership
 * tag on `group`, as the worker and the cleanup send it (docs/OPERATIONS.md, "Two deployments, one
 * group").
 */
export function ownershipTagRequest(
  operation: 'CreateOrUpdateTags' | 'DeleteTags',
  group: string,
  deployment: string,
): Record<string, unknown> {
  const tag = { ResourceId: group, ResourceType: 'auto-scaling-group', Key: GROUP_TAGS.deployment };
  return {
    Tags: [operation === 'DeleteTags' ? tag : { ...tag, Value: deployment, PropagateAtLaunch: false }],
  };
}
const deploymentOf = (c: CallContext) => c.environment[ENV.deployment] as string;
const takeGroup: CallSpec = [
  'autoscaling',
  'CreateOrUpdateTags',
  (c) => ownershipTagRequest('CreateOrUpdateTags', c.group, deploymentOf(c)),
];
// Made only where the group's tag names this deployment (the grant's condition).
/** Auto Scaling writes on a group this deployment owns (its `prescale:deployment` tag names it). */
const ownedGroupWrites = (...operations: string[]): CallSpec[] =>
  operations.map((operation) => [
    'autoscaling',
    operation,
    group,
    (c) => ({ [GROUP_TAGS.deployment]: deploymentOf(c) }),
  ]);

const releaseGroup: CallSpec = [
  'autoscaling',
  'DeleteTags',
  (c) => ownershipTagRequest('DeleteTags', c.group, deploymentOf(c)),
  (c) => ({ [GROUP_TAGS.deployment]: deploymentOf(c) }),
];
// The fail-static look-ahead (docs/OPERATIONS.md): Prescale's own scheduled actions.
const lookAheadActions: CallSpec[] = [
  ['autoscaling', 'DescribeScheduledActions'],
  ['autoscaling', 'BatchDeleteScheduledAction', group],
];
const loadHistory = (config: UserConfigInput): CallSpec[] =>
  config.historySource === 'timestream'
    ? [
        ['timestream-query', 'DescribeEndpoints'],
        [
          'timestream-query',
          'Query',
          (c) => ({
            QueryString: `SELECT 1 FROM "${c.config.timestream?.database}"."${c.config.timestream?.table}"`,
          }),
        ],
      ]
    : [['cloudwatch', 'GetMetricData']];
const stateTable = (...operations: string[]): CallSpec[] =>
  operations.map((operation) =>
    operation.startsWith('Batch')
      ? [
          'dynamodb',
          operation,
          (c) => ({ RequestItems: { [c.environment[ENV.stateTableName] as string]: [] } }),
        ]
      : ['dynamodb', operation, table],
  );

/** A pre-warm record marked released (`markReleased`): its key is in a campaign's partition. */
const markPrewarmReleased: CallSpec = [
  'dynamodb',
  'UpdateItem',
  (c) => ({
    ...table(c),
    Key: { pk: { S: 'CAMPAIGN#black-friday' }, sk: { S: `PREWARM#${c.group}` } },
  }),
];

/** An update plan's record read for its cancel request (`DynamoDbUpdatePlanStore.cancelRequest`). */
const readPlanRecord: CallSpec = [
  'dynamodb',
  'GetItem',
  (c) => ({
    ...table(c),
    Key: { pk: { S: UPDATE_PLAN_KEYS.planPk('plan-web') }, sk: { S: UPDATE_PLAN_KEYS.recordSk } },
  }),
];

const readKillSwitch: CallSpec = [
  'ssm',
  'GetParameter',
  (c) => ({ Name: c.environment[ENV.killSwitchParameterName] }),
];
/** StartExecution on the state machine `env` names, and DescribeExecution on its executions (a taken name's). */
const startWorkflow = (env: string): CallSpec[] => [
  ['sfn', 'StartExecution', (c) => ({ stateMachineArn: c.environment[env] })],
  [
    'sfn',
    'DescribeExecution',
    (c) => ({
      executionArn: `${String(c.environment[env]).replace(':stateMachine:', ':execution:')}:a-taken-name`,
    }),
  ],
];
const startRollingUpdate = startWorkflow(ENV.rollingUpdateStateMachineArn);
/** ListExecutions of the rolling-update workflow's running ones (`StepFunctionsRunningExecutions`). */
const listRunningRollingUpdates: CallSpec = [
  'sfn',
  'ListExecutions',
  (c) => ({ stateMachineArn: c.environment[ENV.rollingUpdateStateMachineArn], statusFilter: 'RUNNING' }),
];
const sendUpdatePlanDeadLetter: CallSpec = [
  'sqs',
  'SendMessage',
  (c) => ({ QueueUrl: c.environment[ENV.updatePlanDeadLetterQueueUrl] }),
];

/**
 * The AWS calls each handler needs, by `functions/<name>`, for a configuration: what its use case
 * calls through its adapters (the simulation's runs check that every call they observe is listed
 * here, so the list cannot silently fall behind the code). Grants beyond these are not needed.
 */
export function handlerCalls(config: UserConfigInput): Readonly<Record<string, readonly CallSpec[]>> {
  return {
    ...scalingRunCalls(config),
    ...campaignCalls(config),
    ...rollingUpdateCalls(config),
    'remove-look-ahead': removeLookAheadCalls(),
    ...updatePlanCalls(config),
    'select-instance-types': selectInstanceTypesCalls(config),
  };
}

function scalingRunCalls(config: UserConfigInput): Record<string, readonly CallSpec[]> {
  const xray = config.dependencies?.xray?.enabled ? ([['xray', 'GetServiceGraph']] as CallSpec[]) : [];
  return {
    'dispatch-scaling-run': [
      ['autoscaling', 'DescribeAutoScalingGroups'],
      ['sqs', 'SendMessageBatch', (c) => ({ QueueUrl: c.environment[ENV.groupQueueUrl] })],
      ...stateTable('GetItem'),
      // Giving back a group this deployment owns once it is no longer enrolled (Query: the
      // campaign releases left to its loop, where MinSize is none Prescale's last run left, and
      // its window pointers; UpdateItem: its unreleased campaign pre-warms marked released).
      ...stateTable('Query'),
      markPrewarmReleased,
      readKillSwitch,
      ['autoscaling', 'DescribeScheduledActions'],
      // Whether the owner refreshes the group: its bounds wait for the refresh to end.
      ['autoscaling', 'DescribeInstanceRefreshes'],
      ...ownedGroupWrites('BatchDeleteScheduledAction', 'UpdateAutoScalingGroup', 'PutWarmPool'),
      releaseGroup,
    ],
    'scale-groups': [
      ...describeGroups,
      ['autoscaling', 'DescribeWarmPool', group],
      ['autoscaling', 'DescribeScalingActivities'],
      ['autoscaling', 'UpdateAutoScalingGroup', group],
      ['autoscaling', 'PutWarmPool', group],
      ...lookAheadActions,
      ['autoscaling', 'BatchPutScheduledUpdateGroupAction', group],
      takeGroup,
      ...loadHistory(config),
      ...stateTable(
        'PutItem',
        'BatchWriteItem',
        'UpdateItem',
        'DeleteItem',
        'GetItem',
        'Query',
        'BatchGetItem',
      ),
      readKillSwitch,
      ...xray,
    ],
  };
}

function campaignCalls(config: UserConfigInput): Record<string, readonly CallSpec[]> {
  return {
    'receive-campaign-event': [
      ...describeGroups,
      ...stateTable('PutItem', 'UpdateItem', 'GetItem', 'BatchWriteItem'),
      ...(['CreateSchedule', 'UpdateSchedule', 'DeleteSchedule'] as const).map(
        (operation): CallSpec => [
          'scheduler',
          operation,
          (c) => ({
            Name: 'campaign-1-web',
            GroupName: c.environment[ENV.schedulerGroupName],
            ...(operation === 'DeleteSchedule'
              ? {}
              : { Target: { RoleArn: c.environment[ENV.schedulerRoleArn] } }),
          }),
        ],
      ),
      ['sqs', 'SendMessage', (c) => ({ QueueUrl: c.environment[CAMPAIGN_ENV.deadLetterQueueUrl] })],
    ],
    'prewarm-campaign': [
      ...describeGroups,
      // A release reads the group's own recurring actions: their MinSize is a floor.
      ['autoscaling', 'DescribeScheduledActions'],
      ['autoscaling', 'UpdateAutoScalingGroup', group],
      takeGroup,
      ...loadHistory(config),
      ...stateTable('PutItem', 'UpdateItem', 'GetItem', 'Query', 'BatchGetItem'),
      readKillSwitch,
    ],
  };
}

/** The rolling update's steps, and the handlers that start or prepare one. */
function rollingUpdateCalls(config: UserConfigInput): Record<string, readonly CallSpec[]> {
  return {
    'validate-rolling-update': [
      ...describeGroups,
      ['ec2', 'DescribeLaunchTemplateVersions'],
      ['ec2', 'DescribeImages'],
      ...stateTable('GetItem'),
      // The watched alarms exist (configured, or named by the request).
      ['cloudwatch', 'DescribeAlarms'],
      readKillSwitch,
    ],
    // The holds again (kill switch included) before the window is chosen; a look-ahead give-back
    // still due on a group the loop stands down on is waited for.
    'choose-update-window': [
      ...describeGroups,
      ['autoscaling', 'DescribeScheduledActions'],
      ...loadHistory(config),
      // The group's campaigns, which its forecast raises the load by; a plan child's plan record
      // (DynamoDbUpdatePlanStore.cancelRequest): a cancelled plan's child starts nothing.
      ...stateTable('Query', 'BatchGetItem'),
      readPlanRecord,
      readKillSwitch,
    ],
    // The plan rebuilt on the group now: a $Latest/$Default version resolved again; the loop's
    // look-ahead due during the refresh deleted (a give-back ending a MaxSize raise put again later).
    'plan-update-headroom': [
      ...describeGroups,
      ['ec2', 'DescribeLaunchTemplateVersions'],
      ['ec2', 'DescribeImages'],
      ...lookAheadActions,
      ['autoscaling', 'BatchPutScheduledUpdateGroupAction', group],
    ],
    'watch-refresh-progress': [...describeGroups, ...loadHistory(config), ['cloudwatch', 'DescribeAlarms']],
    'decide-rollback-step': [],
    // The owner's scheduled MinSize (recurring actions, and one-time ones the loop's state keeps) is a floor.
    'plan-capacity-restore': [
      ...describeGroups,
      ['autoscaling', 'DescribeScheduledActions'],
      ...stateTable('Query', 'GetItem'),
    ],
    'request-rolling-update': startRollingUpdate,
    'find-scheduled-maintenance': [
      ...describeGroups,
      ['ec2', 'DescribeInstanceStatus'],
      ['autoscaling', 'DescribeAutoScalingInstances'],
      ['ec2', 'DescribeLaunchTemplateVersions'],
      ['ec2', 'DescribeImages'],
      readKillSwitch,
      ...startRollingUpdate,
      // Running executions, each read (DescribeExecution) for its group: one runs on it already.
      listRunningRollingUpdates,
    ],
  };
}

/**
 * The look-ahead remover (stack deletion): each group's `prescale-` actions deleted, and each
 * group this deployment owns given back.
 */
function removeLookAheadCalls(): readonly CallSpec[] {
  // Its own stack (the one `AWS::StackId` names), to tell the stack's deletion from one copy of
  // the cleanup resource replaced by another.
  const stack = () => ({ StackName: DEPLOYED_STACK_NAME });
  return [
    ['cloudformation', 'DescribeStacks', stack],
    ['cloudformation', 'ListStackResources', stack],
    ['autoscaling', 'DescribeAutoScalingGroups'],
    ...lookAheadActions,
    // Each group's run claim (GetItem), read again every few seconds while a worker run still
    // holds it (until the run ends or the wait's time is up). Each group
    // this deployment owns given back (`releaseGroupsTakenOut`): its own bounds
    // recorded in the state table (and, Query, the campaign releases left to its loop and its
    // window pointers), none while a lock or an instance refresh holds it; its unreleased
    // campaign pre-warms marked released (UpdateItem).
    ...stateTable('GetItem', 'Query'),
    markPrewarmReleased,
    ['autoscaling', 'DescribeInstanceRefreshes'],
    ...ownedGroupWrites('UpdateAutoScalingGroup', 'PutWarmPool'),
    releaseGroup,
  ];
}

function updatePlanCalls(config: UserConfigInput): Record<string, readonly CallSpec[]> {
  return {
    // The plan's campaign calendar (DynamoDbCampaignCalendar), read for the planner.
    'read-plan-calendar': stateTable('Query', 'BatchGetItem'),
    // The stored X-Ray discovery (DynamoDbDiscoveredDependencyStore), deployed with X-Ray on.
    'read-plan-discovery': stateTable('GetItem'),
    'compute-update-plan': [
      ...describeGroups,
      // The version the group runs, with its image's architecture (Ec2InstanceCatalog).
      ['ec2', 'DescribeLaunchTemplateVersions'],
      ['ec2', 'DescribeImages'],
      ...loadHistory(config),
    ],
    'lock-update-plan': stateTable('GetItem', 'PutItem', 'DeleteItem'),
    'release-update-plan': stateTable('DeleteItem'),
    'advance-update-plan': stateTable('GetItem'),
    'check-update-conflicts': stateTable('GetItem'),
    'request-update-plan': [...startWorkflow(ENV.updatePlanStateMachineArn), sendUpdatePlanDeadLetter],
    'cancel-update-plan': [...stateTable('UpdateItem'), sendUpdatePlanDeadLetter],
  };
}

function selectInstanceTypesCalls(config: UserConfigInput): readonly CallSpec[] {
  return [
    ...describeGroups,
    ['ec2', 'DescribeInstanceTypes'],
    ['ec2', 'DescribeInstanceTypeOfferings'],
    ['ec2', 'DescribeLaunchTemplateVersions'],
    ['ec2', 'DescribeImages'],
    ['pricing', 'GetProducts'],
    ...(config.pricing?.includeSpot ? ([['ec2', 'DescribeSpotPriceHistory']] as CallSpec[]) : []),
    ...stateTable('GetItem', 'PutItem', 'Query'),
    ...(config.pricing?.apply
      ? ([
          readKillSwitch,
          ['autoscaling', 'UpdateAutoScalingGroup', launchTemplate],
          [
            'ec2',
            'CreateLaunchTemplateVersion',
            (c) => ({ LaunchTemplateId: groupLaunchTemplateId(c.group, c.config) }),
          ],
          // The rollout (auto-scaling-instance-type-applier), a taken name read as the starter reads it.
          ...startRollingUpdate,
          // The workflow's running executions (any of them holds its group), each read as above.
          listRunningRollingUpdates,
        ] as CallSpec[])
      : []),
  ];
}

/** The calls of `handler` for one group, with inputs built from the deployed environment. */
export function callsFor(handler: string, context: CallContext): HandlerCall[] {
  const specs = handlerCalls(context.config)[handler];
  if (!specs) throw new Error(`no call list for handler ${handler}`);
  return specs.map(([service, operation, input, groupTags]) => ({
    service,
    operation,
    input: input ? input(context) : {},
    ...(groupTags ? { groupTags: groupTags(context) } : {}),
  }));
}
