import { readFileSync } from 'node:fs';
import path from 'node:path';

/**
 * One shape of the committed constraint file: its botocore type, its own constraints (`min`/`max`
 * are a length for string, blob, list and map, a value for numbers), and the members, list member
 * or map key/value that lead to further constraints (by shape name).
 */
export interface ConstraintShape {
  readonly type: string;
  readonly min?: number;
  readonly max?: number;
  /** A Java regular expression that `new RegExp(pattern, 'u')` reads the same way. */
  readonly pattern?: string;
  readonly enum?: readonly string[];
  readonly members?: Readonly<Record<string, string>>;
  readonly member?: string;
  readonly key?: string;
  readonly value?: string;
}

/** The constraints of one service's called operations: operation → input shape (null: no input). */
export interface ServiceConstraints {
  readonly protocol: string;
  readonly apiVersion: string;
  readonly operations: Readonly<Record<string, string | null>>;
  readonly shapes: Readonly<Record<string, ConstraintShape>>;
}

/** A pattern of a reachable shape that is not checked, and why (JavaScript cannot read it as Java does). */
export interface SkippedPattern {
  readonly shape: string;
  readonly pattern: string;
  readonly reason: string;
}

/** The committed file `model-constraints.json` (written by `npm run models:constraints`). */
export interface ModelConstraintsFile {
  readonly source: {
    readonly package: string;
    readonly version: string;
    readonly botocoreVersion: string;
    readonly license: string;
  };
  /** Skipped patterns, by service key. */
  readonly skippedPatterns: Readonly<Record<string, readonly SkippedPattern[]>>;
  /** Enums left unchecked because AWS extends them between model releases (EC2 instance types), by service key. */
  readonly openEnums: Readonly<Record<string, readonly string[]>>;
  /** By Prescale's service key (the SDK client id the simulation uses: `autoscaling`, `sfn`...). */
  readonly services: Readonly<Record<string, ServiceConstraints>>;
}

/** The committed constraint file's path. */
export const MODEL_CONSTRAINTS_FILE = path.join(__dirname, 'model-constraints.json');

let loaded: ModelConstraintsFile | undefined;

/** The committed constraint file, read once. */
export function modelConstraints(): ModelConstraintsFile {
  loaded ??= JSON.parse(readFileSync(MODEL_CONSTRAINTS_FILE, 'utf8')) as ModelConstraintsFile;
  return loaded;
}

/** One value that breaks one constraint, at a path of member names from the request's root. */
export interface ConstraintViolation {
  /** Member names and 0-based list indexes / map keys, from the root: `['Preferences', 'MinHealthyPercentage']`. */
  readonly path: readonly (string | number)[];
  readonly value: unknown;
  /** Where the constraint sits: the member itself, each element of a list, or a map's keys or values. */
  readonly on: 'member' | 'list-element' | 'map-key' | 'map-value';
  readonly rule:
    | { readonly kind: 'min-length' | 'max-length' | 'min-value' | 'max-value'; readonly limit: number }
    | { readonly kind: 'pattern'; readonly pattern: string }
    | { readonly kind: 'enum'; readonly values: readonly string[] };
}

type Rule = ConstraintViolation['rule'];

const LENGTH_TYPES = new Set(['string', 'blob', 'list', 'map']);
const NUMBER_TYPES = new Set(['integer', 'long', 'float', 'double', 'bigdecimal', 'biginteger']);

