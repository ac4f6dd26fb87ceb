import { AutoScalingScalingTarget } from '../../shared/aws/auto-scaling-scaling-target';
import {
  autoScalingClient,
  cloudWatchClient,
  ec2Client,
  lazyClients,
  ssmClient,
} from '../../shared/aws/aws-clients';
import { CloudWatchAlarmStates } from '../../shared/aws/cloud-watch-alarm-states';
import { dynamoDbClient } from '../../shared/aws/dynamo-db-client';
import { DynamoDbDiscoveredDependencyStore } from '../../shared/aws/dynamo-db-discovered-dependency-store';
import { DynamoDbStateStore } from '../../shared/aws/dynamo-db-state-store';
import { DynamoDbUpdatePlanStore } from '../../shared/aws/dynamo-db-update-plan-store';
import { Ec2InstanceCatalog } from '../../shared/aws/ec2-instance-catalog';
import { loadRuntimeConfig } from '../../shared/aws/load-runtime-config';
import { createObservability } from '../../shared/aws/powertools';
import { runtimeClock } from '../../shared/aws/runtime-clock';
import { SsmKillSwitch } from '../../shared/aws/ssm-kill-switch';
import { withMiddleware } from '../../shared/aws/with-middleware';
import { ENV } from '../../shared/contracts/env';
import { validateRollingUpdateEventSchema } from '../../shared/contracts/rolling-update';
import { validateRollingUpdate } from '../../shared/usecases/validate-rolling-update';

const config = loadRuntimeConfig(process.env, [ENV.killSwitchParameterName]);
const observability = createObservability('validate-rolling-update');
const clients = lazyClients(
  {
    autoScaling: autoScalingClient,
    cloudWatch: cloudWatchClient,
    dynamoDb: dynamoDbClient,
    ec2: ec2Client,
    ssm: ssmClient,
  },
  observability.tracer,
);
const killSwitch = new SsmKillSwitch(clients.ssm, config.env[ENV.killSwitchParameterName] as string, {
  logger: observability.logger,
});
const deps = {
  scalingTarget: new AutoScalingScalingTarget(clients.autoScaling),
  launchTemplates: new Ec2InstanceCatalog(clients.ec2),
  clock: runtimeClock,
  deployment: config.deployment,
  locks: new DynamoDbStateStore(clients.dynamoDb, config.stateTableName),
  planLocks: new DynamoDbUpdatePlanStore(clients.dynamoDb, config.stateTableName),
  discoveredDependencies: new DynamoDbDiscoveredDependencyStore(clients.dynamoDb, config.stateTableName),
  alarmStates: new CloudWatchAlarmStates(clients.cloudWatch),
  isGloballyPaused: () => killSwitch.isPaused(),
};

export const handler = withMiddleware(
  validateRollingUpdateEventSchema,
  async (event) => {
    const result = await validateRollingUpdate(deps, config.user, event);
    observability.logger.info('rolling update validated', {
      executionName: event.executionName,
      outcome: result.outcome,
      ...(result.outcome === 'rejected'
        ? { reason: result.reason }
        : { path: result.path, notes: result.notes }),
    });
    return result;
  },
  observability,
);
