/*
 * dynalite validates every request's expressions by parsing them with its PEG parsers (the
 * worker's claim, `attribute_not_exists(pk) OR claimant = :claimant OR (leaseUntilMs < :now AND
 * (tickMs < :tick OR (tickMs = :tick AND done = :false)))`, takes hundreds of µs to parse, on every run). The parse's result depends on the expression, the attribute
 * names it resolves and the types of the values it uses; the values themselves only sit in the
 * tree. So a parse is kept and, for the same expression with the same names and value types,
 * reused with the request's own values put in place of the first request's.
 */

/** An attribute value as dynalite holds it: `{ N: "1" }`, `{ S: "a" }`, … */
type AttributeValue = Record<string, unknown>;

/** The context dynalite's `validateExpressions` gives its parsers. */
interface ParseContext {
  readonly attrNames?: Record<string, string>;
  readonly attrVals?: Record<string, AttributeValue>;
  readonly unusedAttrNames: Record<string, boolean>;
  readonly unusedAttrVals: Record<string, boolean>;
  readonly isKeyCondition?: boolean;
  /** dynalite's value comparison (`db.compare`), which the condition parser's BETWEEN check calls. */
  readonly compare?: (operator: string, value: unknown, bound: unknown) => boolean;
}

/** One of dynalite's generated parsers (`dynalite/db/conditionParser` and its siblings). */
export interface DynaliteExpressionParser {
  parse(input: string, options: { context: ParseContext }): unknown;
}

/**
 * A kept tree's shape, read once: where the request's values go (by name) and, for every other
 * object and array, its members in `Object.keys` order, so a hit builds its tree without walking
 * and looking up the kept one (`instantiate`).
 */
type TreeTemplate =
  | { readonly kind: 'leaf'; readonly value: unknown }
  | { readonly kind: 'value'; readonly name: string }
  | { readonly kind: 'array'; readonly members: readonly TreeTemplate[] }
  | {
      readonly kind: 'object';
      readonly prototype: object | null;
      readonly keys: readonly string[];
      readonly members: readonly TreeTemplate[];
    };

interface KeptParse {
  readonly template: TreeTemplate;
  /** Whether the expression has a BETWEEN, whose bounds a hit checks (`betweenBoundsPass`). */
  readonly hasBetween: boolean;
  readonly usedNames: readonly string[];
  readonly usedValues: readonly string[];
}

/**
 * Validation that reads the values themselves, not only their types: `attribute_type` checks its
 * type name, so such expressions are always parsed. BETWEEN compares its bounds: a kept parse is
 * reused only when the request's bounds pass the parser's own check (`betweenBoundsPass`).
 */
const VALUE_DEPENDENT = /attribute_type/i;
const BETWEEN = /between/i;

/** The condition parser's `getImmediateType`: an attribute value's type, null for anything else. */
function immediateType(value: unknown): string | null {
  if (
    !value ||
    typeof value !== 'object' ||
    Array.isArray(value) ||
    (value as { attrType?: unknown }).attrType
  )
    return null;
  for (const type of ['S', 'N', 'B', 'NULL', 'BOOL', 'SS', 'NS', 'BS', 'L', 'M'])
    if ((value as AttributeValue)[type] != null) return type;
  return null;
}

/**
 * Whether every BETWEEN of the tree passes the parser's `checkBetweenArgs` with these values: bounds
 * that are both values have one type and the lower is not greater than the upper (dynalite's
 * `compare('GT', …)`). The kept parse passed it with its own values (it has no error), and nothing
 * else in a parse depends on them, so a tree that passes is what a parse would give.
 */
function betweenBoundsPass(node: unknown, compare: NonNullable<ParseContext['compare']>): boolean {
  if (node === null || typeof node !== 'object') return true;
  if (Array.isArray(node)) return node.every((member) => betweenBoundsPass(member, compare));
  if (!ownBetweenPasses(node, compare)) return false;
  return Object.values(node).every((member) => betweenBoundsPass(member, compare));
}

/** `betweenBoundsPass`'s check of one object itself (not its members): a BETWEEN's bounds. */
function ownBetweenPasses(node: object, compare: NonNullable<ParseContext['compare']>): boolean {
  const { type, args } = node as { type?: unknown; args?: unknown };
  if (type === 'between' && Array.isArray(args) && args.length === 3) {
    const [, lower, upper] = args;
    const lowerType = immediateType(lower);
    const upperType = immediateType(upper);
    if (lowerType && upperType && (lowerType !== upperType || compare('GT', lower, upper))) return false;
  }
  return true;
}

/**
 * What `betweenBoundsPass` of a tree built by `instantiate` visits, in its order (pre-order,
 * members in key order): each object of the template itself (`own`), and each value put in,
 * which the walk enters whole (`walk`).
 */
type BoundsCheck = { readonly own: object } | { readonly walk: unknown };

/** `betweenBoundsPass` of the tree whose checks these are: the same checks, in the same order. */
function boundsChecksPass(
  checks: readonly BoundsCheck[],
  compare: NonNullable<ParseContext['compare']>,
): boolean {
  for (const check of checks) {
    const passes =
      'own' in check ? ownBetweenPasses(check.own, compare) : betweenBoundsPass(check.walk, compare);
    if (!passes) return false;
  }
  return true;
}

/** At most this many distinct expressions are kept (a run uses about ten). */
const CAPACITY = 256;

const cached = new WeakSet<DynaliteExpressionParser>();

