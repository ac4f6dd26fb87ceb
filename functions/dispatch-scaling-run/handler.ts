import { AutoScalingGroupOwnership } from '../../shared/aws/auto-scaling-group-ownership';
import { AutoScalingScalingTarget } from '../../shared/aws/auto-scaling-scaling-target';
import { AutoScalingScheduledCapacity } from '../../shared/aws/auto-scaling-scheduled-capacity';
import { autoScalingClient, lazyClients, sqsClient, ssmClient } from '../../shared/aws/aws-clients';
import { DynamoDbCampaignRunStore } from '../../shared/aws/dynamo-db-campaign-run-store';
import { dynamoDbClient } from '../../shared/aws/dynamo-db-client';
import { DynamoDbStateStore } from '../../shared/aws/dynamo-db-state-store';
import { loadRuntimeConfig } from '../../shared/aws/load-runtime-config';
import { createObservability } from '../../shared/aws/powertools';
import { runtimeClock } from '../../shared/aws/runtime-clock';
import { SqsGroupWorkQueue } from '../../shared/aws/sqs-group-work-queue';
import { SsmKillSwitch } from '../../shared/aws/ssm-kill-switch';
import { withMiddleware } from '../../shared/aws/with-middleware';
import { ENV } from '../../shared/contracts/env';
import { dispatchScalingRunEventSchema } from '../../shared/contracts/scaling-events';
import { dispatchScalingRun, GroupsNotQueuedError } from '../../shared/usecases/dispatch-scaling-run';

const config = loadRuntimeConfig(process.env, [ENV.groupQueueUrl, ENV.killSwitchParameterName]);
const observability = createObservability('dispatch-scaling-run');
const clients = lazyClients(
  { autoScaling: autoScalingClient, dynamoDb: dynamoDbClient, sqs: sqsClient, ssm: ssmClient },
  observability.tracer,
);
const scalingTarget = new AutoScalingScalingTarget(clients.autoScaling);
const queue = new SqsGroupWorkQueue(clients.sqs, config.env[ENV.groupQueueUrl] as string);
const stateStore = new DynamoDbStateStore(clients.dynamoDb, config.stateTableName);
const killSwitch = new SsmKillSwitch(clients.ssm, config.env[ENV.killSwitchParameterName] as string, {
  logger: observability.logger,
});
const release = {
  scalingTarget,
  scheduledCapacity: new AutoScalingScheduledCapacity(clients.autoScaling),
  groupOwnership: new AutoScalingGroupOwnership(clients.autoScaling, config.deployment),
  stateStore,
  // Campaigns live in the state table too: a taken-out group's unreleased pre-warms are given back.
  prewarms: new DynamoDbCampaignRunStore(clients.dynamoDb, config.stateTableName),
  isGloballyPaused: () => killSwitch.isPaused(),
  clock: runtimeClock,
};

export const handler = withMiddleware(
  dispatchScalingRunEventSchema,
  async (event) => {
    // The scheduled time, not the wall clock, names the tick: a retried delivery maps to the same one.
    const clock = event.scheduledTime
      ? { nowMs: () => Date.parse(event.scheduledTime as string) }
      : runtimeClock;
    const result = await dispatchScalingRun(
      { scalingTarget, queue, clock, stateStore, release },
      config.user,
    );
    observability.metrics.addMetric('EnrolledGroups', 'Count', result.enrolledGroups);
    // Emitted every tick, zero included: its absence is the "Prescale silent" alarm too.
    observability.metrics.addMetric('StaleGroups', 'Count', result.staleGroups.length);
    observability.metrics.addMetric('GroupsEnqueueFailed', 'Count', result.failedToEnqueue.length);
    // Auto Scaling answers a name it does not know with nothing, no error: without this the group
    // gets no run and no other signal (StaleGroups counts only groups found). Every tick, zero included.
    observability.metrics.addMetric('NamedGroupsNotFound', 'Count', result.namedGroupsNotFound.length);
    if (result.namedGroupsNotFound.length > 0)
      observability.logger.warn('named groups not found', {
        namedGroupsNotFound: result.namedGroupsNotFound,
        check:
          "each name's spelling against the Auto Scaling console, that the stack is deployed in the groups' region, and that the group was not deleted; remove a deleted group from groups.names",
      });
    const released = result.takenOut.filter((g) => g.kind === 'released').length;
    observability.metrics.addMetric('GroupsReleased', 'Count', released);
    for (const g of result.takenOut.filter((t) => t.kind !== 'released' && t.kind !== 'gone'))
      observability.logger.warn('group taken out not given back yet', { ...g });
    // A give-back that failed, or could not be looked for, is retried each tick: alarmed when it lasts.
    const releaseFailed =
      result.takenOut.filter((g) => g.kind === 'failed').length + (result.takenOutSkipped ? 1 : 0);
    observability.metrics.addMetric('GroupsReleaseFailed', 'Count', releaseFailed);
    if (result.dependenciesLeftOut.length > 0)
      observability.logger.warn('dependencies left out', { dependenciesLeftOut: result.dependenciesLeftOut });
    observability.logger.info('scaling run dispatched', { ...result });
    // Failed, the invocation is retried by Lambda for the same tick (the queued groups' run claims
    // make their second items no-ops), then goes to the dead-letter queue with this reason.
    if (result.failedToEnqueue.length > 0) throw new GroupsNotQueuedError(result.failedToEnqueue);
    return result;
  },
  observability,
);
