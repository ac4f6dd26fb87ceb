import { DEAD_LETTER_MAX_MESSAGE_BYTES } from '../../../shared/contracts/dead-letter-queue';
import { ENV } from '../../../shared/contracts/env';
import { ROLLING_UPDATE_REQUESTED } from '../../../shared/contracts/rolling-update';
import {
  ROLLING_UPDATE_PLAN_CANCEL_REQUESTED,
  ROLLING_UPDATE_PLAN_REQUESTED,
} from '../../../shared/contracts/update-plan';
import {
  type AsyncInvocationOutcome,
  invokeAsynchronously,
} from '../../../shared/simulation/aws-checks/async-invocation';
import {
  type RequestType,
  type RoutedRequest,
  routedRequest,
} from '../../../shared/simulation/aws-checks/event-bus-routes';
import type { ConfigurationWorld } from './configuration-world';
import { runUpdatePlan, type UpdatePlanDeployment, type UpdatePlanRun } from './update-plan-run';

/** The functions the update-request scenario invokes, each as its deployed role. */
export const UPDATE_REQUEST_FUNCTIONS = [
  'request-rolling-update',
  'request-update-plan',
  'read-plan-calendar',
  'compute-update-plan',
  'lock-update-plan',
  'advance-update-plan',
  'release-update-plan',
  'cancel-update-plan',
] as const;

/**
 * How to invoke a deployed function and write the state table (`UpdatePlanDeployment`, less the
 * world), and the update-plan events' dead-letter queue (its deployed URL).
 */
export interface UpdateRequestsDeployment extends Omit<UpdatePlanDeployment, 'world'> {
  readonly deadLetterQueueUrl: string;
}

/**
 * What the update requests did: a summary, and the runs of the update-plan execution the plan
 * request started (its child updates succeeding, then failing).
 */
export interface UpdateRequestsRun {
  readonly detail: string;
  readonly plans?: readonly [UpdatePlanRun, UpdatePlanRun];
}

const UNRECORDED_PLAN = 'matrix-plan-never-started';

/** Cancels the plan that ran (`planExecutionName`) and one never started; returns each outcome. */
async function sendCancels(
  planExecutionName: string | undefined,
  send: (cancel: object, id: string) => Promise<Record<string, unknown>>,
): Promise<string[]> {
  const cancels: string[] = [];
  for (const [id, name] of [
    ['matrix-cancel', planExecutionName],
    ['matrix-cancel-unrecorded', UNRECORDED_PLAN],
  ] as const) {
    if (!name) continue;
    const result = await send({ planExecutionName: name, reason: 'deploy matrix' }, id);
    cancels.push(String(result.kind ?? result.error));
  }
  return cancels;
}

/** The plan execution as requested, then again with its child update failing (it ends by notifying the operators). */
async function runPlanTwice(
  deployment: UpdatePlanDeployment,
  execution: Parameters<typeof runUpdatePlan>[1],
): Promise<{ plan: UpdatePlanRun; failingPlan: UpdatePlanRun }> {
  const plan = await runUpdatePlan(deployment, execution);
  const failingPlan = await runUpdatePlan(
    deployment,
    { ...execution, name: `${execution.name}-f` },
    { childrenFail: true },
  );
  return { plan, failingPlan };
}

/**
 * The update requests an operator sends, each through its real handler as its deployed role: a
 * rolling-update request and a plan request (each starts its state machine); the plan request's
 * execution run on the deployed update-plan state machine (`runUpdatePlan`: its four functions as
 * deployed, its own calls checked as its role); then a cancel of that plan, which finds the record
 * the state machine wrote, and a cancel of a plan never started, which goes to the dead-letter
 * queue with its reason. Both requests are also sent again changed in the same minute: each finds
 * its name taken by another input and starts nothing (the update's requester fails, the plan's
 * request is a dead letter). A handler that throws is listed in `errors`.
 */
