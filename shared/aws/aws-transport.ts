/*
 * How every SDK client Prescale makes is configured, and the simulation's replacement for the
 * network under it. Apart from the client factories (`aws-clients.ts`), so that the simulation can
 * share this one instance with the handlers it bundles without loading every SDK client itself.
 */

/**
 * A replacement for the network under every client: the simulation answers each command from its
 * world (DynamoDB's from a real implementation, dynalite). Production never sets one.
 */
export interface AwsTransportOverride {
  /**
   * Called with every command's service, name and input (for DynamoDB, the marshalled input of
   * the document client); returns the command's output.
   */
  readonly answer: (service: string, commandName: string, input: unknown) => Promise<unknown>;
}

let transportOverride: AwsTransportOverride | undefined;

/** Routes clients created after this call through `override` (simulation and tests only). */
export function overrideAwsTransport(override: AwsTransportOverride | undefined): void {
  transportOverride = override;
}

/** The override set by `overrideAwsTransport`, if any (for client factories in other modules). */
export function awsTransportOverride(): AwsTransportOverride | undefined {
  return transportOverride;
}

/** Where and how a client is created: the region defaults to `AWS_REGION`. */
export interface AwsClientOptions {
  readonly region?: string;
  /**
   * How long one attempt of a call may take, from its request to the end of its answer, in
   * milliseconds; past it the attempt fails with a retryable `TimeoutError`. For a function whose
   * budget a stalled call must not eat (the remover answers CloudFormation before its timeout).
   * @default none: an attempt waits as long as the function runs (Timestream queries and large
   * GetMetricData answers may legitimately take long)
   */
  readonly requestTimeoutMs?: number;
}

/**
 * How long a client waits for a connection to an AWS endpoint, in milliseconds. A Lambda reaches
 * its region's endpoints in milliseconds; without a limit a connection that never completes waits
 * for the function's timeout. A tenth of the shortest function's (30 s), so a retry still fits.
 */
export const CONNECTION_TIMEOUT_MS = 3_000;

// Adaptive retry mode adds client-side rate limiting on throttling errors on top of jittered
// exponential backoff: https://docs.aws.amazon.com/sdkref/latest/guide/feature-retry-behavior.html
const RETRY = { retryMode: 'adaptive', maxAttempts: 5 } as const;

/** The options of the SDK's Node.js HTTP handler that `baseConfig` sets (`NodeHttpHandlerOptions`). */
export interface HttpHandlerTimeouts {
  readonly connectionTimeout: number;
  readonly requestTimeout?: number;
  readonly throwOnRequestTimeout?: boolean;
}

/**
 * The configuration every client starts from: region, adaptive retries, a connection timeout
 * (and a request timeout where asked) and a cached middleware chain. `cacheMiddleware` resolves
 * each command class's middleware once per client instead of on every `send` (less CPU per call on
 * a warm Lambda); Prescale adds all its middleware when it creates a client, before the first
 * call, so the cached chain is the complete one (DynamoDB's too: its adapters use the plain
 * client, since lib-dynamodb's document client rejects a cached chain).
 */
export function baseConfig(options: AwsClientOptions): {
  region?: string;
  retryMode: 'adaptive';
  maxAttempts: number;
  cacheMiddleware: boolean;
  requestHandler: HttpHandlerTimeouts;
} {
  const region = options.region ?? process.env.AWS_REGION;
  // The SDK's HTTP handler only logs a warning past `requestTimeout` unless told to fail the
  // attempt (`throwOnRequestTimeout`); the failed attempt is a TimeoutError, which it retries.
  const requestHandler: HttpHandlerTimeouts =
    options.requestTimeoutMs === undefined
      ? { connectionTimeout: CONNECTION_TIMEOUT_MS }
      : {
          connectionTimeout: CONNECTION_TIMEOUT_MS,
          requestTimeout: options.requestTimeoutMs,
          throwOnRequestTimeout: true,
        };
  return { ...RETRY, cacheMiddleware: true, requestHandler, ...(region ? { region } : {}) };
}

/** The part of an SDK client's middleware stack used here (its add() is overloaded per step). */
export type Middlewared = {
  middlewareStack: {
    add: (middleware: unknown, options: object) => void;
    addRelativeTo: (middleware: unknown, options: object) => void;
    remove: (name: string) => boolean;
    concat: <S>(from: S) => Middlewared['middlewareStack'];
  };
};

