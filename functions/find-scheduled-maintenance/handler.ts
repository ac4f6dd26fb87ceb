import { AutoScalingScalingTarget } from '../../shared/aws/auto-scaling-scaling-target';
import {
  autoScalingClient,
  ec2Client,
  lazyClients,
  sfnClient,
  ssmClient,
} from '../../shared/aws/aws-clients';
import { Ec2InstanceCatalog } from '../../shared/aws/ec2-instance-catalog';
import { Ec2ScheduledEvents } from '../../shared/aws/ec2-scheduled-events';
import { loadRuntimeConfig } from '../../shared/aws/load-runtime-config';
import { createObservability } from '../../shared/aws/powertools';
import { runtimeClock } from '../../shared/aws/runtime-clock';
import { SsmKillSwitch } from '../../shared/aws/ssm-kill-switch';
import { StepFunctionsRunningExecutions } from '../../shared/aws/step-functions-running-executions';
import { StepFunctionsWorkflowStarter } from '../../shared/aws/step-functions-workflow-starter';
import { withMiddleware } from '../../shared/aws/with-middleware';
import { ENV } from '../../shared/contracts/env';
import { findScheduledMaintenanceEventSchema } from '../../shared/contracts/rolling-update';
import { findScheduledMaintenance, unservedGroups } from '../../shared/usecases/find-scheduled-maintenance';
import { MaintenanceScanFailedError } from './maintenance-scan-failed-error';

const config = loadRuntimeConfig(process.env, [
  ENV.rollingUpdateStateMachineArn,
  ENV.killSwitchParameterName,
]);
const observability = createObservability('find-scheduled-maintenance');
const clients = lazyClients(
  { autoScaling: autoScalingClient, ec2: ec2Client, sfn: sfnClient, ssm: ssmClient },
  observability.tracer,
);
const killSwitch = new SsmKillSwitch(clients.ssm, config.env[ENV.killSwitchParameterName] as string, {
  logger: observability.logger,
});
const stateMachineArn = config.env[ENV.rollingUpdateStateMachineArn] as string;
const running = new StepFunctionsRunningExecutions(clients.sfn, stateMachineArn);
const deps = {
  scalingTarget: new AutoScalingScalingTarget(clients.autoScaling),
  maintenanceEvents: new Ec2ScheduledEvents({ ec2: clients.ec2, autoScaling: clients.autoScaling }),
  launchTemplates: new Ec2InstanceCatalog(clients.ec2),
  starter: new StepFunctionsWorkflowStarter(clients.sfn, stateMachineArn),
  clock: runtimeClock,
  deployment: config.deployment,
  isGloballyPaused: () => killSwitch.isPaused(),
  runningRollingUpdates: () => running.running(),
};

export const handler = withMiddleware(
  findScheduledMaintenanceEventSchema,
  async () => {
    const actions = await findScheduledMaintenance(deps, config.user);
    observability.metrics.addMetric(
      'MaintenanceRefreshesStarted',
      'Count',
      actions.filter((a) => a.kind === 'started').length,
    );
    // Every run, zero included: the alarm on it has one period per daily run (OperationsDashboard).
    const unserved = unservedGroups(actions);
    observability.metrics.addMetric('MaintenanceGroupsUnserved', 'Count', unserved.length);
    for (const { groupName, unserved: event, reason } of unserved) {
      observability.logger.warn('scheduled maintenance left unserved', {
        groupName,
        firstEventAt: event.notBefore,
        firstEventCode: event.code,
        instanceId: event.instanceId,
        reason,
      });
    }
    observability.logger.info('scheduled maintenance scanned', { actions });
    const failures = actions.flatMap((a) => (a.kind === 'failed' ? [a] : []));
    if (failures.length > 0) throw new MaintenanceScanFailedError(failures);
    return { actions };
  },
  observability,
);