export async function runUpdateRequests(
  deployment: UpdateRequestsDeployment,
  built: ConfigurationWorld,
  errors: string[],
): Promise<UpdateRequestsRun> {
  const { invoke, deadLetterQueueUrl } = deployment;
  const queueUrl = built.world.createQueue(
    deadLetterQueueUrl.slice(deadLetterQueueUrl.lastIndexOf('/') + 1),
    DEAD_LETTER_MAX_MESSAGE_BYTES,
  );
  if (queueUrl !== deadLetterQueueUrl)
    throw new Error(`the world's queue ${queueUrl} is not the deployed ${deadLetterQueueUrl}`);
  const groupName = built.enrolled[0]?.name as string;
  const nowMs = built.world.clock.nowMs();
  const call = async ({ handler, event }: RoutedRequest): Promise<Record<string, unknown>> => {
    try {
      return ((await invoke(handler, event)) ?? {}) as Record<string, unknown>;
    } catch (error) {
      errors.push(`${handler}: ${(error as Error).name}: ${(error as Error).message}`);
      return { error: (error as Error).name };
    }
  };
  // Each request is put on the deployed bus as an operator sends it and reaches the function its
  // rule routes it to: a pattern that does not match the documented event fails here.
  const send = (type: RequestType, detail: unknown, id: string) =>
    routedRequest(deployment.account, type, detail, { id, nowMs });
  // As EventBridge invokes it: asynchronously, retried, its failure recorded in the on-failure queue.
  const resend = (routed: RoutedRequest) =>
    invokeAsynchronously(
      deployment.account,
      routed.handler,
      routed.event,
      () => invoke(routed.handler, routed.event),
      {
        nowMs,
        requestId: `matrix-${routed.event.id}`,
      },
    ).then((outcome) => deliverFailureRecord(built, outcome));
  const update = { groupName, launchTemplateVersion: '1' };
  const started = built.executions.length;
  const single = await call(send(ROLLING_UPDATE_REQUESTED, update, 'matrix-update'));
  // Two-hour slots: the plan runs twice on the same group, and the first leaves it as the loop
  // has it, so one whose refresh outgrows an hour (at 9 instances) would be refused for that.
  const planRequest = { groups: [update], slotMinutes: 120 };
  const requested = await call(send(ROLLING_UPDATE_PLAN_REQUESTED, planRequest, 'matrix-plan'));
  // The same requests changed and sent again in the same minute: their names are taken by another
  // input, so neither starts; the rolling update's fails (to its on-failure queue), the plan's is
  // a dead letter.
  const resentUpdate = await resend(
    send(ROLLING_UPDATE_REQUESTED, { ...update, force: true }, 'matrix-update-changed'),
  );
  const resentPlan = await call(
    send(ROLLING_UPDATE_PLAN_REQUESTED, { ...planRequest, maxConcurrentUpdates: 1 }, 'matrix-plan-changed'),
  );
  // A malformed request (no launch template version): refused with every bad field named, kept.
  const malformed = await resend(send(ROLLING_UPDATE_REQUESTED, { groupName }, 'matrix-update-malformed'));
  const executions = built.executions.slice(started);
  const outcomes = [
    `requests: ${String(single.kind ?? single.error)}, ${String(requested.kind ?? requested.error)}; changed in the same minute: ${resentUpdate}, ${String(resentPlan.kind ?? resentPlan.error)}; ${executions.length} execution(s) started`,
  ];
  // The plan request starts the state machine its function is deployed to start.
  const planMachineArn =
    deployment.account.functionFor('request-update-plan').environment[ENV.updatePlanStateMachineArn];
  const planExecution = executions.find((e) => e.stateMachineArn === planMachineArn);
  const { plan, failingPlan } = planExecution
    ? await runPlanTwice({ ...deployment, world: built.world }, planExecution)
    : {};
  outcomes.push(
    plan && failingPlan
      ? `plan ${plan.outcome}, ${plan.lambdaTasks.length} function task(s), ${plan.children.length} child update(s); with the child failing, ${failingPlan.outcome.split(':').slice(0, 2).join(':')}`
      : 'no plan execution started',
  );
  const cancels = await sendCancels(planExecution?.name, (cancel, id) =>
    call(send(ROLLING_UPDATE_PLAN_CANCEL_REQUESTED, cancel, id)),
  );
  const deadLetters = built.world.drainQueue(deadLetterQueueUrl).length;
  outcomes.push(`cancel ${cancels.join(', ')}, ${deadLetters} dead letter(s)`);
  outcomes.push(`malformed update request: ${malformed}`);
  return { detail: outcomes.join('; '), ...(plan && failingPlan ? { plans: [plan, failingPlan] } : {}) };
}

/**
 * Lambda's delivery of a failed asynchronous invocation's record to the function's on-failure
 * queue (in the world, where SQS's limits apply), then what that queue holds: the attempts, the
 * error and the record's reason, or the handler's answer when it succeeded.
 */
async function deliverFailureRecord(
  built: ConfigurationWorld,
  outcome: AsyncInvocationOutcome,
): Promise<string> {
  if (outcome.kind === 'succeeded') return String((outcome.result as { kind?: string }).kind);
  const url = outcome.destinationQueueUrl;
  if (!url) return `${outcome.error.name} after ${outcome.attempts} attempts, with no on-failure destination`;
  const name = url.slice(url.lastIndexOf('/') + 1);
  if (built.world.createQueue(name, DEAD_LETTER_MAX_MESSAGE_BYTES) !== url)
    throw new Error(`the world's queue ${name} is not the deployed ${url}`);
  await built.world.answer('sqs', 'SendMessageCommand', {
    QueueUrl: url,
    MessageBody: JSON.stringify(outcome.record),
  });
  const held = built.world.drainQueue(url).map((m) => JSON.parse(m.body) as typeof outcome.record);
  const reasons = held.map((r) => `${r.requestContext.condition}: ${r.responsePayload.errorMessage}`);
  return `${outcome.error.name} after ${outcome.attempts} attempts; on-failure queue: ${reasons.join(' | ')}`;
}
