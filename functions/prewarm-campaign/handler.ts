import { AutoScalingGroupOwnership } from '../../shared/aws/auto-scaling-group-ownership';
import { AutoScalingScalingTarget } from '../../shared/aws/auto-scaling-scaling-target';
import { AutoScalingScheduledCapacity } from '../../shared/aws/auto-scaling-scheduled-capacity';
import {
  autoScalingClient,
  cloudWatchClient,
  lazyClients,
  ssmClient,
  timestreamQueryClient,
} from '../../shared/aws/aws-clients';
import { createMetricHistory } from '../../shared/aws/create-metric-history';
import { DynamoDbCampaignCalendar } from '../../shared/aws/dynamo-db-campaign-calendar';
import { DynamoDbCampaignRunStore } from '../../shared/aws/dynamo-db-campaign-run-store';
import { dynamoDbClient } from '../../shared/aws/dynamo-db-client';
import { DynamoDbStateStore } from '../../shared/aws/dynamo-db-state-store';
import { loadRuntimeConfig } from '../../shared/aws/load-runtime-config';
import { createObservability } from '../../shared/aws/powertools';
import { runtimeClock } from '../../shared/aws/runtime-clock';
import { SsmKillSwitch } from '../../shared/aws/ssm-kill-switch';
import { withMiddleware } from '../../shared/aws/with-middleware';
import { campaignActionInputSchema } from '../../shared/contracts/campaign-events';
import { ENV } from '../../shared/contracts/env';
import { forecastDemand } from '../../shared/core/forecast/forecast-demand';
import { unfinishedGroups } from '../../shared/usecases/campaign-action-result';
import { prewarmCampaign } from '../../shared/usecases/prewarm-campaign';
import { CampaignActionFailedError } from './campaign-action-failed-error';

const config = loadRuntimeConfig(process.env, [ENV.killSwitchParameterName]);
const observability = createObservability('prewarm-campaign');
const clients = lazyClients(
  {
    autoScaling: autoScalingClient,
    cloudWatch: cloudWatchClient,
    dynamoDb: dynamoDbClient,
    ssm: ssmClient,
    timestreamQuery: timestreamQueryClient,
  },
  observability.tracer,
);
const killSwitch = new SsmKillSwitch(clients.ssm, config.env[ENV.killSwitchParameterName] as string, {
  logger: observability.logger,
});
const deps = {
  store: new DynamoDbCampaignRunStore(clients.dynamoDb, config.stateTableName),
  calendar: new DynamoDbCampaignCalendar(clients.dynamoDb, config.stateTableName),
  scalingTarget: new AutoScalingScalingTarget(clients.autoScaling),
  scheduledCapacity: new AutoScalingScheduledCapacity(clients.autoScaling),
  metricHistory: createMetricHistory(clients, config.user),
  stateStore: new DynamoDbStateStore(clients.dynamoDb, config.stateTableName),
  clock: runtimeClock,
  forecast: forecastDemand,
  isGloballyPaused: () => killSwitch.isPaused(),
  groupOwnership: new AutoScalingGroupOwnership(clients.autoScaling, config.deployment),
};

export const handler = withMiddleware(
  campaignActionInputSchema,
  async (input) => {
    const result = await prewarmCampaign(deps, config.user, input);
    if (result.kind === 'skipped') {
      observability.logger.info('campaign action skipped', { ...result });
      return result;
    }
    const count = (kind: string) => result.groups.filter((g) => g.kind === kind).length;
    observability.metrics.addMetric('CampaignGroupsRaised', 'Count', count('raised'));
    observability.metrics.addMetric('CampaignGroupsLowered', 'Count', count('lowered'));
    observability.metrics.addMetric('CampaignGroupsFailed', 'Count', count('failed'));
    const stale = result.groups.filter(
      (g) => 'staleHistoryMinutes' in g && g.staleHistoryMinutes !== undefined,
    );
    if (stale.length > 0)
      observability.logger.warn('campaign pre-warm planned on a stale load history', {
        campaignId: result.campaignId,
        groups: stale,
      });
    observability.logger.info('campaign action done', {
      campaignId: result.campaignId,
      action: result.action,
      groups: result.groups.map((g) => (g.kind === 'failed' ? { ...g, error: g.error.message } : g)),
      learning: result.learning,
    });
    // A group that failed, or a pre-warm without load history (the campaign not prepared for),
    // fails the invocation: its retries, then the on-failure queue and its alarm. Both actions are
    // idempotent (raises recorded first, releases marked), so a retry is safe.
    const failures = unfinishedGroups(result);
    if (failures.length > 0) throw new CampaignActionFailedError(result.campaignId, result.action, failures);
    return result;
  },
  observability,
);
