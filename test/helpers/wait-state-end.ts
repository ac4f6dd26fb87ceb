/** The fields of a Wait state that say how long it waits (one of them, as the definition has it). */
export interface WaitTimeFields {
  readonly Seconds?: number;
  readonly SecondsPath?: string;
  readonly Timestamp?: string;
  readonly TimestampPath?: string;
}

/**
 * The RFC 3339 profile Step Functions takes for a Wait's timestamp: "Timestamps must conform to the
 * RFC3339 profile of ISO 8601, with the further restrictions that an uppercase T must separate the
 * date and time portions, and an uppercase Z must denote that a numeric time zone offset is not
 * present, for example, 2024-08-18T17:33:00Z" (Step Functions, "Wait workflow state").
 */
const WAIT_TIMESTAMP =
  /^\d{4}-(0[1-9]|1[012])-(0[1-9]|[12]\d|3[01])T([01]\d|2[0-3]):[0-5]\d:[0-5]\d(\.\d+)?(Z|[+-]([01]\d|2[0-3]):[0-5]\d)$/;

/** A state's input at a reference path (`$.plan.pollIntervalSeconds`); only plain dotted paths. */
export function valueAtPath(input: unknown, path: string): unknown {
  if (!/^\$(\.[A-Za-z_][\w-]*)*$/.test(path)) throw new Error(`unsupported Wait path ${path}`);
  return path
    .split('.')
    .slice(1)
    .reduce<unknown>((value, key) => (value as Record<string, unknown> | undefined)?.[key], input);
}

/**
 * When a Wait state entered at `nowMs` with `input` ends, as Step Functions computes it.
 * SecondsPath must select "an integer value that specifies the time to wait, in seconds" ("You must
 * specify an integer value for this field"; a literal `Seconds` is "an integer value from 0 to
 * 99999999"); a timestamp must be in the profile above, and "Step Functions considers the time value
 * up to seconds and truncates milliseconds" (Step Functions, "Wait workflow state"). Anything else
 * fails the execution, as Step Functions fails it, with States.Runtime.
 * @throws an error named `States.Runtime` saying which field selected what.
 */
export function waitEndsAt(state: WaitTimeFields, input: unknown, nowMs: number): number {
  if (state.Seconds !== undefined || state.SecondsPath !== undefined) {
    const seconds = state.SecondsPath === undefined ? state.Seconds : valueAtPath(input, state.SecondsPath);
    if (typeof seconds !== 'number' || !Number.isInteger(seconds) || seconds < 0) {
      throw runtimeError(
        `the Wait's ${state.SecondsPath ?? 'Seconds'} is ${JSON.stringify(seconds)}; Step Functions waits only a non-negative integer number of seconds`,
      );
    }
    return nowMs + seconds * 1000;
  }
  const stamp = state.TimestampPath === undefined ? state.Timestamp : valueAtPath(input, state.TimestampPath);
  if (typeof stamp !== 'string' || !WAIT_TIMESTAMP.test(stamp)) {
    throw runtimeError(
      `the Wait's ${state.TimestampPath ?? 'Timestamp'} is ${JSON.stringify(stamp)}; Step Functions waits only until an RFC 3339 timestamp with an uppercase T and Z (2024-08-18T17:33:00Z)`,
    );
  }
  const toTheSecond = Math.floor(Date.parse(stamp) / 1000) * 1000;
  return Math.max(nowMs, toTheSecond);
}

function runtimeError(message: string): Error {
  const error = new Error(message);
  error.name = 'States.Runtime';
  return error;
}
