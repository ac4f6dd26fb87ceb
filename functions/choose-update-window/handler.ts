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
import { dynamoDbClient } from '../../shared/aws/dynamo-db-client';
import { DynamoDbUpdatePlanStore } from '../../shared/aws/dynamo-db-update-plan-store';
import { loadRuntimeConfig } from '../../shared/aws/load-runtime-config';
import { createObservability } from '../../shared/aws/powertools';
import { runtimeClock } from '../../shared/aws/runtime-clock';
import { SsmKillSwitch } from '../../shared/aws/ssm-kill-switch';
import { withMiddleware } from '../../shared/aws/with-middleware';
import { ENV } from '../../shared/contracts/env';
import { workflowStateSchema } from '../../shared/contracts/rolling-update';
import { forecastDemand } from '../../shared/core/forecast/forecast-demand';
import { campaignWindowsFor } from '../../shared/usecases/campaign-windows-for';
import { chooseUpdateWindow } from '../../shared/usecases/choose-update-window';

const config = loadRuntimeConfig(process.env, [ENV.killSwitchParameterName]);
const observability = createObservability('choose-update-window');
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
  scalingTarget: new AutoScalingScalingTarget(clients.autoScaling),
  metricHistory: createMetricHistory(clients, config.user),
  clock: runtimeClock,
  scheduledCapacity: new AutoScalingScheduledCapacity(clients.autoScaling),
  deployment: config.deployment,
  forecast: forecastDemand,
  campaignsFor: campaignWindowsFor(new DynamoDbCampaignCalendar(clients.dynamoDb, config.stateTableName)),
  isGloballyPaused: () => killSwitch.isPaused(),
  plans: new DynamoDbUpdatePlanStore(clients.dynamoDb, config.stateTableName),
};

export const handler = withMiddleware(
  workflowStateSchema,
  async (state) => {
    const window = await chooseUpdateWindow(deps, config.user, state.plan);
    observability.logger.info('update window chosen', {
      groupName: state.plan.groupName,
      decision: window.decision,
      reason: window.reason,
    });
    return window;
  },
  observability,
);
