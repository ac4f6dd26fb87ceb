import { lazyClients } from '../../shared/aws/aws-clients';
import { dynamoDbClient } from '../../shared/aws/dynamo-db-client';
import { DynamoDbUpdatePlanStore } from '../../shared/aws/dynamo-db-update-plan-store';
import { loadRuntimeConfig } from '../../shared/aws/load-runtime-config';
import { createObservability } from '../../shared/aws/powertools';
import { runtimeClock } from '../../shared/aws/runtime-clock';
import { withMiddleware } from '../../shared/aws/with-middleware';
import { advanceUpdatePlanFunctionEventSchema } from '../../shared/contracts/update-plan';
import { cutChildDetail } from '../../shared/core/update-plan/child-detail';
import { advanceUpdatePlan } from '../../shared/usecases/advance-update-plan';

const config = loadRuntimeConfig();
const observability = createObservability('advance-update-plan');
const clients = lazyClients({ dynamoDb: dynamoDbClient }, observability.tracer);
const deps = {
  plans: new DynamoDbUpdatePlanStore(clients.dynamoDb, config.stateTableName),
  clock: runtimeClock,
};

export const handler = withMiddleware(
  advanceUpdatePlanFunctionEventSchema,
  async (event) => {
    // A slot's child that failed or was held: its detail cut to size before the Map collects it.
    // Pure and rare, so the plan's deciding function does it rather than one of its own.
    if ('report' in event) return cutChildDetail(event.report);
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
