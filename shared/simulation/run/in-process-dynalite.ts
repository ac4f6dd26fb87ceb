import { DynamoDBClient, type DynamoDBClientConfig } from '@aws-sdk/client-dynamodb';
import { type DynaliteExpressionParser, reuseExpressionParses } from './dynalite-expression-cache';
import { closeDynaliteStreams, type DynaliteLevelDb } from './dynalite-level-streams';
import { type CompiledTypeChecks, compileTypeChecks } from './dynalite-type-checks';

/** The SDK request handler type of the DynamoDB client. */
export type DynamoDbRequestHandler = NonNullable<DynamoDBClientConfig['requestHandler']>;

/** What DynamoDB answered to one operation: the HTTP status and the JSON body, parsed. */
export interface DynamoDbAnswer {
  readonly statusCode: number;
  readonly body: Record<string, unknown>;
}

/**
 * Serves one DynamoDB operation (`PutItem`, `Query`, …) given its JSON-protocol request body,
 * parsed: attribute values marshalled, bytes as base64. The body is the callee's to keep (dynalite
 * annotates it while it validates).
 */
export type ServeDynamoDbOperation = (
  operation: string,
  body: Record<string, unknown>,
) => Promise<DynamoDbAnswer>;

/** dynalite, a real DynamoDB implementation, answering in this process. */
export interface InProcessDynalite {
  /** Serves an operation with dynalite's validation, expression evaluation and storage. */
  readonly serve: ServeDynamoDbOperation;
  /** Give this to a DynamoDB client as `requestHandler`: each request is served without a socket. */
  readonly requestHandler: DynamoDbRequestHandler;
  /** A DynamoDB client served by this dynalite (table set-up and reads outside the handlers). */
  client(): DynamoDBClient;
}

/** The endpoint the clients name; nothing listens there: the request handler serves every request. */
export const IN_PROCESS_DYNALITE_ENDPOINT = 'http://dynalite.in-process';

// dynalite is CommonJS without types; these are the parts of its modules used here.
type DynaliteStore = object;
type ErrorWithAnswer = Error & { statusCode?: number; body?: Record<string, unknown> };
type ActionCallback = (error: ErrorWithAnswer | null, data?: Record<string, unknown>) => void;
type Action = (store: DynaliteStore, data: Record<string, unknown>, done: ActionCallback) => void;
interface ActionValidation {
  readonly types: object;
  readonly custom?: (data: object, store: DynaliteStore) => string | undefined;
}
interface Validations {
  checkTypes(data: object, types: object): Record<string, unknown>;
  checkValidations(data: object, types: object, custom: unknown, store: DynaliteStore): void;
}

// The operations dynalite implements (its `validOperations`), each an action and its validation.
const OPERATIONS = new Set([
  'BatchGetItem',
  'BatchWriteItem',
  'CreateTable',
  'DeleteItem',
  'DeleteTable',
  'DescribeTable',
  'DescribeTimeToLive',
  'GetItem',
  'ListTables',
  'PutItem',
  'Query',
  'Scan',
  'TagResource',
  'UntagResource',
  'ListTagsOfResource',
  'UpdateItem',
  'UpdateTable',
]);

const UNKNOWN_OPERATION: DynamoDbAnswer = {
  statusCode: 400,
  body: { __type: 'com.amazon.coral.service#UnknownOperationException' },
};

/** dynalite's LevelDB sublevel of table descriptions, with its callback-style methods. */
type TableDb = Record<'get' | 'put' | 'del' | 'batch', (...args: unknown[]) => unknown>;
type GetCallback = (error: Error | null, value?: unknown) => void;

/**
 * dynalite reads the table's description from its store, and decodes it from JSON, on every
 * operation; this keeps the decoded description until the store of descriptions is written
 * again (create, update, delete, a status change), so an operation reads what it would have read.
 * A description read while a write happened is not kept.
 */
function keepTableDescriptionsDecoded(tableDb: TableDb): void {
  const decoded = new Map<unknown, unknown>();
  let writes = 0;
  const get = tableDb.get;
  tableDb.get = function (this: unknown, ...args: unknown[]) {
    const [key, callback] = args;
    if (args.length !== 2 || typeof callback !== 'function') return get.apply(this, args);
    const done = callback as GetCallback;
    if (decoded.has(key)) {
      const value = decoded.get(key);
      // Answered later, as the store answers, never before the caller returns.
      setImmediate(() => done(null, value));
      return undefined;
    }
    const writesBefore = writes;
    return get.call(this, key, (error: Error | null, value?: unknown) => {
      if (!error && value !== undefined && writes === writesBefore) decoded.set(key, value);
      done(error, value);
    });
  };
  for (const name of ['put', 'del', 'batch'] as const) {
    const write = tableDb[name];
    tableDb[name] = function (this: unknown, ...args: unknown[]) {
      writes += 1;
      decoded.clear();
      return write.apply(this, args);
    };
  }
}

