import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Context } from 'aws-lambda';
import { build, type Plugin } from 'esbuild';
import { CAMPAIGN_ENV } from '../../contracts/campaign-events';
import { ENV } from '../../contracts/env';
import type { PrescaleLambdas } from '../run/prescale-lambdas';
import type { SimulatedWorld } from '../world/simulated-world';

type Handler = (event: unknown, context: Context) => Promise<unknown>;

const REPO_ROOT = path.resolve(__dirname, '../../..');
const ACCOUNT = '123456789012';
const DLQ_NAME = 'prescale-campaign-dlq';

/** Modules shared with the simulation (one instance, so `overrideAwsTransport` reaches the handler). */
const SHARED_MODULES = [
  'shared/aws/aws-clients.ts',
  'shared/aws/runtime-clock.ts',
  'shared/core/forecast/forecast-demand.ts',
].map((p) => path.join(REPO_ROOT, p));

function resolveSource(base: string): string | undefined {
  for (const candidate of [base, `${base}.ts`, path.join(base, 'index.ts')])
    if (existsSync(candidate) && !candidate.endsWith('/')) return candidate;
  return undefined;
}

/** Bundles `functions/receive-campaign-event/handler.ts` as `bundleHandlers` does the loop's handlers. */
async function bundleReceiveCampaignEvent(): Promise<string> {
  const outdir = mkdtempSync(path.join(tmpdir(), 'prescale-campaign-'));
  const externalize: Plugin = {
    name: 'prescale-scenario-externals',
    setup(b) {
      b.onResolve({ filter: /.*/ }, (args) => {
        if (args.kind === 'entry-point') return undefined;
        const bare = !args.path.startsWith('.') && !path.isAbsolute(args.path);
        if (bare) {
          try {
            return { path: require.resolve(args.path, { paths: [args.resolveDir] }), external: true };
          } catch {
            return undefined;
          }
        }
        const source = resolveSource(path.resolve(args.resolveDir, args.path));
        if (source && SHARED_MODULES.includes(source)) return { path: source, external: true };
        return undefined;
      });
    },
  };
  await build({
    entryPoints: {
      'receive-campaign-event': path.join(REPO_ROOT, 'functions/receive-campaign-event/handler.ts'),
    },
    outdir,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    keepNames: true,
    logLevel: 'silent',
    plugins: [externalize],
  });
  return path.join(outdir, 'receive-campaign-event.js');
}

/** Scheduler schedules the campaign handler created, by name (the pre-warm Lambda is not simulated). */
export type SimulatedSchedules = Map<string, { readonly expression: string; readonly input: string }>;

/**
 * Teaches `world` the EventBridge Scheduler calls the campaign handler makes (Create, Update,
 * Delete schedule), by wrapping its transport answer; everything else still goes to the world.
 * Returns the schedules created. Idempotent per world.
 */
export function answerSchedulerCalls(world: SimulatedWorld): SimulatedSchedules {
  const known = wrapped.get(world);
  if (known) return known;
  const schedules: SimulatedSchedules = new Map();
  const inner = world.answer;
  const answer = async (service: string, commandName: string, input: unknown): Promise<unknown> => {
    if (service !== 'scheduler') return inner(service, commandName, input);
    const i = (input ?? {}) as { Name?: string; ScheduleExpression?: string; Target?: { Input?: string } };
    const arn = `arn:aws:scheduler:${world.region}:${ACCOUNT}:schedule/prescale-campaigns/${i.Name}`;
    switch (commandName) {
      case 'CreateScheduleCommand':
        if (i.Name && schedules.has(i.Name)) {
          throw Object.assign(new Error(`Schedule ${i.Name} already exists.`), { name: 'ConflictException' });
        }
        schedules.set(i.Name ?? '', { expression: i.ScheduleExpression ?? '', input: i.Target?.Input ?? '' });
        return { ScheduleArn: arn };
      case 'UpdateScheduleCommand':
        schedules.set(i.Name ?? '', { expression: i.ScheduleExpression ?? '', input: i.Target?.Input ?? '' });
        return { ScheduleArn: arn };
      case 'DeleteScheduleCommand':
        schedules.delete(i.Name ?? '');
        return {};
      default:
        return inner(service, commandName, input);
    }
  };
  // The world's `answer` is what the transport trampoline calls; replace it on this instance only.
  Object.defineProperty(world, 'answer', { value: answer });
  wrapped.set(world, schedules);
  return schedules;
}

const wrapped = new WeakMap<SimulatedWorld, SimulatedSchedules>();
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
      [ENV.schedulerGroupName]: 'prescale-campaigns',
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
  answerSchedulerCalls(world);
  world.createQueue(DLQ_NAME);
  return handler(event, {
    callbackWaitsForEmptyEventLoop: true,
    functionName: 'prescale-receive-campaign-event',
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:us-east-1:${ACCOUNT}:function:prescale-receive-campaign-event`,
    memoryLimitInMB: '256',
    awsRequestId: '00000000-0000-4000-8000-c0000000000a',
    logGroupName: '/aws/lambda/prescale-receive-campaign-event',
    logStreamName: '2024/01/01/[$LATEST]simulation',
    getRemainingTimeInMillis: () => 60_000,
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  });
}
