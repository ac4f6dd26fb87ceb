import type { z } from 'zod';

/** One bad field: where it is, what was received and what was expected. */
export interface ConfigProblem {
  readonly path: string;
  readonly received: string;
  /** Zod's message, which says what was expected (custom messages start with the expected form). */
  readonly expected: string;
}

/** A configuration failed validation; `problems` lists every bad field at once. */
export class InvalidConfigError extends Error {
  override readonly name = 'InvalidConfigError' as const;
  constructor(
    readonly source: string,
    readonly problems: readonly ConfigProblem[],
  ) {
    super(
      `Invalid ${source}: ${problems.length} problem(s)\n${problems
        .map((p) => `  - ${p.path}: ${p.expected}; received ${p.received}`)
        .join('\n')}`,
    );
  }
}

function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing (missing)';
  // Cut between characters, not inside a surrogate pair: the text goes on to logs and queues.
  const chars = Array.from(JSON.stringify(value));
  return chars.length > 80 ? `${chars.slice(0, 77).join('')}...` : chars.join('');
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let node = root;
  for (const key of path) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<PropertyKey, unknown>)[key];
  }
  return node;
}

/**
 * Validates `input` against `schema` and returns the parsed value.
 * @throws InvalidConfigError listing every bad field with its dotted path, the value received and
 *   what was expected.
 */
export function parseConfig<S extends z.ZodType>(schema: S, input: unknown, source: string): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  throw new InvalidConfigError(
    source,
    result.error.issues.flatMap((issue) => problemsOf(issue, input)),
  );
}

/**
 * The problems of one issue. A record key that breaks its rule is reported with that rule's own
 * message and the key as received: Zod 4 reports it as "Invalid key in record" with the value
 * under the key, which says neither what a key must be nor that the key is what is wrong.
 */
function problemsOf(issue: z.core.$ZodIssue, input: unknown): ConfigProblem[] {
  const path = issue.path.length === 0 ? '(root)' : issue.path.map(String).join('.');
  if (issue.code === 'invalid_key' && issue.issues.length > 0) {
    const key = String(issue.path[issue.path.length - 1]);
    return issue.issues.map((keyIssue) => ({
      path,
      received: describeValue(key),
      expected: keyIssue.message,
    }));
  }
  return [{ path, received: describeValue(valueAt(input, issue.path)), expected: issue.message }];
}
