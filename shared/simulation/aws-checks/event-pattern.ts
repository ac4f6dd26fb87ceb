/**
 * EventBridge event-pattern matching for the patterns Prescale deploys, as the EventBridge user
 * guide's "Event patterns" and "Content filtering" describe them (and AWS's Event Ruler, which
 * implements them). "For a pattern to match an event, the event must contain all the field names
 * listed in the event pattern"; a field's values are listed in an array and match when one of the
 * event's values does: an event field holding an array offers each of its elements (arrays in
 * arrays too), and a field holding an object offers no value, its fields being matched by a nested
 * object of the pattern field by field. Two operators are implemented: `anything-but` (a value, or
 * a list of only strings or only numbers, that the event's value must not equal; like an exact
 * value it needs the field present) and `$or` (at least two alternative patterns, one of which
 * must match, beside the other fields of the same object). Every other content filter (`prefix`,
 * `numeric`, `exists`, `wildcard`, `anything-but` of a prefix, …) is refused by name rather than
 * silently matched or missed. No maintained npm package implements EventBridge's matching
 * (docs/dependencies.md).
 */
export type EventPattern = { readonly [field: string]: EventPattern | readonly PatternValue[] };
type PatternValue = string | number | boolean | null | Readonly<Record<string, unknown>>;

/** A pattern EventBridge would accept but this matcher does not implement, or one it would refuse. */
export class UnsupportedEventPatternError extends Error {
  override readonly name = 'UnsupportedEventPatternError';
}

/** Whether `event` matches `pattern`. @throws UnsupportedEventPatternError naming the field and operator. */
export function matchesEventPattern(pattern: EventPattern, event: unknown): boolean {
  return matchesObject(pattern, event, '');
}

function matchesObject(pattern: EventPattern, value: unknown, path: string): boolean {
  // Every field is checked for support first, so a content filter fails loudly even when an
  // earlier field already misses.
  const results = Object.entries(pattern).map(([field, expected]) => {
    // "$or" lists alternative patterns for this object, not the values of a field named "$or".
    if (field === '$or') return matchesAnyOf(expected, value, path);
    const at = path ? `${path}.${field}` : field;
    const actual = isObject(value) ? value[field] : undefined;
    if (Array.isArray(expected)) return matchesValues(expected as readonly PatternValue[], actual, at);
    if (isObject(expected)) return matchesObject(expected as EventPattern, actual, at);
    throw new UnsupportedEventPatternError(
      `pattern field ${at} must be an array of values or an object, got ${JSON.stringify(expected)}`,
    );
  });
  return results.every(Boolean);
}

/**
 * `$or`: the object matches when any alternative does. Event Ruler reads `$or` as the operator only
 * when it holds an array of two or more objects, and as a plain field name otherwise; that reading
 * is refused here, as Prescale's patterns never mean it.
 */
function matchesAnyOf(alternatives: unknown, value: unknown, path: string): boolean {
  const where = path || 'top level';
  if (!Array.isArray(alternatives) || alternatives.length < 2 || !alternatives.every(isObject))
    throw new UnsupportedEventPatternError(
      `pattern ${where} $or must list at least two patterns (EventBridge reads any other $or as a field name, which this matcher does not implement), got ${JSON.stringify(alternatives)}`,
    );
  return alternatives
    .map((alternative) => matchesObject(alternative as EventPattern, value, path))
    .some(Boolean);
}

function matchesValues(expected: readonly PatternValue[], actual: unknown, path: string): boolean {
  if (expected.length === 0)
    throw new UnsupportedEventPatternError(
      `pattern field ${path} lists no value (EventBridge refuses an empty array)`,
    );
  const matchers = expected.map((v) => valueMatcher(v, path));
  // A field absent from the event matches nothing, not even a listed null or an anything-but.
  if (actual === undefined) return false;
  const candidates = leafValues(actual);
  return candidates.some((c) => matchers.some((matches) => matches(c)));
}

/** The event's values at a field: itself, or the elements of its arrays; an object holds none. */
function leafValues(actual: unknown): unknown[] {
  if (Array.isArray(actual)) return actual.flatMap(leafValues);
  return isObject(actual) ? [] : [actual];
}

function valueMatcher(expected: PatternValue, path: string): (candidate: unknown) => boolean {
  if (!isObject(expected)) return (candidate) => candidate === expected;
  const operators = Object.keys(expected);
  if (operators.length === 1 && operators[0] === 'anything-but')
    return anythingBut(expected['anything-but'], path);
  throw new UnsupportedEventPatternError(
    `pattern field ${path} uses the content filter ${operators.join(', ')}, which this matcher does not implement`,
  );
}

/**
 * `anything-but`: "matches anything except what's provided in the rule", a string or a number, or
 * a list "that contain[s] only strings, or only numbers" (the user guide); anything else is refused.
 */
function anythingBut(operand: unknown, path: string): (candidate: unknown) => boolean {
  const list: readonly unknown[] = Array.isArray(operand) ? operand : [operand];
  const [kind, ...otherKinds] = new Set(list.map((v) => typeof v));
  if (otherKinds.length > 0 || (kind !== 'string' && kind !== 'number')) {
    const filter = isObject(operand) ? ` of ${Object.keys(operand).join(', ')}` : '';
    throw new UnsupportedEventPatternError(
      `pattern field ${path} uses anything-but${filter} with ${JSON.stringify(operand)}: this matcher implements it with a string, a number, or a non-empty list of only strings or only numbers`,
    );
  }
  return (candidate) => !list.includes(candidate);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
