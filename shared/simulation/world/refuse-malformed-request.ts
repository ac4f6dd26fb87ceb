import { checkRequest, modelsOperation, type RequestRefusal } from '../aws-checks/validate-request';
import { SimulatedAwsError } from './simulated-aws-error';

/** Verdicts kept per command before its memo starts again (a run repeats few distinct requests). */
const VERDICTS_PER_COMMAND = 512;

/** Each command's verdicts by the request's JSON: null when AWS accepts it. */
const verdicts = new Map<string, Map<string, RequestRefusal | null>>();

/**
 * AWS validates every request against the service's API model before the service acts on it:
 * members, types, lengths, ranges, patterns, enums and the documented cross-field rules
 * (`checkRequest`). A request it refuses throws the service's validation error as the SDK raises
 * it. Operations the model does not have are left to the service (which answers
 * `UnsupportedCommandError`); the Scheduler checks its own requests. Verdicts are remembered per
 * command by the request's JSON: a run sends the same describe and read requests thousands of
 * times, and the check is a walk of the model's shapes.
 * @throws SimulatedAwsError the service's validation error code, naming each member and rule
 */
export function refuseMalformedRequest(service: string, commandName: string, input: unknown): void {
  if (service === 'scheduler' || !modelsOperation(service, commandName)) return;
  const key = `${service}:${commandName}`;
  let known = verdicts.get(key);
  if (!known) {
    known = new Map();
    verdicts.set(key, known);
  }
  const sent = sentInput(service, commandName, input);
  const request = JSON.stringify(sent ?? {});
  let verdict = known.get(request);
  if (verdict === undefined) {
    verdict = checkRequest(service, commandName, sent) ?? null;
    if (known.size >= VERDICTS_PER_COMMAND) known.clear();
    known.set(request, verdict);
  }
  if (verdict) throw new SimulatedAwsError(verdict.code, verdict.message);
}

/**
 * What the SDK puts on the wire for a command input. The one difference that matters here: the
 * SDK's endpoint discovery builds `DescribeEndpoints` with its own `Operation` and `Identifiers`
 * members, which the Timestream model does not have, so its serializer sends an empty request.
 */
export function sentInput(service: string, commandName: string, input: unknown): unknown {
  return service === 'timestream-query' && commandName === 'DescribeEndpointsCommand' ? {} : input;
}
