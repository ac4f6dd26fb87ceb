import { constraintError, constraintLines } from './constraint-messages';
import { crossFieldViolations } from './cross-field-rules';
import { constraintViolations } from './model-constraints';

/** The aws-sdk v2 model file of each simulated service (`node_modules/aws-sdk/apis`). */
const MODEL_FILE: Readonly<Record<string, string>> = {
  autoscaling: 'autoscaling-2011-01-01',
  cloudformation: 'cloudformation-2010-05-15',
  cloudwatch: 'monitoring-2010-08-01',
  dynamodb: 'dynamodb-2012-08-10',
  ec2: 'ec2-2016-11-15',
  eventbridge: 'events-2015-10-07',
  pricing: 'pricing-2017-10-15',
  scheduler: 'scheduler-2021-06-30',
  sfn: 'states-2016-11-23',
  sns: 'sns-2010-03-31',
  sqs: 'sqs-2012-11-05',
  ssm: 'ssm-2014-11-06',
  'timestream-query': 'timestream-query-2018-11-01',
  xray: 'xray-2016-04-12',
};

/**
 * Top-level members AWS added after aws-sdk v2's models stopped changing, which the installed SDK
 * v3 sends, by `service:Operation`, with the type their current model (SDK v3's, botocore's) gives
 * them. The v2 structure check would refuse them as unexpected: they are checked for their type
 * here and left out of it.
 */
const NEWER_MEMBERS: Readonly<Record<string, Readonly<Record<string, 'boolean'>>>> = {
  // DescribeAutoScalingGroups API reference: "IncludeInstances … Type: Boolean".
  'autoscaling:DescribeAutoScalingGroups': { IncludeInstances: 'boolean' },
};

/** The validation error code each service answers a malformed request with (structure and cross-field rules). */
export const VALIDATION_ERROR_CODE: Readonly<Record<string, string>> = {
  autoscaling: 'ValidationError',
  cloudformation: 'ValidationError',
  cloudwatch: 'InvalidParameterValue',
  ec2: 'InvalidParameterValue',
  sns: 'InvalidParameter',
  sqs: 'InvalidParameterValue',
};

type Shape = unknown;
type ModelApi = { operations: Record<string, { input: Shape } | undefined> };
type Validator = { validate(shape: Shape, params: unknown, context: string): void };

let sdk: { Api: new (model: unknown) => ModelApi; Validator: new (v: unknown) => Validator } | undefined;
const apis = new Map<string, ModelApi>();

function loadSdk() {
  if (!sdk) {
    // aws-sdk v2 prints an end-of-support note on load; it is used here only for its models.
    process.env.AWS_SDK_JS_SUPPRESS_MAINTENANCE_MODE_MESSAGE = '1';
    const core = require('aws-sdk/lib/core') as {
      ParamValidator: Validator & (new (v: unknown) => Validator);
    };
    const Api = require('aws-sdk/lib/model/api') as new (model: unknown) => ModelApi;
    sdk = { Api, Validator: core.ParamValidator };
  }
  return sdk;
}

function api(service: string): ModelApi {
  let found = apis.get(service);
  if (!found) {
    const file = MODEL_FILE[service];
    if (!file) throw new Error(`no API model for service ${service}`);
    found = new (loadSdk().Api)(require(`aws-sdk/apis/${file}.min.json`));
    apis.set(service, found);
  }
  return found;
}

/**
 * Whether `service`'s API model has the operation of `commandName` (an SDK v3 command name), so
 * `checkRequest` can check it.
 */
export function modelsOperation(service: string, commandName: string): boolean {
  if (!MODEL_FILE[service]) return false;
  const operation = commandName.replace(/Command$/, '');
  return api(service).operations[operation.charAt(0).toLowerCase() + operation.slice(1)] !== undefined;
}

/** Whether `value` holds an undefined member or element at any depth. */
function holdsUndefined(value: unknown): boolean {
  if (value === null || typeof value !== 'object' || value instanceof Date || value instanceof Uint8Array)
    return false;
  if (Array.isArray(value)) return value.some((v) => v === undefined || holdsUndefined(v));
  for (const key in value) {
    const v = (value as Record<string, unknown>)[key];
    if (v === undefined || holdsUndefined(v)) return true;
  }
  return false;
}

