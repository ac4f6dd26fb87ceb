import { AutoScalingGroupOwnership } from '../../shared/aws/auto-scaling-group-ownership';
import { AutoScalingScalingTarget } from '../../shared/aws/auto-scaling-scaling-target';
import { AutoScalingScheduledCapacity } from '../../shared/aws/auto-scaling-scheduled-capacity';
import { drawableWarmPoolInstances } from '../../shared/aws/auto-scaling-warm-pool';
import {
  autoScalingClient,
  cloudWatchClient,
  lazyClients,
  ssmClient,
  timestreamQueryClient,
  xrayClient,
} from '../../shared/aws/aws-clients';
import { createMetricHistory } from '../../shared/aws/create-metric-history';
import { DynamoDbCampaignCalendar } from '../../shared/aws/dynamo-db-campaign-calendar';
import { dynamoDbClient } from '../../shared/aws/dynamo-db-client';
import { DynamoDbDiscoveredDependencyStore } from '../../shared/aws/dynamo-db-discovered-dependency-store';
import { DynamoDbStateStore } from '../../shared/aws/dynamo-db-state-store';
import { loadRuntimeConfig } from '../../shared/aws/load-runtime-config';
import { createObservability } from '../../shared/aws/powertools';
import { processGroupWorkBatch } from '../../shared/aws/process-group-work-batch';
import { runtimeClock } from '../../shared/aws/runtime-clock';
import { SsmKillSwitch } from '../../shared/aws/ssm-kill-switch';
import { withMiddleware } from '../../shared/aws/with-middleware';
import { XRayDependencyDiscovery } from '../../shared/aws/x-ray-dependency-discovery';
import { ENV } from '../../shared/contracts/env';
import { groupWorkEventSchema } from '../../shared/contracts/group-work-event';
import {
  cachedDependencyEdges,
  DISCOVERY_SHARE_OF_REMAINING_TIME,
} from '../../shared/usecases/cached-dependency-edges';
import { campaignWindowsFor } from '../../shared/usecases/campaign-windows-for';
import { scaleGroups } from '../../shared/usecases/scale-groups';
import { warmForecastDemand } from '../../shared/usecases/warm-forecast-demand';
import { warmHistoryStore, warmMetricHistory } from '../../shared/usecases/warm-metric-history';
import { warmScaleInWindows } from '../../shared/usecases/warm-scale-in-window';
import { publishBatchRuns } from './publish-batch-runs';

const config = loadRuntimeConfig(process.env, [ENV.killSwitchParameterName]);
const observability = createObservability('scale-groups');
/**
 * How long one GetServiceGraph attempt may take: a graph answers in a second or two, so a longer
 * attempt is stalled and is retried rather than left to eat discovery's share of the run.
 */
const XRAY_REQUEST_TIMEOUT_MS = 10_000;
const clients = lazyClients(
  {
    autoScaling: autoScalingClient,
    cloudWatch: cloudWatchClient,
    dynamoDb: dynamoDbClient,
    ssm: ssmClient,
    timestreamQuery: timestreamQueryClient,
    xray: () => xrayClient({ requestTimeoutMs: XRAY_REQUEST_TIMEOUT_MS }),
  },
  observability.tracer,
);
const xray = config.user.dependencies.xray;
const discovery = xray?.enabled
  ? new XRayDependencyDiscovery(clients.xray, {
      serviceToGroup: xray.serviceToGroup,
      ...(xray.xrayGroupName ? { xrayGroupName: xray.xrayGroupName } : {}),
    })
  : undefined;
const dependencyEdges = cachedDependencyEdges(
  {
    ...(discovery ? { discovery } : {}),
    clock: runtimeClock,
    discoveredDependencies: new DynamoDbDiscoveredDependencyStore(clients.dynamoDb, config.stateTableName),
  },
  config.user.dependencies,
  {
    onResolved: (resolved) => {
      if (resolved.notes.length > 0) observability.logger.info('dependency edges', { ...resolved });
    },
  },
);
const killSwitch = new SsmKillSwitch(clients.ssm, config.env[ENV.killSwitchParameterName] as string, {
  logger: observability.logger,
});
const deps = {
  // Warm starts are planned on the pool's drawable instances, not on WarmPoolSize (every state).
  scalingTarget: new AutoScalingScalingTarget(clients.autoScaling, {
    warmPoolInstances: drawableWarmPoolInstances,
  }),
  scheduledCapacity: new AutoScalingScheduledCapacity(clients.autoScaling),
  metricHistory: warmMetricHistory(createMetricHistory(clients, config.user), warmHistoryStore),
  stateStore: new DynamoDbStateStore(clients.dynamoDb, config.stateTableName),
  clock: runtimeClock,
  forecast: warmForecastDemand,
  learnScaleInWindow: warmScaleInWindows.learn,
  dependencyEdges,
  campaignsFor: campaignWindowsFor(new DynamoDbCampaignCalendar(clients.dynamoDb, config.stateTableName)),
  isGloballyPaused: () => killSwitch.isPaused(),
  groupOwnership: new AutoScalingGroupOwnership(clients.autoScaling, config.deployment),
};

export const handler = withMiddleware(
  groupWorkEventSchema,
  async (event, context) =>
    processGroupWorkBatch(
      event,
      context,
      (items) =>
        publishBatchRuns(observability, config.user.groupMetrics, items, () =>
          scaleGroups(
            {
              ...deps,
              // Discovery's deadline: a share of the time this invocation has left when it starts.
              dependencyEdges: () =>
                dependencyEdges({
                  signal: AbortSignal.timeout(
                    Math.floor(context.getRemainingTimeInMillis() * DISCOVERY_SHARE_OF_REMAINING_TIME),
                  ),
                }),
            },
            config.user,
            items,
          ),
        ),
      observability.logger,
    ),
  observability,
);