/**
 * Settles a served operation that dynalite refused: an error with a status is DynamoDB's answer,
 * any other is a failure of the simulation. (A module function, not a closure per request: the
 * simulation's loader names every named closure as it is created, which a request paid for.)
 */
function settleRefusal(
  error: ErrorWithAnswer,
  resolve: (answer: DynamoDbAnswer) => void,
  reject: (error: unknown) => void,
): void {
  if (error.statusCode) resolve({ statusCode: error.statusCode, body: error.body ?? {} });
  else reject(error);
}

function bodyText(body: unknown): string {
  // The SDK sends JSON as a string or as bytes (a Uint8Array subclass whose string methods warn).
  if (body instanceof Uint8Array)
    return Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('utf8');
  return typeof body === 'string' ? body : '';
}

/**
 * Starts dynalite (in-memory) without a server: each operation goes through the same steps its
 * HTTP listener takes after the transport — type checks, validation (expressions parsed, item
 * sizes and key schemas checked) and the action on its LevelDB store — and errors answer with
 * dynalite's status and `__type`. What is skipped is the transport only: the request id, the
 * response checksum and the signature's form, which nothing in the process reads. An expression
 * parsed before is not parsed again (`reuseExpressionParses`: same tree, the request's values),
 * and each operation's type table is read once (`compileTypeChecks`: the same checks and errors);
 * its streams close their iterators, which dynalite's never did, and are built without a
 * `require` per call (`closeDynaliteStreams`).
 */
export function startInProcessDynalite(): InProcessDynalite {
  const db = require('dynalite/db') as { create(options: object): DynaliteStore };
  const validations = require('dynalite/validations') as Validations;
  const store = db.create({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 }) as {
    tableDb: TableDb;
    db: DynaliteLevelDb;
  };
  keepTableDescriptionsDecoded(store.tableDb);
  closeDynaliteStreams(store.db);
  for (const parser of ['conditionParser', 'updateParser', 'projectionParser'])
    reuseExpressionParses(require(`dynalite/db/${parser}`) as DynaliteExpressionParser);
  const operation = dynaliteOperations();
  const serve: ServeDynamoDbOperation = (name, body) =>
    new Promise((resolve, reject) => {
      if (!OPERATIONS.has(name)) return resolve(UNKNOWN_OPERATION);
      const { action, validation, checkTypes } = operation(name);
      let data: Record<string, unknown>;
      try {
        // dynalite's type checks, compiled once per operation (see dynalite-type-checks.ts).
        data = checkTypes ? checkTypes(body) : validations.checkTypes(body, validation.types);
        validations.checkValidations(data, validation.types, validation.custom, store);
      } catch (error) {
        return settleRefusal(error as ErrorWithAnswer, resolve, reject);
      }
      action(store, data, (error, out) =>
        error ? settleRefusal(error, resolve, reject) : resolve({ statusCode: 200, body: out ?? {} }),
      );
    });
  const requestHandler = sdkRequestHandler(serve);
  return {
    serve,
    requestHandler,
    client: () =>
      new DynamoDBClient({
        region: 'us-east-1',
        endpoint: IN_PROCESS_DYNALITE_ENDPOINT,
        requestHandler,
        credentials: { accessKeyId: 'AKIASIMULATION00000', secretAccessKey: 'simulation-secret' },
      }),
  };
}

/** Each operation's dynalite action, validation and compiled type checks, loaded on first use. */
function dynaliteOperations(): (name: string) => LoadedOperation {
  const loaded = new Map<string, LoadedOperation>();
  return (name: string) => {
    let found = loaded.get(name);
    if (!found) {
      const module = name.charAt(0).toLowerCase() + name.slice(1);
      const validation = require(`dynalite/validations/${module}`) as ActionValidation;
      found = {
        action: require(`dynalite/actions/${module}`) as Action,
        validation,
        checkTypes: compileTypeChecks(validation.types as Record<string, unknown>),
      };
      loaded.set(name, found);
    }
    return found;
  };
}

interface LoadedOperation {
  readonly action: Action;
  readonly validation: ActionValidation;
  readonly checkTypes: CompiledTypeChecks | undefined;
}

/** An SDK request handler that answers DynamoDB's JSON protocol from `serve`, with no HTTP. */
function sdkRequestHandler(serve: ServeDynamoDbOperation): DynamoDbRequestHandler {
  return {
    handle: async (request: { headers: Record<string, string>; body?: unknown }) => {
      const target = Object.entries(request.headers).find(([k]) => k.toLowerCase() === 'x-amz-target')?.[1];
      const text = bodyText(request.body);
      const answer = await serve(target?.split('.').pop() ?? '', text ? JSON.parse(text) : {});
      return {
        response: {
          statusCode: answer.statusCode,
          headers: { 'content-type': 'application/x-amz-json-1.0' },
          body: Buffer.from(JSON.stringify(answer.body), 'utf8'),
        },
      };
    },
    updateHttpClientConfig: () => undefined,
    httpHandlerConfigs: () => ({}),
  } as unknown as DynamoDbRequestHandler;
}