/**
 * SDK v3 sends undefined members as absent; the v2 validator treats undefined as a value. Copies
 * only a request that has one (most have none, and the simulation checks every request).
 */
function dropUndefined(value: unknown): unknown {
  return holdsUndefined(value) ? withoutUndefined(value) : value;
}

function withoutUndefined(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutUndefined);
  if (value === null || typeof value !== 'object' || value instanceof Date || value instanceof Uint8Array)
    return value;
  return Object.fromEntries(
    Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => [k, withoutUndefined(v)]),
  );
}

/** The error AWS answers a request it refuses with: the service's error code and message. */
export interface RequestRefusal {
  readonly code: string;
  readonly message: string;
  /** Each violation on its own, naming the member. */
  readonly violations: readonly string[];
}

function structureViolations(service: string, operation: string, input: unknown): string[] {
  const op = api(service).operations[operation.charAt(0).toLowerCase() + operation.slice(1)];
  if (!op) throw new Error(`the ${service} API model has no operation ${operation}`);
  const { known, newer } = newerMembersApart(service, operation, dropUndefined(input ?? {}));
  try {
    // Structure only: the v2 models carry no lengths, ranges, patterns or enums (see checkRequest).
    new (loadSdk().Validator)({ min: false, max: false, pattern: false, enum: false }).validate(
      op.input,
      known,
      'params',
    );
    return newer;
  } catch (error) {
    return [
      ...String((error as Error).message)
        .split('\n')
        .map((l) => l.replace(/^\* /, ''))
        .filter((l) => !l.startsWith('There were')),
      ...newer,
    ];
  }
}

/**
 * The request without the members newer than the v2 model (`NEWER_MEMBERS`), and the violations
 * of their types, worded as the v2 validator words a wrong type.
 */
function newerMembersApart(
  service: string,
  operation: string,
  input: unknown,
): { known: unknown; newer: string[] } {
  const members = NEWER_MEMBERS[`${service}:${operation}`];
  if (!members || input === null || typeof input !== 'object') return { known: input, newer: [] };
  const known: Record<string, unknown> = { ...(input as Record<string, unknown>) };
  const newer: string[] = [];
  for (const [name, type] of Object.entries(members)) {
    if (!(name in known)) continue;
    if (typeof known[name] !== type) newer.push(`Expected params.${name} to be a ${type}`);
    delete known[name];
  }
  return { known, newer };
}

/**
 * Checks one request (`service`, SDK v3 command name, input) as AWS would before serving it:
 * 1. structure against the service's published API model (aws-sdk v2's JSON models and
 *    ParamValidator: required members, member names, types, nesting) and the documented
 *    cross-field rules the models cannot express (`crossFieldViolations`): refused with the
 *    service's `VALIDATION_ERROR_CODE`;
 * 2. otherwise the lengths, ranges, patterns and enums of botocore's full model for the same API
 *    (`model-constraints.json`; members botocore does not know are not checked): refused with the
 *    error and wording the service uses for them (`CONSTRAINT_ERROR`).
 * Returns undefined when AWS would accept the request.
 * @throws Error when the service or operation has no model (the call cannot be checked).
 */
export function checkRequest(
  service: string,
  commandName: string,
  input: unknown,
): RequestRefusal | undefined {
  const operation = commandName.replace(/Command$/, '');
  const violations = [
    ...structureViolations(service, operation, input),
    ...crossFieldViolations(service, operation, (input ?? {}) as Record<string, unknown>),
  ];
  if (violations.length > 0)
    return {
      code: VALIDATION_ERROR_CODE[service] ?? 'ValidationException',
      message: violations.join('; '),
      violations,
    };
  const broken = constraintViolations(service, operation, input) ?? [];
  if (broken.length === 0) return undefined;
  return { ...constraintError(service, broken), violations: constraintLines(service, broken) };
}

/**
 * Every violation `checkRequest` finds in one request, each naming the member; empty when AWS
 * would accept it.
 * @throws Error when the service or operation has no model (the call cannot be checked).
 */
export function validateRequest(service: string, commandName: string, input: unknown): string[] {
  return [...(checkRequest(service, commandName, input)?.violations ?? [])];
}
