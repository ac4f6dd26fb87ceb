import { ROLLING_UPDATE_REQUESTED } from '../../../shared/contracts/rolling-update';
import {
  ROLLING_UPDATE_PLAN_CANCEL_REQUESTED,
  ROLLING_UPDATE_PLAN_REQUESTED,
} from '../../../shared/contracts/update-plan';
import { eventBridgeEvent } from '../../helpers/lambda-events';
import type { ConfigurationWorld } from './configuration-world';
import { DEPLOY_REGION } from './deploy-configurations';

/** The functions the update-request scenario invokes, each as its deployed role. */
export const UPDATE_REQUEST_FUNCTIONS = [
  'request-rolling-update',
  'request-update-plan',
  'compute-update-plan',
  'lock-update-plan',
  'advance-update-plan',
  'release-update-plan',
  'cancel-update-plan',
] as const;

type Invoke = (functionName: string, event: unknown) => Promise<unknown>;

/** How to invoke a deployed function, and the update-plan events' dead-letter queue (its deployed URL). */
export interface UpdateRequestsDeployment {
  readonly invoke: Invoke;
  readonly deadLetterQueueUrl: string;
}

const PLAN_EXECUTION = 'matrix-plan';

/**
 * The update requests an operator sends and the plan functions the update-plan state machine
 * invokes, each through its real handler as its deployed role: a rolling-update request and a plan
 * request (each starts its state machine), the plan computed for the first enrolled group, its
 * locks taken, its first step decided, its locks released, and a cancel of it sent: the plan's
 * record is the state machine's to write, so the cancel finds none and goes to the dead-letter
 * queue with its reason, as the deployed role. Returns a summary per function; a handler that
 * throws is listed in `errors`.
 */
export async function runUpdateRequests(
  deployment: UpdateRequestsDeployment,
  built: ConfigurationWorld,
  errors: string[],
): Promise<string> {
  const { invoke, deadLetterQueueUrl } = deployment;
  const queueUrl = built.world.createQueue(deadLetterQueueUrl.slice(deadLetterQueueUrl.lastIndexOf('/') + 1));
  if (queueUrl !== deadLetterQueueUrl)
    throw new Error(`the world's queue ${queueUrl} is not the deployed ${deadLetterQueueUrl}`);
  const groupName = built.enrolled[0]?.name as string;
  const nowMs = built.world.clock.nowMs();
  const call = async (name: string, event: unknown): Promise<Record<string, unknown>> => {
    try {
      return ((await invoke(name, event)) ?? {}) as Record<string, unknown>;
    } catch (error) {
      errors.push(`${name}: ${(error as Error).name}: ${(error as Error).message}`);
      return { error: (error as Error).name };
    }
  };
  const update = { groupName, launchTemplateVersion: '1' };
  const started = built.executions.length;
  const outcomes: string[] = [];
  const single = await call(
    'request-rolling-update',
    eventBridgeEvent(ROLLING_UPDATE_REQUESTED, update, {
      id: 'matrix-update',
      timeMs: nowMs,
      region: DEPLOY_REGION,
    }),
  );
  const request = { groups: [update] };
  const plan = await call(
    'request-update-plan',
    eventBridgeEvent(ROLLING_UPDATE_PLAN_REQUESTED, request, {
      id: 'matrix-plan',
      timeMs: nowMs,
      region: DEPLOY_REGION,
    }),
  );
  outcomes.push(
    `requests: ${String(single.kind ?? single.error)}, ${String(plan.kind ?? plan.error)}; ${built.executions.length - started} execution(s) started`,
  );
  const computed = await call('compute-update-plan', { request, executionName: PLAN_EXECUTION });
  outcomes.push(`plan ${String(computed.outcome ?? computed.error)}`);
  if (computed.outcome === 'planned') {
    const locked = await call('lock-update-plan', { plan: computed });
    const step = await call('advance-update-plan', { plan: computed });
    const released = await call('release-update-plan', { plan: computed });
    outcomes.push(
      `lock ${String(locked.kind ?? locked.error)}, step ${String(step.action ?? step.error)}, release ${released.error ? String(released.error) : 'done'}`,
    );
  }
  const cancel = { planExecutionName: PLAN_EXECUTION, reason: 'deploy matrix' };
  const cancelled = await call(
    'cancel-update-plan',
    eventBridgeEvent(ROLLING_UPDATE_PLAN_CANCEL_REQUESTED, cancel, {
      id: 'matrix-cancel',
      timeMs: nowMs,
      region: DEPLOY_REGION,
    }),
  );
  const deadLetters = built.world.drainQueue(deadLetterQueueUrl).length;
  outcomes.push(`cancel ${String(cancelled.kind ?? cancelled.error)}, ${deadLetters} dead letter(s)`);
  return outcomes.join('; ');
}