/**
 * The SDK steps that only turn a command into HTTP bytes and back (or log it). With the network
 * replaced by an answer they do no work that reaches the handler, so a routed client drops them
 * (the serializer is replaced by a pass-through: commands add their endpoint step relative to it;
 * the user-agent step too, see `dropUserAgentHeader`: Powertools adds its own relative to it).
 * `httpAuthSchemeMiddleware` resolves the identity (credentials) the signing step signs with.
 */
const WIRE_ONLY_MIDDLEWARE = [
  'loggerMiddleware',
  'contentLengthMiddleware',
  'hostHeaderMiddleware',
  'recursionDetectionMiddleware',
  'httpAuthSchemeMiddleware',
  'httpSigningMiddleware',
  'deserializerMiddleware',
];

/**
 * The endpoint step each command adds when it resolves works out the URL to send to and the region
 * and name to sign for, which only the serializer and the signing step read: a routed client
 * replaces it by a pass-through under the same name and place (SQS and EC2 place steps after it).
 */
const ENDPOINT_STEP = {
  name: 'endpointV2Middleware',
  relation: 'before',
  toMiddleware: 'serializerMiddleware',
  override: true,
} as const;

/**
 * Replaces the SDK's user-agent step, which only composes the `User-Agent` header (escaping and
 * joining a dozen fields on every call), by a pass-through under the same name, for clients whose
 * requests never leave the process; steps placed relative to it (Powertools' own user-agent
 * step) keep their place.
 */
export function dropUserAgentHeader(stack: Middlewared['middlewareStack']): void {
  stack.add((next: (args: object) => Promise<unknown>) => (args: object) => next(args), {
    step: 'build',
    priority: 'low',
    name: 'getUserAgentMiddleware',
    override: true,
  });
}

/**
 * Sends `client`'s commands to the transport override's `answer`, when one is set; production
 * clients are returned unchanged.
 */
export function routed<C>(client: C, service: string): C {
  const answer = transportOverride?.answer;
  return answer ? routedTo(client, service, answer) : client;
}

/**
 * Sends `client`'s commands to `answer` (see `routed`), whatever override is set: for the
 * simulation's own reads, which are not a handler's and go through none of its checks.
 */
export function routedTo<C>(client: C, service: string, answer: AwsTransportOverride['answer']): C {
  // Answers in place of the deserializer, inside the SDK's retry middleware: the real adaptive
  // retry policy still handles simulated throttling and the steps that shape the call
  // (Powertools' own) still run, while endpoint resolution, serializing, signing, the network
  // and parsing do not; the adapter's command input and the command's output are the SDK's.
  const stack = (client as unknown as Middlewared).middlewareStack;
  for (const name of WIRE_ONLY_MIDDLEWARE) stack.remove(name);
  // A command resolves on the stack `concat` builds from the client's and its own steps.
  const concat = stack.concat.bind(stack);
  stack.concat = (from) => {
    const combined = concat(from);
    combined.addRelativeTo(
      (next: (args: object) => Promise<unknown>) => (args: object) => next(args),
      ENDPOINT_STEP,
    );
    return combined;
  };
  dropUserAgentHeader(stack);
  // An empty request for the steps that decorate one (Powertools' user-agent step writes headers).
  stack.add(
    (next: (args: object) => Promise<unknown>) => (args: object) =>
      next({ ...args, request: { headers: {} } }),
    { step: 'serialize', name: 'serializerMiddleware', override: true },
  );
  stack.add(
    (_next: unknown, context: { commandName?: string }) => async (args: { input: unknown }) => ({
      output: {
        $metadata: { httpStatusCode: 200 },
        ...((await answer(service, context.commandName ?? 'UnknownCommand', args.input)) as object),
      },
    }),
    { step: 'deserialize', name: 'prescaleSimulatedTransport', priority: 'low' },
  );
  // Commands read `client.config` when they resolve, and the SDK's endpoint step copies it on
  // every call. The resolved configuration is a dictionary-mode object that V8 copies about 8×
  // slower than a fresh one with the same properties (getters kept): with the network gone,
  // that copy is a large share of a routed call. Each copy starts from its own class, so from
  // its own hidden class: copies built on one `{}` share V8's map transitions, which the
  // getters (distinct functions per client) make diverge until V8 gives the fourth and later
  // copies dictionary mode again (the worker's Auto Scaling, DynamoDB and SSM clients were).
  const routedClient = client as unknown as { config: object };
  routedClient.config = Object.defineProperties(
    new (class RoutedClientConfig {})(),
    Object.getOwnPropertyDescriptors(routedClient.config),
  );
  return client;
}
