import { AutoScalingScalingTarget } from '../../shared/aws/auto-scaling-scaling-target';
import { autoScalingClient, lazyClients } from '../../shared/aws/aws-clients';
import { loadRuntimeConfig } from '../../shared/aws/load-runtime-config';
import { createObservability } from '../../shared/aws/powertools';
import { withMiddleware } from '../../shared/aws/with-middleware';
import { workflowStateSchema } from '../../shared/contracts/rolling-update';
import { planUpdateHeadroom } from '../../shared/usecases/plan-update-headroom';

const config = loadRuntimeConfig();
const observability = createObservability('plan-update-headroom');
const clients = lazyClients({ autoScaling: autoScalingClient }, observability.tracer);
const deps = { scalingTarget: new AutoScalingScalingTarget(clients.autoScaling) };

export const handler = withMiddleware(
  workflowStateSchema,
  async (state) => {
    const headroom = await planUpdateHeadroom(deps, config.user, state);
    observability.logger.info('headroom planned', { groupName: state.plan.groupName, ...headroom });
    return headroom;
  },
  observability,
);
