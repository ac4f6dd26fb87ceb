import { createObservability, type Observability } from '../../shared/aws/powertools';
import { ENV } from '../../shared/contracts/env';
import { TEST_STACK_NAME } from './build-test-app';
import { builtAt } from './powertools-output';

/**
 * The scaling worker's observability as deployed in `buildTestApp`'s stack: its environment names
 * the stack (`PRESCALE_DEPLOYMENT`), so its metrics carry the `deployment` dimension the stack's
 * alarms watch; metrics on, logging at ERROR.
 */
export function deployedWorkerObservability(): Observability {
  process.env[ENV.deployment] = TEST_STACK_NAME;
  return builtAt('ERROR', () => createObservability('scale-groups'));
}
