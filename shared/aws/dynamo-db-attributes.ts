import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';

/*
 * Item conversion for the DynamoDB adapters, with the SDK's own `util-dynamodb` marshalling (what
 * the document client of `@aws-sdk/lib-dynamodb` runs inside each call): the adapters use the
 * plain client, whose middleware chain is resolved once per client (`dynamoDbClient`).
 */

/** A DynamoDB item, a key or expression attribute values, in DynamoDB's attribute-value form. */
export type AttributeMap = Record<string, AttributeValue>;

/**
 * Plain JavaScript values to DynamoDB attribute values (numbers as `N`, bytes as `B`, objects as
 * `M`, arrays as `L`, `Set`s as `SS`/`NS`/`BS`); `undefined` members are dropped.
 * @throws Error for a value DynamoDB cannot hold (a class instance, an unsafe integer, an empty set),
 * or an object with an own member named `constructor` (util-dynamodb takes it for a class instance).
 */
export function toAttributeMap(values: Record<string, unknown>): AttributeMap {
  return marshall(flushUnderflow(values) as Record<string, unknown>, { removeUndefinedValues: true });
}

/**
 * DynamoDB refuses a Number nearer zero than 1E-130 ("Positive range: 1E-130 to
 * 9.9999999999999999999999999999999999999E+125", Developer Guide, Supported data types) with
 * "Number underflow", while a double reaches 5E-324: an exponentially smoothed level of a group
 * idle for days decays that far. Such a magnitude means zero for every quantity Prescale stores
 * (loads, quantiles, uplifts), so it is written as 0 rather than failing the whole write.
 */
const SMALLEST_STORABLE_MAGNITUDE = 1e-130;

/** `value` with every number of magnitude below 1E-130 in plain objects and arrays set to 0. */
function flushUnderflow(value: unknown): unknown {
  if (typeof value === 'number') return Math.abs(value) < SMALLEST_STORABLE_MAGNITUDE ? 0 : value;
  if (Array.isArray(value)) return value.map(flushUnderflow);
  if (value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    return Object.fromEntries(Object.entries(value).map(([key, member]) => [key, flushUnderflow(member)]));
  }
  return value;
}

/** DynamoDB attribute values back to plain JavaScript values (`N` as a number, `B` as bytes). */
export function fromAttributeMap(item: AttributeMap): Record<string, unknown> {
  return unmarshall(item);
}
