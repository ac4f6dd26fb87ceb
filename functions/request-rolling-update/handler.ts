import { lazyClients, sfnClient } from '../../shared/aws/aws-clients';
import { loadRuntimeConfig } from '../../shared/aws/load-runtime-config';
import { createObservability } from '../../shared/aws/powertools';
import { StepFunctionsWorkflowStarter } from '../../shared/aws/step-functions-workflow-starter';
import { withMiddleware } from '../../shared/aws/with-middleware';
import { ENV } from '../../shared/contracts/env';
import { rollingUpdateRequestedEventSchema } from '../../shared/contracts/rolling-update-events';
import { requestRollingUpdate } from '../../shared/usecases/request-rolling-update';

const config = loadRuntimeConfig(process.env, [ENV.rollingUpdateStateMachineArn]);
const observability = createObservability('request-rolling-update');
const clients = lazyClients({ sfn: sfnClient }, observability.tracer);
const deps = {
  starter: new StepFunctionsWorkflowStarter(
    clients.sfn,
    config.env[ENV.rollingUpdateStateMachineArn] as string,
  ),
};

export const handler = withMiddleware(
  rollingUpdateRequestedEventSchema,
  async (event) => {
    const start = await requestRollingUpdate(deps, event);
    observability.logger.info('rolling update requested', { eventId: event.id, ...start });
    return start;
  },
  observability,
);
