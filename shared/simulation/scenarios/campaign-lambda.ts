import type { Context } from 'aws-lambda';
import { CAMPAIGN_ENV } from '../../contracts/campaign-events';
import { DEAD_LETTER_MAX_MESSAGE_BYTES } from '../../contracts/dead-letter-queue';
import { ENV } from '../../contracts/env';
import { DEFAULT_FUNCTION_TIMEOUT_SECONDS } from '../../contracts/function-timeouts';
import { activeAwsRequestChecks, type EventEnvelope, runAsHandler } from '../aws-checks/installed-checks';
import { bundleFunctions } from '../run/bundle-handlers';
import { invokeLambda } from '../run/invoke-lambda';
import { simulatedLambdaContext } from '../run/lambda-context';
import type { PrescaleLambdas } from '../run/prescale-lambdas';
import type { SimulatedScheduler } from '../world/simulated-scheduler';
import type { SimulatedWorld } from '../world/simulated-world';

type Handler = (event: unknown, context: Context) => Promise<unknown>;

const ACCOUNT = '123456789012';
const DLQ_NAME = 'prescale-campaign-dlq';

/** Bundles `functions/receive-campaign-event/handler.ts` as `bundleHandlers` does the loop's handlers. */
async function bundleReceiveCampaignEvent(): Promise<string> {
  const bundles = await bundleFunctions(['receive-campaign-event']);
  return bundles['receive-campaign-event'] as string;
}

/** The schedule group the receiver is configured with here (the stack's, aliased by the deploy checks). */
export const CAMPAIGN_SCHEDULE_GROUP = 'prescale-campaigns';

/**
 * Creates the campaign schedule group in `world`'s Scheduler, as the stack's
 * `AWS::Scheduler::ScheduleGroup` would have before the receiver runs, and returns that Scheduler
 * (its schedules, and the invocations of those that came due). Idempotent.
 */
export function createCampaignScheduleGroup(world: SimulatedWorld): SimulatedScheduler {
  world.services.scheduler.createScheduleGroup(CAMPAIGN_SCHEDULE_GROUP);
  return world.services.scheduler;
}

/** One handler module per started `PrescaleLambdas`: its clients hold that start's transport and DynamoDB endpoint. */
const loaded = new WeakMap<PrescaleLambdas, Promise<Handler>>();

/**
 * Prescale's real `receive-campaign-event` handler, bundled like the loop's handlers and invoked
 * against the world attached to `lambdas` (started: it sets the transport, the clock, DynamoDB and
 * the configuration the handler reads when it loads). The campaign is written to the same state
 * table the scale-groups handler reads through its campaign calendar.
 */
export async function sendCampaignEvent(
  lambdas: PrescaleLambdas,
  world: SimulatedWorld,
  event: unknown,
): Promise<unknown> {
  let handlerLoad = loaded.get(lambdas);
  if (!handlerLoad) {
    Object.assign(process.env, {
      [ENV.schedulerGroupName]: CAMPAIGN_SCHEDULE_GROUP,
      [ENV.schedulerRoleArn]: `arn:aws:iam::${ACCOUNT}:role/prescale-scheduler`,
      [ENV.prewarmFunctionArn]: `arn:aws:lambda:us-east-1:${ACCOUNT}:function:prescale-prewarm-campaign`,
      [CAMPAIGN_ENV.deadLetterQueueUrl]: `https://sqs.us-east-1.amazonaws.com/${ACCOUNT}/${DLQ_NAME}`,
      [CAMPAIGN_ENV.deadLetterQueueArn]: `arn:aws:sqs:us-east-1:${ACCOUNT}:${DLQ_NAME}`,
    });
    handlerLoad = bundleReceiveCampaignEvent().then(
      (file) => (require(file) as { handler: Handler }).handler,
    );
    loaded.set(lambdas, handlerLoad);
  }
  const handler = await handlerLoad;
  // With a deployment checked, the event reaches the receiver only if that deployment's rules route it there.
  const delivered =
    activeAwsRequestChecks()?.deliveredEvent?.(
      event as EventEnvelope,
      'receive-campaign-event',
      world.clock.nowMs(),
    ) ?? event;
  createCampaignScheduleGroup(world);
  world.createQueue(DLQ_NAME, DEAD_LETTER_MAX_MESSAGE_BYTES);
  return runAsHandler('receive-campaign-event', () =>
    handler(
      delivered,
      // The receiver deploys with the default timeout and memory (`Campaigns`' Receiver).
      simulatedLambdaContext(
        'prescale-receive-campaign-event',
        '00000000-0000-4000-8000-c0000000000a',
        lambdas.invocationTime('receive-campaign-event', {
          timeoutSeconds: DEFAULT_FUNCTION_TIMEOUT_SECONDS,
        }),
      ),
    ),
  );
}

/** One campaign schedule Scheduler fired, and what the pre-warm function returned or threw. */
export interface DeliveredCampaignAction {
  readonly scheduleName: string;
  readonly invokedAtMs: number;
  readonly result?: unknown;
  readonly error?: string;
}

/** What each world's fired campaign schedules did, in order. */
const deliveredActions = new WeakMap<SimulatedWorld, DeliveredCampaignAction[]>();

/**
 * The campaign actions `deliverFiredCampaignActions` has handed to the pre-warm function in
 * `world`: a live list, so one taken before the run fills as it goes.
 */
export function deliveredCampaignActions(world: SimulatedWorld): readonly DeliveredCampaignAction[] {
  return actionsOf(world);
}

function actionsOf(world: SimulatedWorld): DeliveredCampaignAction[] {
  const known = deliveredActions.get(world);
  if (known) return known;
  const created: DeliveredCampaignAction[] = [];
  deliveredActions.set(world, created);
  return created;
}

/**
 * Hands each campaign schedule that fired since the last call to Prescale's real
 * `prewarm-campaign` handler, its `Target.Input` as the event, as Scheduler invokes the deployed
 * function: the pre-warm and release then act beside the scaling loop, as they do in an account.
 * A failed invocation is returned as a handler error (Scheduler's retries are not simulated).
 */
export async function deliverFiredCampaignActions(
  lambdas: PrescaleLambdas,
  world: SimulatedWorld,
): Promise<string[]> {
  const fired = world.services.scheduler.invocations().filter((i) => i.groupName === CAMPAIGN_SCHEDULE_GROUP);
  const delivered = actionsOf(world);
  const errors: string[] = [];
  for (const { scheduleName, invokedAtMs, input } of fired.slice(delivered.length)) {
    try {
      const result = await invokeLambda(lambdas, 'prewarm-campaign', JSON.parse(input ?? '{}'));
      delivered.push({ scheduleName, invokedAtMs, result });
    } catch (e) {
      const error = `${(e as Error).name}: ${(e as Error).message}`;
      delivered.push({ scheduleName, invokedAtMs, error });
      errors.push(`prewarm-campaign (${scheduleName}): ${error}`);
    }
  }
  return errors;
}
