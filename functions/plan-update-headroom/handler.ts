import { AutoScalingScalingTarget } from '../../shared/aws/auto-scaling-scaling-target';
import { AutoScalingScheduledCapacity } from '../../shared/aws/auto-scaling-scheduled-capacity';
import { autoScalingClient, ec2Client, lazyClients } from '../../shared/aws/aws-clients';
import { Ec2InstanceCatalog } from '../../shared/aws/ec2-instance-catalog';
import { loadRuntimeConfig } from '../../shared/aws/load-runtime-config';
import { createObservability } from '../../shared/aws/powertools';
import { runtimeClock } from '../../shared/aws/runtime-clock';
import { withMiddleware } from '../../shared/aws/with-middleware';
import { workflowStateSchema } from '../../shared/contracts/rolling-update';
import { planUpdateHeadroom } from '../../shared/usecases/plan-update-headroom';

const config = loadRuntimeConfig();
const observability = createObservability('plan-update-headroom');
const clients = lazyClients({ autoScaling: autoScalingClient, ec2: ec2Client }, observability.tracer);
const deps = {
  scalingTarget: new AutoScalingScalingTarget(clients.autoScaling),
  // Only a group on $Latest/$Default has its version resolved again.
  launchTemplates: new Ec2InstanceCatalog(clients.ec2),
  // The loop's look-ahead due during the refresh is deleted: it would cut the headroom.
  scheduledCapacity: new AutoScalingScheduledCapacity(clients.autoScaling),
  clock: runtimeClock,
};

export const handler = withMiddleware(
  workflowStateSchema,
  async (state) => {
    const planned = await planUpdateHeadroom(deps, config.user, state);
    const { groupName } = state.plan;
    if (planned.kind === 'changed') {
      observability.logger.warn('refused under the lock', {
        groupName,
        error: planned.error.Error,
        reason: planned.error.Cause,
      });
    } else {
      observability.logger.info('headroom planned', {
        groupName,
        ...planned.headroom,
        notes: planned.plan.notes,
      });
    }
    return planned;
  },
  observability,
);
