import { AutoScalingScalingTarget } from '../../shared/aws/auto-scaling-scaling-target';
import {
  autoScalingClient,
  cloudWatchClient,
  lazyClients,
  timestreamQueryClient,
} from '../../shared/aws/aws-clients';
import { CloudWatchAlarmStates } from '../../shared/aws/cloud-watch-alarm-states';
import { createMetricHistory } from '../../shared/aws/create-metric-history';
import { loadRuntimeConfig } from '../../shared/aws/load-runtime-config';
import { createObservability } from '../../shared/aws/powertools';
import { runtimeClock } from '../../shared/aws/runtime-clock';
import { withMiddleware } from '../../shared/aws/with-middleware';
import { workflowStateSchema } from '../../shared/contracts/rolling-update';
import { watchRefreshProgress } from '../../shared/usecases/watch-refresh-progress';

const config = loadRuntimeConfig();
const observability = createObservability('watch-refresh-progress');
const clients = lazyClients(
  {
    autoScaling: autoScalingClient,
    cloudWatch: cloudWatchClient,
    timestreamQuery: timestreamQueryClient,
  },
  observability.tracer,
);
const deps = {
  scalingTarget: new AutoScalingScalingTarget(clients.autoScaling),
  metricHistory: createMetricHistory(clients, config.user),
  alarmStates: new CloudWatchAlarmStates(clients.cloudWatch),
  clock: runtimeClock,
};

export const handler = withMiddleware(
  workflowStateSchema,
  async (state) => {
    const progress = await watchRefreshProgress(deps, config.user, state);
    observability.logger.info('refresh progress assessed', {
      groupName: state.plan.groupName,
      verdict: progress.verdict,
      reason: progress.reason,
    });
    return progress;
  },
  observability,
);
