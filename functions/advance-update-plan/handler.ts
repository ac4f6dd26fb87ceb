import { lazyClients } from '../../shared/aws/aws-clients';
import { dynamoDbClient } from '../../shared/aws/dynamo-db-client';
import { DynamoDbUpdatePlanStore } from '../../shared/aws/dynamo-db-update-plan-store';
import { loadRuntimeConfig } from '../../shared/aws/load-runtime-config';
import { createObservability } from '../../shared/aws/powertools';
import { runtimeClock } from '../../shared/aws/runtime-clock';
import { withMiddleware } from '../../shared/aws/with-middleware';
import { advanceUpdatePlanEventSchema } from '../../shared/contracts/update-plan';
import { advanceUpdatePlan } from '../../shared/usecases/advance-update-plan';

const config = loadRuntimeConfig();
const observability = createObservability('advance-update-plan');
const clients = lazyClients({ dynamoDb: dynamoDbClient }, observability.tracer);
const deps = {
  plans: new DynamoDbUpdatePlanStore(clients.dynamoDb, config.stateTableName),
  clock: runtimeClock,
};

export const handler = withMiddleware(
  advanceUpdatePlanEventSchema,
  async (event) => {
    const step = await advanceUpdatePlan(deps, event);
    observability.logger.info('update plan step decided', {
      planName: event.plan.planName,
      action: step.action,
      label: step.label,
    });
    return step;
  },
  observability,
);