function typesOf(values: Record<string, AttributeValue> | undefined): string {
  if (!values) return '';
  return Object.keys(values)
    .map((name) => `${name}:${Object.keys(values[name] ?? {}).join('+')}`)
    .join(',');
}

function keyOf(input: string, context: ParseContext): string {
  return [
    input,
    context.isKeyCondition ? 'key' : '',
    JSON.stringify(context.attrNames ?? null),
    typesOf(context.attrVals),
  ].join('\u0000');
}

/** The template of `node`, a tree holding the first request's value objects (`valueNames`). */
function templateOf(node: unknown, valueNames: Map<object, string>): TreeTemplate {
  if (node === null || typeof node !== 'object') return { kind: 'leaf', value: node };
  const name = valueNames.get(node);
  if (name !== undefined) return { kind: 'value', name };
  if (Array.isArray(node))
    return { kind: 'array', members: node.map((member) => templateOf(member, valueNames)) };
  const keys = Object.keys(node);
  return {
    kind: 'object',
    prototype: Object.getPrototypeOf(node) as object | null,
    keys,
    members: keys.map((key) => templateOf((node as Record<string, unknown>)[key], valueNames)),
  };
}

/**
 * The template's tree with each of the first request's values replaced by this request's: new
 * objects and arrays (the kept tree's prototypes, keys in its order, members assigned) holding
 * these values. With `checks`, records what `betweenBoundsPass` of the result would visit (see
 * `BoundsCheck`).
 */
function instantiate(
  template: TreeTemplate,
  values: Record<string, AttributeValue>,
  checks: BoundsCheck[] | undefined,
): unknown {
  switch (template.kind) {
    case 'leaf':
      return template.value;
    case 'value': {
      const value = values[template.name];
      checks?.push({ walk: value });
      return value;
    }
    case 'array': {
      const { members } = template;
      const copy = new Array<unknown>(members.length);
      for (let i = 0; i < members.length; i++)
        copy[i] = instantiate(members[i] as TreeTemplate, values, checks);
      return copy;
    }
    default: {
      const { keys, members } = template;
      const copy = Object.create(template.prototype) as Record<string, unknown>;
      checks?.push({ own: copy });
      for (let i = 0; i < keys.length; i++)
        copy[keys[i] as string] = instantiate(members[i] as TreeTemplate, values, checks);
      return copy;
    }
  }
}

const allTrue = (names: Record<string, unknown> | undefined): Record<string, boolean> =>
  Object.fromEntries(Object.keys(names ?? {}).map((name) => [name, true]));

/**
 * Parses with every name and value marked unused, to learn which ones this expression uses
 * whatever other expressions of the request use; a result that is an error message is not kept.
 */
function parseAndKeep(
  parse: DynaliteExpressionParser['parse'],
  input: string,
  context: ParseContext,
): { readonly result: unknown; readonly kept?: KeptParse } {
  const unusedAttrNames = allTrue(context.attrNames);
  const unusedAttrVals = allTrue(context.attrVals);
  const result = parse(input, { context: { ...context, unusedAttrNames, unusedAttrVals } });
  const usedNames = Object.keys(context.attrNames ?? {}).filter((name) => !(name in unusedAttrNames));
  const usedValues = Object.keys(context.attrVals ?? {}).filter((name) => !(name in unusedAttrVals));
  markUsed(context, usedNames, usedValues);
  if (typeof result === 'string' || result === null || typeof result !== 'object') return { result };
  const valueNames = new Map<object, string>();
  for (const [name, value] of Object.entries(context.attrVals ?? {})) valueNames.set(value, name);
  // Read now, before the caller gets the tree: nothing it does to the tree reaches later hits.
  const template = templateOf(result, valueNames);
  return { result, kept: { template, hasBetween: BETWEEN.test(input), usedNames, usedValues } };
}

function markUsed(context: ParseContext, usedNames: readonly string[], usedValues: readonly string[]): void {
  for (const name of usedNames) delete context.unusedAttrNames[name];
  for (const name of usedValues) delete context.unusedAttrVals[name];
}

/**
 * Makes `parser` reuse its parse of an expression seen before with the same attribute names and
 * value types (the request's values substituted), in this process; idempotent. What the request
 * gets — the tree, the unused names and values reported, a syntax error thrown or an error
 * message — is what parsing it would give.
 */
export function reuseExpressionParses(parser: DynaliteExpressionParser): void {
  if (cached.has(parser)) return;
  cached.add(parser);
  const parse = parser.parse.bind(parser);
  const kept = new Map<string, KeptParse>();
  parser.parse = (input, options) => {
    const { context } = options;
    if (VALUE_DEPENDENT.test(input)) return parse(input, options);
    const key = keyOf(input, context);
    const hit = kept.get(key);
    if (hit) {
      const checks: BoundsCheck[] | undefined = hit.hasBetween ? [] : undefined;
      const tree = instantiate(hit.template, context.attrVals ?? {}, checks);
      // Bounds out of order (or a parser without its comparison): parsed, for the parse's own error.
      if (checks && !(context.compare && boundsChecksPass(checks, context.compare)))
        return parse(input, options);
      markUsed(context, hit.usedNames, hit.usedValues);
      return tree;
    }
    const { result, kept: entry } = parseAndKeep(parse, input, context);
    if (entry) {
      if (kept.size >= CAPACITY) kept.delete(kept.keys().next().value as string);
      kept.set(key, entry);
    }
    return result;
  };
}
