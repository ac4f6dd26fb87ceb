import { DeleteItemCommand, DynamoDBClient, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import type { Context } from 'aws-lambda';
import { baseConfig, overrideAwsTransport, routedTo } from '../../aws/aws-transport';
import { DynamoDbStateStore } from '../../aws/dynamo-db-state-store';
import { overrideRuntimeClock, overrideRuntimeSleep } from '../../aws/runtime-clock';
import { ENV } from '../../contracts/env';
import {
  DISPATCHER_TIMEOUT_SECONDS,
  WORKER_MEMORY_MB,
  workerTimeoutSeconds,
} from '../../contracts/function-timeouts';
import { parseConfig } from '../../contracts/parse-config';
import { type UserConfigInput, userConfigSchema } from '../../contracts/user-config';
import type { RunRecord } from '../../ports/state-store';
import type { MemoizedForecast } from '../../usecases/memoize-forecast';
import { warmForecastDemand } from '../../usecases/warm-forecast-demand';
import { warmHistoryStore } from '../../usecases/warm-metric-history';
import {
  AWS_CHECKS_REPORT_DIR,
  activeAwsRequestChecks,
  installAwsRequestChecks,
  runAsHandler,
} from '../aws-checks/installed-checks';
import { sentInput } from '../world/refuse-malformed-request';
import type { SimulatedWorld } from '../world/simulated-world';
import { bundleHandlers } from './bundle-handlers';
import { checkedDynamoDbRequests } from './checked-dynamo-db-requests';
import { dynaliteAnswers } from './dynalite-answers';
import {
  GROUP_WORK_QUEUE_NAME,
  type GroupWorkDelivered,
  GroupWorkQueue,
  type GroupWorkSqsEvent,
} from './group-work-queue';
import { type InProcessDynalite, startInProcessDynalite } from './in-process-dynalite';
import { type SimulatedInvocationTime, simulatedLambdaContext } from './lambda-context';
import { recreateStateTable } from './recreate-state-table';

type Handler = (event: unknown, context: Context) => Promise<unknown>;

/** What one scheduled tick did. */
export interface PrescaleTick extends GroupWorkDelivered {
  readonly handlerErrors: readonly string[];
}

const TABLE = 'prescale-simulation-state';
/**
 * The simulated deployment's name, what its ownership tags say (`prescale:deployment`): the
 * stack name of infra/app.ts, which the deployment checks' intrinsics resolve `AWS::StackName` to,
 * so the tag the worker writes is the one its synthesized grant allows.
 */
export const SIMULATED_DEPLOYMENT = 'Prescale';

/** The DynamoDB item operations Prescale's state machines perform on the state table (and a read-back). */
const STATE_TABLE_COMMANDS = {
  PutItem: (params: never) => new PutItemCommand(params),
  DeleteItem: (params: never) => new DeleteItemCommand(params),
  GetItem: (params: never) => new GetItemCommand(params),
} as const;
export type StateTableOperation = keyof typeof STATE_TABLE_COMMANDS;
const KILL_SWITCH = '/prescale/kill-switch';

let started: { lambdas: PrescaleLambdas; configJson: string } | undefined;

/**
 * Prescale's real Lambda handlers (`functions/dispatch-scaling-run`, `functions/scale-groups`),
 * bundled by esbuild as for Lambda (see `bundleHandlers`), running unchanged against a simulated
 * world: the SDK transport answers from the world
 * (`overrideAwsTransport`), the runtime clock is the world's virtual clock
 * (`overrideRuntimeClock`; a handler's sleep moves it on, `overrideRuntimeSleep`), and DynamoDB
 * is a real implementation (dynalite) served in-process.
 *
 * Handlers are modules, loaded once per process with their environment and configuration, so
 * this is a per-process singleton: `start` once, `attach` a fresh world per run (the state table
 * is recreated empty), `stop` at the end. The transport and clock are trampolines to the world
 * attached now.
 */
export class PrescaleLambdas {
  private world: SimulatedWorld | undefined;
  private requestCounter = 0;
  private workQueue: GroupWorkQueue | undefined;
  /** Fault-injection hook: worker invocations abandoned at their deadline (see `tick`). */
  private readonly abandoned: Promise<unknown>[] = [];

  private constructor(
    private readonly dynamoDb: DynamoDBClient,
    /** The state table as the simulation reads it back (`runRecords`), through Prescale's adapter. */
    private readonly records: DynamoDbStateStore,
    private readonly dispatch: Handler,
    private readonly worker: Handler,
    /** The worker's deployed timeout (`workerTimeoutSeconds` of the configuration's schedule). */
    private readonly workerTimeoutSeconds: number,
    /** The worker's warm forecast cache: hits and refits since this process started. */
    readonly forecastStats: MemoizedForecast['stats'],
  ) {}

  /**
   * Starts dynalite, sets the Lambda environment and loads the handlers. `deployment` is the
   * stack name the handlers run as (a deployment check passes its template's).
   * @throws Error when already started in this process with a different configuration.
   */
  static async start(
    config: UserConfigInput,
    { deployment = SIMULATED_DEPLOYMENT }: { readonly deployment?: string } = {},
  ): Promise<PrescaleLambdas> {
    const configJson = JSON.stringify({ config, deployment });
    if (started) {
      if (started.configJson !== configJson) {
        throw new Error(
          'Prescale handlers are already loaded in this process with another configuration; run one configuration per process',
        );
      }
      return started.lambdas;
    }
    Object.assign(process.env, simulatedLambdaEnvironment(JSON.stringify(config), deployment));
    // esbuild bundles in its own process: started first, it works while this one loads dynalite.
    const bundling = bundleHandlers();
    const dynalite = startInProcessDynalite();
    const dynamoDb = dynalite.client();

    let current: PrescaleLambdas | undefined;
    routeAwsToWorld(dynalite, () => current?.world);
    // The checks (IAM simulator, API models) load only when `verify:deploy` asks for them.
    if (process.env[AWS_CHECKS_REPORT_DIR]) {
      const { installChecksFromEnvironment } =
        require('../aws-checks/checks-from-environment') as typeof import('../aws-checks/checks-from-environment');
      installChecksFromEnvironment(config, 'us-east-1');
    }
    const bundles = await bundling;
    const dispatch = (require(bundles.dispatchScalingRun) as { handler: Handler }).handler;
    const worker = (require(bundles.scaleGroups) as { handler: Handler }).handler;
    // The simulation's own reads answer from dynalite in place of the SDK's deserializer, as the
    // handlers' do (no JSON text or response parsing between them), and go through no deployment
    // check: they are not a handler's requests.
    const plainAnswer = dynaliteAnswers(dynalite.serve);
    const recordsClient = routedTo(new DynamoDBClient(baseConfig({})), 'dynamodb', (_service, name, input) =>
      plainAnswer(name, input),
    );
    const records = new DynamoDbStateStore(recordsClient, TABLE);
    const { scheduleRateMinutes } = parseConfig(userConfigSchema, config, 'simulation config');
    current = new PrescaleLambdas(
      dynamoDb,
      records,
      dispatch,
      worker,
      workerTimeoutSeconds(scheduleRateMinutes),
      warmForecastDemand.stats,
    );
    started = { lambdas: current, configJson };
    return current;
  }

  /** Points the handlers at `world`: creates the work queue and an empty state table. */
  async attach(world: SimulatedWorld): Promise<void> {
    this.world = world;
    // A new world is a new account: the worker's containers start without its history.
    warmHistoryStore.clear();
    this.workQueue = new GroupWorkQueue(world);
    await recreateStateTable(this.dynamoDb, TABLE);
  }

  /**
   * One scheduled tick at the world's current time: invokes the dispatcher as EventBridge
   * Scheduler would, then delivers the queued work to the worker as the deployed event source
   * mapping does, in SQS events of at most its batch size (`GROUP_WORK_DELIVERY`). A message the
   * worker reports in `batchItemFailures`, or of a failed invocation, returns to the queue until
   * its maxReceiveCount-th receive (with the deployed count of one: never), then moves to the
   * dead-letter queue (`deadLetters`).
   */
  async tick(
    /** Fault-injection hook: when `workerDeadline` settles first, the worker counts as timed out. */
    options: { readonly workerDeadline?: Promise<void> } = {},
  ): Promise<PrescaleTick> {
    const world = this.requireWorld();
    const handlerErrors: string[] = [];
    const scheduledTime = new Date(world.clock.nowMs()).toISOString();
    try {
      await asDeployedFunction('dispatch-scaling-run', () =>
        this.dispatch(
          { scheduledTime },
          simulatedLambdaContext(
            'prescale-dispatch-scaling-run',
            this.requestId(),
            this.invocationTime('dispatch-scaling-run', { timeoutSeconds: DISPATCHER_TIMEOUT_SECONDS }),
          ),
        ),
      );
    } catch (error) {
      handlerErrors.push(`dispatch: ${(error as Error).name}: ${(error as Error).message}`);
    }
    const delivered = await this.requireWorkQueue().deliver(
      // The fault hook's deadline is the first invocation's: it freezes at a call that one makes.
      (event, batchIndex) => this.invokeWorker(event, batchIndex === 0 ? options.workerDeadline : undefined),
      handlerErrors,
    );
    return { ...delivered, handlerErrors };
  }

  /** The group work the work queue's dead-letter queue holds, oldest first. */
  deadLetters(): ReturnType<GroupWorkQueue['deadLetters']> {
    return this.requireWorkQueue().deadLetters();
  }

  /**
   * The worker on one SQS batch: the ids it reports failed. When `deadline` settles first the
   * invocation is abandoned and fails as a Lambda timeout does.
   */
  private async invokeWorker(
    event: GroupWorkSqsEvent,
    deadline: Promise<void> | undefined,
  ): Promise<Set<string>> {
    const context = simulatedLambdaContext(
      'prescale-scale-groups',
      this.requestId(),
      this.invocationTime('scale-groups', {
        timeoutSeconds: this.workerTimeoutSeconds,
        memoryMB: WORKER_MEMORY_MB,
      }),
    );
    const invocation = asDeployedFunction('scale-groups', () => this.worker(event, context));
    if (deadline) this.abandoned.push(invocation.catch(() => undefined));
    const out = (await (deadline
      ? Promise.race([
          invocation,
          deadline.then(() => {
            // As Lambda reports a run past its timeout; the whole batch fails.
            throw Object.assign(new Error('Task timed out'), { name: 'Sandbox.Timedout' });
          }),
        ])
      : invocation)) as {
      batchItemFailures?: { itemIdentifier: string }[];
    };
    return new Set((out?.batchItemFailures ?? []).map((f) => f.itemIdentifier));
  }

  /** Fault-injection hook: waits for every worker invocation abandoned at its deadline to end. */
  async settleAbandoned(): Promise<void> {
    await Promise.all(this.abandoned.splice(0));
  }

  /**
   * An invocation's time on the attached world's clock for the function that runs `handler`: the
   * timeout and memory of the deployment being checked when checks are installed (its template
   * is what runs), else `deployed`, what the function's construct deploys.
   */
  invocationTime(
    handler: string,
    deployed: { readonly timeoutSeconds: number; readonly memoryMB?: number },
  ): SimulatedInvocationTime {
    const world = this.requireWorld();
    const limits = activeAwsRequestChecks()?.deployedLimits(handler) ?? deployed;
    return { ...limits, nowMs: () => world.clock.nowMs() };
  }

  /** Run records Prescale wrote for `groupName` since `sinceMs`, read through its own state-store adapter. */
  async runRecords(groupName: string, sinceMs: number): Promise<RunRecord[]> {
    return this.records.recentRunRecords(groupName, sinceMs);
  }

  /**
   * Sends a state machine's own DynamoDB task (the update plan's `Record plan`, the rolling
   * update's lock and records) to the state table the functions read, whatever table the deployed
   * task names; resolves to the service's answer, throws its error (`ConditionalCheckFailedException`).
   * The state machine's request, not a handler's: the caller checks it as the deployed state
   * machine's (`StateMachineTaskChecks`), and it goes through no handler check.
   */
  async stateTableTask(operation: StateTableOperation, input: Record<string, unknown>): Promise<unknown> {
    const make = STATE_TABLE_COMMANDS[operation];
    if (!make)
      throw new Error(`stateTableTask: DynamoDB ${operation} is not one Prescale's state machines send`);
    const command = make({ ...input, TableName: TABLE } as never);
    const { $metadata: _, ...answer } = (await this.dynamoDb.send(command as never)) as {
      $metadata: unknown;
    };
    return answer;
  }

  /** Removes the overrides and releases the in-memory DynamoDB. */
  async stop(): Promise<void> {
    installAwsRequestChecks(undefined);
    overrideAwsTransport(undefined);
    overrideRuntimeClock(undefined);
    overrideRuntimeSleep(undefined);
    this.dynamoDb.destroy();
    started = undefined;
  }

  private requireWorkQueue(): GroupWorkQueue {
    if (!this.workQueue) throw new Error('attach a simulated world before ticking');
    return this.workQueue;
  }

  private requireWorld(): SimulatedWorld {
    if (!this.world) throw new Error('attach a simulated world before ticking');
    return this.world;
  }

  private requestId(): string {
    this.requestCounter += 1;
    return `00000000-0000-4000-8000-${this.requestCounter.toString(16).padStart(12, '0')}`;
  }
}

/**
 * Runs a handler invocation as its deployed function when request checks are installed (they
 * authorize each request as that function's role). Without checks nothing reads the principal, so
 * the invocation runs directly: an async context would cost a hook on every promise of the tick.
 */
function asDeployedFunction<T>(handler: string, fn: () => T): T {
  return activeAwsRequestChecks() ? runAsHandler(handler, fn) : fn();
}

/** The Lambda environment the deployed functions get, with the simulation's stand-ins. */
function simulatedLambdaEnvironment(configJson: string, deployment: string): Record<string, string> {
  return {
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'AKIASIMULATION00000',
    AWS_SECRET_ACCESS_KEY: 'simulation-secret',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    POWERTOOLS_LOG_LEVEL: 'SILENT',
    POWERTOOLS_METRICS_DISABLED: 'true',
    POWERTOOLS_TRACE_ENABLED: 'false',
    POWERTOOLS_DEV: 'false',
    // Tracing is off here; manual mode keeps the X-Ray SDK from installing its async hooks, which
    // would otherwise run on every promise the simulation creates.
    AWS_XRAY_MANUAL_MODE: 'true',
    [ENV.config]: configJson,
    [ENV.stateTableName]: TABLE,
    [ENV.deployment]: deployment,
    [ENV.groupQueueUrl]: `https://sqs.us-east-1.amazonaws.com/123456789012/${GROUP_WORK_QUEUE_NAME}`,
    [ENV.killSwitchParameterName]: KILL_SWITCH,
  };
}

/**
 * The handlers' AWS calls answered by the attached world (DynamoDB by dynalite, with the
 * deployment's checks when installed), their clock read from it and their sleeps moving it on.
 */
function routeAwsToWorld(dynalite: InProcessDynalite, attachedWorld: () => SimulatedWorld | undefined): void {
  const dynamoDbAnswer = dynaliteAnswers(checkedDynamoDbRequests(dynalite.serve, attachedWorld));
  overrideAwsTransport({
    answer: async (service, commandName, command) => {
      if (service === 'dynamodb') return dynamoDbAnswer(commandName, command);
      const input = sentInput(service, commandName, command);
      // The deployed account's IAM and the API models, when a check installed them (aws-checks).
      await activeAwsRequestChecks()?.check(attachedWorld(), service, commandName, input);
      const world = attachedWorld();
      if (!world) throw new Error(`no simulated world attached for ${service} ${commandName}`);
      return world.answer(service, commandName, input);
    },
  });
  overrideRuntimeClock({
    nowMs: () => {
      const world = attachedWorld();
      if (!world) throw new Error('no simulated world attached to read the clock');
      return world.clock.nowMs();
    },
  });
  // A handler's wait (the remover's for a scaling run) passes on the world's clock, at once.
  overrideRuntimeSleep(async (ms) => {
    const world = attachedWorld();
    if (!world) throw new Error('no simulated world attached to sleep on');
    world.advanceTo(world.clock.nowMs() + ms);
  });
}