function sizeOf(type: string, value: unknown): number | undefined {
  // Smithy's length counts Unicode scalar values for strings, bytes for blobs, entries otherwise.
  if (type === 'string' && typeof value === 'string') return [...value].length;
  if (type === 'blob' && value instanceof Uint8Array) return value.byteLength;
  if (type === 'list' && Array.isArray(value)) return value.length;
  if (type === 'map' && isObject(value)) return Object.keys(value).length;
  return undefined;
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' &&
  v !== null &&
  !Array.isArray(v) &&
  !(v instanceof Date) &&
  !(v instanceof Uint8Array);

const compiled = new Map<string, RegExp>();
function regex(pattern: string): RegExp {
  let r = compiled.get(pattern);
  if (!r) {
    // AWS matches the whole value (DynamoDB refuses 'my table' against [a-zA-Z0-9_.-]+), as
    // Java's Matcher.matches() does: anchored here. Unicode mode reads \uD800\uDC00 as one code point.
    r = new RegExp(`^(?:${pattern})$`, 'u');
    compiled.set(pattern, r);
  }
  return r;
}

/** The own constraints of `shape` that `value` breaks (a value of the wrong type breaks none here). */
function ownRules(shape: ConstraintShape, value: unknown): Rule[] {
  const out: Rule[] = [];
  if (LENGTH_TYPES.has(shape.type)) {
    const size = sizeOf(shape.type, value);
    if (size !== undefined && shape.min !== undefined && size < shape.min)
      out.push({ kind: 'min-length', limit: shape.min });
    if (size !== undefined && shape.max !== undefined && size > shape.max)
      out.push({ kind: 'max-length', limit: shape.max });
  }
  if (NUMBER_TYPES.has(shape.type) && typeof value === 'number') {
    if (shape.min !== undefined && value < shape.min) out.push({ kind: 'min-value', limit: shape.min });
    if (shape.max !== undefined && value > shape.max) out.push({ kind: 'max-value', limit: shape.max });
  }
  if (typeof value === 'string') {
    if (shape.pattern !== undefined && !regex(shape.pattern).test(value))
      out.push({ kind: 'pattern', pattern: shape.pattern });
    if (shape.enum && !shape.enum.includes(value)) out.push({ kind: 'enum', values: shape.enum });
  }
  return out;
}

const memberLists = new WeakMap<ConstraintShape, readonly (readonly [string, string])[]>();

/** The shape's members as [name, shape name] pairs, listed once per shape (the simulation checks every request). */
function membersOf(shape: ConstraintShape): readonly (readonly [string, string])[] {
  let list = memberLists.get(shape);
  if (!list) {
    list = Object.entries(shape.members ?? {});
    memberLists.set(shape, list);
  }
  return list;
}

/**
 * Walks `value` against shape `name`, its path from the root in `at`: one array, extended and cut
 * back as the walk goes down and up, copied only for a violation. A copy per member visited was
 * most of the walk's cost (every request the simulation sends is checked: 1.1 s of a deploy-matrix
 * file's profile was this walk, most members breaking nothing).
 */
function walk(
  shapes: ServiceConstraints['shapes'],
  name: string,
  value: unknown,
  at: (string | number)[],
  out: ConstraintViolation[],
  on: ConstraintViolation['on'] = 'member',
): void {
  const shape = shapes[name];
  if (!shape || value === undefined || value === null) return;
  for (const rule of ownRules(shape, value)) out.push({ path: [...at], value, on, rule });
  if (shape.members && isObject(value))
    for (const [member, child] of membersOf(shape)) {
      const memberValue = value[member];
      if (memberValue === undefined || memberValue === null) continue;
      at.push(member);
      walk(shapes, child, memberValue, at, out);
      at.pop();
    }
  if (shape.member && Array.isArray(value))
    for (let i = 0; i < value.length; i++) {
      at.push(i);
      walk(shapes, shape.member, value[i], at, out, 'list-element');
      at.pop();
    }
  if ((shape.key || shape.value) && isObject(value))
    for (const [k, v] of Object.entries(value)) {
      at.push(k);
      if (shape.key) walk(shapes, shape.key, k, at, out, 'map-key');
      if (shape.value) walk(shapes, shape.value, v, at, out, 'map-value');
      at.pop();
    }
}

/**
 * The length, range, pattern and enum constraints of the service's published model (botocore's,
 * committed as `model-constraints.json`) that `input` breaks, for one operation. Members the file
 * does not know (newer than its model) are not checked. Undefined when the file has no entry for
 * the operation (the file was generated before Prescale called it: regenerate it).
 */
export function constraintViolations(
  service: string,
  operation: string,
  input: unknown,
): ConstraintViolation[] | undefined {
  const constraints = modelConstraints().services[service];
  if (!constraints || !(operation in constraints.operations)) return undefined;
  const root = constraints.operations[operation];
  const out: ConstraintViolation[] = [];
  if (root) walk(constraints.shapes, root, input ?? {}, [], out);
  return out;
}
