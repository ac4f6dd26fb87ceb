/**
 * EventBridge event-pattern matching for the patterns Prescale deploys: exact values and nested
 * fields, as the EventBridge user guide's "Event patterns" describes them. "For a pattern to match
 * an event, the event must contain all the field names listed in the event pattern"; a field's
 * values are listed in an array and match when the event's value equals one of them (an event
 * field holding an array matches when any of its elements does); a nested object in the pattern
 * matches the event's object field by field. Content filters (`prefix`, `anything-but`, `numeric`,
 * `exists`, `wildcard`, …) are objects in a value array, and `$or` lists alternative patterns
 * ("Or matching" in the user guide's content filtering): none is implemented, so a pattern using
 * one is refused by name rather than silently matched or missed. No maintained npm package
 * implements EventBridge's matching (docs/dependencies.md).
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
    const at = path ? `${path}.${field}` : field;
    // "$or" lists alternative patterns, not the values of a field named "$or".
    if (field === '$or')
      throw new UnsupportedEventPatternError(
        `pattern ${path || 'top level'} uses the $or operator, which this matcher does not implement`,
      );
    const actual = isObject(value) ? value[field] : undefined;
    if (Array.isArray(expected)) return matchesValues(expected as readonly PatternValue[], actual, at);
    if (isObject(expected)) return matchesObject(expected as EventPattern, actual, at);
    throw new UnsupportedEventPatternError(
      `pattern field ${at} must be an array of values or an object, got ${JSON.stringify(expected)}`,
    );
  });
  return results.every(Boolean);
}

function matchesValues(expected: readonly PatternValue[], actual: unknown, path: string): boolean {
  const filter = expected.find((v) => isObject(v));
  if (filter !== undefined)
    throw new UnsupportedEventPatternError(
      `pattern field ${path} uses the content filter ${Object.keys(filter as object).join(', ')}, which this matcher does not implement`,
    );
  if (expected.length === 0)
    throw new UnsupportedEventPatternError(
      `pattern field ${path} lists no value (EventBridge refuses an empty array)`,
    );
  const candidates = Array.isArray(actual) ? actual : [actual];
  // A field absent from the event matches nothing, not even a listed null.
  if (actual === undefined) return false;
  return candidates.some((c) => expected.some((v) => v === c));
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
