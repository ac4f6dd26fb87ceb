import { AutoScalingGroupOwnership } from '../../shared/aws/auto-scaling-group-ownership';
import { AutoScalingScalingTarget } from '../../shared/aws/auto-scaling-scaling-target';
import { AutoScalingScheduledCapacity } from '../../shared/aws/auto-scaling-scheduled-capacity';
import { autoScalingClient, cloudFormationClient, lazyClients } from '../../shared/aws/aws-clients';
import { CloudFormationStackReader } from '../../shared/aws/cloud-formation-stack-reader';
import { DynamoDbCampaignRunStore } from '../../shared/aws/dynamo-db-campaign-run-store';
import { dynamoDbClient } from '../../shared/aws/dynamo-db-client';
import { DynamoDbStateStore } from '../../shared/aws/dynamo-db-state-store';
import { loadRuntimeConfig } from '../../shared/aws/load-runtime-config';
import { createObservability } from '../../shared/aws/powertools';
import { runtimeClock, runtimeSleep } from '../../shared/aws/runtime-clock';
import { withMiddleware } from '../../shared/aws/with-middleware';
import { customResourceEventSchema } from '../../shared/contracts/custom-resource-event';
import { shouldUninstall } from '../../shared/core/planning/should-uninstall';
import { removeLookAhead } from '../../shared/usecases/remove-look-ahead';
import { LookAheadCleanupError } from './look-ahead-cleanup-error';
import { StackUnreadableError } from './stack-unreadable-error';

const config = loadRuntimeConfig(process.env);
const observability = createObservability('remove-look-ahead');
/**
 * How long one attempt of an Auto Scaling or DynamoDB call may take: they answer in well under a
 * second, so a longer one is stalled and is retried rather than left to eat the remover's budget.
 */
const REQUEST_TIMEOUT_MS = 5_000;
const clients = lazyClients(
  {
    autoScaling: () => autoScalingClient({ requestTimeoutMs: REQUEST_TIMEOUT_MS }),
    cloudFormation: () => cloudFormationClient({ requestTimeoutMs: REQUEST_TIMEOUT_MS }),
    dynamoDb: () => dynamoDbClient({ requestTimeoutMs: REQUEST_TIMEOUT_MS }),
  },
  observability.tracer,
);
const deps = {
  scalingTarget: new AutoScalingScalingTarget(clients.autoScaling),
  scheduledCapacity: new AutoScalingScheduledCapacity(clients.autoScaling),
  groupOwnership: new AutoScalingGroupOwnership(clients.autoScaling, config.deployment),
  // What Prescale recorded of each group's own bounds, and the rolling updates' locks.
  stateStore: new DynamoDbStateStore(clients.dynamoDb, config.stateTableName),
  // Each owned group's unreleased campaign pre-warms, given back with it and marked released.
  prewarms: new DynamoDbCampaignRunStore(clients.dynamoDb, config.stateTableName),
  // Waiting out a scaling run still holding a group: the deleted worker's invocation may still write.
  sleep: runtimeSleep,
  clock: runtimeClock,
};
/** Whether a Delete is the stack's (or the scaler's) end, or only one copy of this resource going. */
const stack = new CloudFormationStackReader(clients.cloudFormation);
const PHYSICAL_ID = 'prescale-look-ahead-cleanup';
/**
 * Time kept back from the function's timeout when no other group is started: one group's few calls
 * through the SDK's retries of a throttled Auto Scaling API (five attempts of at most
 * `REQUEST_TIMEOUT_MS` each, throttling backoff of a few seconds between them), then the answer to
 * the provider framework. Past the timeout CloudFormation would hear only that the function timed
 * out, with no group named (the framework, whose own timeout is a minute longer, still answers).
 */
const RESERVE_MS = 60_000;
/**
 * Time kept for the give-back after waiting out the scaling runs still holding groups: every
 * group's few calls, minutes with hundreds. A run still holding a group when the wait ends (its
 * claim neither done nor run out) leaves it failed for a deletion tried again; so does a group the
 * give-back did not reach in time.
 */
const GIVE_BACK_MS = 120_000;

/**
 * Custom-resource `onEvent` handler (CDK Provider framework): on stack deletion, gives each group
 * this deployment owns back its own bounds and deletes its `prescale-` scheduled actions and its
 * ownership tag, and deletes the `prescale-` actions of the other enrolled groups (a group another
 * deployment manages is left to it); create and update do nothing, and an update keeps the
 * resource's physical id (a new one would have CloudFormation delete the old). A Delete that only
 * removes one copy of this resource while another serves the deployment (a renamed or moved
 * construct, an update's rollback; `shouldUninstall`) succeeds having changed nothing. A stack
 * that cannot be read fails the Delete rather than uninstall a deployment that may be live.
 */
export const handler = withMiddleware(
  customResourceEventSchema,
  async (event, context) => {
    if (event.RequestType === 'Create') return { PhysicalResourceId: PHYSICAL_ID };
    if (event.RequestType === 'Update') return { PhysicalResourceId: event.PhysicalResourceId };
    const snapshot = await stack.read(event.StackId).catch((cause: unknown) => {
      throw new StackUnreadableError(event.StackId, { cause });
    });
    const decision = shouldUninstall(snapshot.status, snapshot.resources, {
      logicalResourceId: event.LogicalResourceId,
      resourceType: event.ResourceType,
    });
    if (decision.kind === 'skip') {
      observability.logger.info('look-ahead kept: another cleanup resource serves the deployment', {
        reason: decision.reason,
        logicalResourceId: event.LogicalResourceId,
      });
      return { PhysicalResourceId: event.PhysicalResourceId };
    }
    observability.logger.info('removing look-ahead', { reason: decision.reason });
    const hasTime = {
      left: () => context.getRemainingTimeInMillis() > RESERVE_MS,
      reason: `not started: the remover stopped ${RESERVE_MS / 1000} s before its timeout to answer CloudFormation; delete the stack again to go on where it stopped`,
    };
    const nowMs = runtimeClock.nowMs();
    const waitDeadlineMs = nowMs + context.getRemainingTimeInMillis() - RESERVE_MS - GIVE_BACK_MS;
    const result = await removeLookAhead(deps, config.user, { nowMs, hasTime, waitDeadlineMs });
    observability.logger.info('look-ahead removed', { ...result });
    if (Object.keys(result.notRestored).length > 0)
      observability.logger.warn('groups given up without their own bounds', {
        notRestored: result.notRestored,
      });
    if (result.failed.length > 0) throw new LookAheadCleanupError(result.failed);
    return { PhysicalResourceId: event.PhysicalResourceId };
  },
  observability,
);
