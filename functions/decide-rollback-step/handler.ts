import { createObservability } from '../../shared/aws/powertools';
import { runtimeClock } from '../../shared/aws/runtime-clock';
import { withMiddleware } from '../../shared/aws/with-middleware';
import { workflowStateSchema } from '../../shared/contracts/rolling-update';
import { decideRollbackStep } from '../../shared/usecases/decide-rollback-step';

const observability = createObservability('decide-rollback-step');
const deps = { clock: runtimeClock };

export const handler = withMiddleware(
  workflowStateSchema,
  async (state) => {
    const step = await decideRollbackStep(deps, state);
    observability.logger.info('rollback step decided', { groupName: state.plan.groupName, ...step });
    return step;
  },
  observability,
);
