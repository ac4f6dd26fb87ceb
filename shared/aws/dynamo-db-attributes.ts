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
  return marshall(values, { removeUndefinedValues: true });
}

/** DynamoDB attribute values back to plain JavaScript values (`N` as a number, `B` as bytes). */
export function fromAttributeMap(item: AttributeMap): Record<string, unknown> {
  return unmarshall(item);
}
