import type { UserConfigInput } from '../../shared/contracts/user-config';
import type {
  ConstraintShape,
  ServiceConstraints,
  SkippedPattern,
} from '../../shared/simulation/aws-checks/model-constraints';

/** A botocore `service-2.json` shape (the fields the extraction reads). */
interface BotocoreShape {
  readonly type: string;
  readonly members?: Readonly<Record<string, { readonly shape: string }>>;
  readonly member?: { readonly shape: string };
  readonly key?: { readonly shape: string };
  readonly value?: { readonly shape: string };
  readonly min?: number;
  readonly max?: number;
  readonly pattern?: string;
  readonly enum?: readonly string[];
}

/** A botocore `service-2.json` model (the fields the extraction reads). */
export interface BotocoreModel {
  readonly metadata: { readonly protocol: string; readonly apiVersion: string };
  readonly operations: Readonly<Record<string, { readonly input?: { readonly shape: string } }>>;
  readonly shapes: Readonly<Record<string, BotocoreShape>>;
}

const children = (s: BotocoreShape): string[] => [
  ...Object.values(s.members ?? {}).map((m) => m.shape),
  ...[s.member, s.key, s.value].filter((m) => m !== undefined).map((m) => m.shape),
];

/**
 * Why a Java regular expression (botocore's patterns are Java's) cannot be checked in JavaScript,
 * or undefined when `new RegExp(pattern, 'u')` (anchored at both ends) means the same. Unicode mode rejects Java-only
 * syntax (`\p{Alnum}`, `(?s)`, possessive `*+`, `\A`, `\z`) with a SyntaxError; nested character
 * classes (`[a-z[0-9]]`, a union in Java, literal `[` in JavaScript) and intersections (`&&`)
 * compile but would mean something else, so they are refused here too.
 */
export function unsupportedPattern(pattern: string): string | undefined {
  try {
    new RegExp(`^(?:${pattern})$`, 'u');
  } catch (error) {
    return (error as Error).message;
  }
  let inClass = false;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '\\') i++;
    else if (c === '[' && inClass) return 'nested character class (a union in Java)';
    else if (c === '[') inClass = true;
    else if (c === ']') inClass = false;
    else if (inClass && c === '&' && pattern[i + 1] === '&') return 'character class intersection (&&)';
  }
  return undefined;
}

function reachable(model: BotocoreModel, roots: readonly string[]): Set<string> {
  const seen = new Set<string>();
  const stack = [...roots];
  while (stack.length > 0) {
    const name = stack.pop() as string;
    if (seen.has(name)) continue;
    seen.add(name);
    const shape = model.shapes[name];
    if (!shape) throw new Error(`shape ${name} is referenced but not defined`);
    stack.push(...children(shape));
  }
  return seen;
}

/** One shape's own constraints; a pattern JavaScript cannot check is left out and added to `skipped`. */
function ownConstraints(
  s: BotocoreShape,
  name: string,
  openEnums: readonly string[],
  skipped: SkippedPattern[],
): ConstraintShape {
  const out: { -readonly [K in keyof ConstraintShape]: ConstraintShape[K] } = { type: s.type };
  if (s.min !== undefined) out.min = s.min;
  if (s.max !== undefined) out.max = s.max;
  if (s.enum && !openEnums.includes(name)) out.enum = s.enum;
  if (s.pattern !== undefined) {
    const reason = unsupportedPattern(s.pattern);
    if (reason) skipped.push({ shape: name, pattern: s.pattern, reason });
    else out.pattern = s.pattern;
  }
  return out;
}

/**
 * The shapes of `names` that carry a constraint or lead to one, to a fixpoint (recursive shapes
 * such as DynamoDB's AttributeValue terminate).
 */
function relevantShapes(
  model: BotocoreModel,
  names: ReadonlySet<string>,
  ownOf: ReadonlyMap<string, ConstraintShape>,
): Set<string> {
  const hasOwn = (c: ConstraintShape) =>
    c.min !== undefined || c.max !== undefined || c.enum !== undefined || c.pattern !== undefined;
  const relevant = new Set([...names].filter((n) => hasOwn(ownOf.get(n) as ConstraintShape)));
  for (let grew = true; grew; ) {
    grew = false;
    for (const n of names)
      if (!relevant.has(n) && children(model.shapes[n] as BotocoreShape).some((c) => relevant.has(c))) {
        relevant.add(n);
        grew = true;
      }
  }
  return relevant;
}

/**
 * The input constraints (lengths, ranges, patterns, enums) of `operations` in a botocore model:
 * only shapes reachable from those operations' inputs, and of those only the ones that carry a
 * constraint or lead to one (a fixpoint, so recursive shapes such as DynamoDB's AttributeValue
 * terminate). Patterns JavaScript cannot check the same way are left out and listed in `skipped`;
 * the enums of `openEnums` (value sets that grow faster than any model) are left out too.
 * @throws Error when an operation is not in the model.
 */
export function extractConstraints(
  model: BotocoreModel,
  operations: readonly string[],
  openEnums: readonly string[] = [],
): { service: ServiceConstraints; skipped: SkippedPattern[] } {
  const inputs: Record<string, string | null> = {};
  for (const operation of [...operations].sort()) {
    const op = model.operations[operation];
    if (!op) throw new Error(`the botocore model has no operation ${operation}`);
    inputs[operation] = op.input?.shape ?? null;
  }
  const names = reachable(
    model,
    Object.values(inputs).filter((s) => s !== null),
  );
  const skipped: SkippedPattern[] = [];
  const ownOf = new Map(
    [...names].map((n) => [n, ownConstraints(model.shapes[n] as BotocoreShape, n, openEnums, skipped)]),
  );
  const relevant = relevantShapes(model, names, ownOf);
  const shapes: Record<string, ConstraintShape> = {};
  for (const name of [...relevant].sort()) {
    const s = model.shapes[name] as BotocoreShape;
    const keep = (ref?: { shape: string }) => (ref && relevant.has(ref.shape) ? ref.shape : undefined);
    const members = Object.entries(s.members ?? {}).filter(([, m]) => relevant.has(m.shape));
    shapes[name] = {
      ...(ownOf.get(name) as ConstraintShape),
      ...(members.length > 0 ? { members: Object.fromEntries(members.map(([k, m]) => [k, m.shape])) } : {}),
      ...(keep(s.member) ? { member: keep(s.member) } : {}),
      ...(keep(s.key) ? { key: keep(s.key) } : {}),
      ...(keep(s.value) ? { value: keep(s.value) } : {}),
    };
  }
  return {
    service: {
      protocol: model.metadata.protocol,
      apiVersion: model.metadata.apiVersion,
      // Every operation is listed (an input without constraints maps to a shape that is absent).
      operations: inputs,
      shapes,
    },
    skipped,
  };
}

/** `config` with every option that adds a call turned on (Spot prices, apply, X-Ray, Timestream). */
export function withEveryCall(config: UserConfigInput): UserConfigInput {
  return {
    ...config,
    historySource: 'timestream',
    timestream: config.timestream ?? { database: 'telemetry', table: 'groups', measureName: 'cpu' },
    pricing: { ...config.pricing, apply: true, includeSpot: true },
    dependencies: { ...config.dependencies, xray: { ...config.dependencies?.xray, enabled: true } },
  };
}
