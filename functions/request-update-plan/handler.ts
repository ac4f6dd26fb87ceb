import { lazyClients, sfnClient, sqsClient } from '../../shared/aws/aws-clients';
import { loadRuntimeConfig } from '../../shared/aws/load-runtime-config';
import { createObservability } from '../../shared/aws/powertools';
import { SqsCampaignDeadLetters } from '../../shared/aws/sqs-campaign-dead-letters';
import { StepFunctionsWorkflowStarter } from '../../shared/aws/step-functions-workflow-starter';
import { withMiddleware } from '../../shared/aws/with-middleware';
import { ENV } from '../../shared/contracts/env';
import { updatePlanRequestedEventSchema } from '../../shared/contracts/update-plan-events';
import { requestUpdatePlan } from '../../shared/usecases/request-update-plan';

const config = loadRuntimeConfig(process.env, [
  ENV.updatePlanStateMachineArn,
  ENV.updatePlanDeadLetterQueueUrl,
]);
const observability = createObservability('request-update-plan');
const clients = lazyClients({ sfn: sfnClient, sqs: sqsClient }, observability.tracer);
const deps = {
  starter: new StepFunctionsWorkflowStarter(clients.sfn, config.env[ENV.updatePlanStateMachineArn] as string),
  deadLetters: new SqsCampaignDeadLetters(
    clients.sqs,
    config.env[ENV.updatePlanDeadLetterQueueUrl] as string,
  ),
};

export const handler = withMiddleware(
  updatePlanRequestedEventSchema,
  async (event) => {
    const start = await requestUpdatePlan(deps, event);
    observability.logger.info('update plan requested', { eventId: event.id, ...start });
    return start;
  },
  observability,
);
