import type { z } from 'zod';
import { type ConfigProblem, InvalidConfigError, parseConfig } from './parse-config';

/** What Zod 4 keeps of a schema's definition: enough to follow it to its objects. */
interface SchemaDef {
  readonly type: string;
  readonly shape?: Record<string, z.ZodType>;
  readonly catchall?: z.ZodType;
  readonly innerType?: z.ZodType;
  readonly in?: z.ZodType;
  readonly valueType?: z.ZodType;
  readonly element?: z.ZodType;
  readonly options?: readonly z.ZodType[];
  readonly left?: z.ZodType;
  readonly right?: z.ZodType;
  readonly getter?: () => z.ZodType;
}

const defOf = (schema: z.ZodType): SchemaDef => (schema as unknown as { _zod: { def: SchemaDef } })._zod.def;

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** A key no object of the schema declares: where it is and what it holds. */
export interface UnknownConfigKey {
  readonly path: readonly string[];
  readonly value: unknown;
}

/**
 * The keys in `input` that no object of `schema` declares. Zod's objects strip
 * unknown keys silently, so a misspelt setting (`scheduleRateMinute`, `floorCapacty`) would
 * deploy its default without a word. Of a union, only the options `input` satisfies are followed
 * (a `{ kind: 'cpu', namespace }` metric is judged as the `cpu` option).
 */
export function unknownConfigKeys(
  schema: z.ZodType,
  input: unknown,
  path: readonly string[] = [],
): UnknownConfigKey[] {
  const def = defOf(schema);
  switch (def.type) {
    case 'object':
      return isRecord(input) ? unknownObjectKeys(def, input, path) : [];
    case 'default':
    case 'prefault':
    case 'optional':
    case 'nullable':
    case 'readonly':
    case 'catch':
      return input === undefined ? [] : unknownConfigKeys(def.innerType as z.ZodType, input, path);
    case 'pipe':
      return unknownConfigKeys(def.in as z.ZodType, input, path);
    case 'lazy':
      return unknownConfigKeys((def.getter as () => z.ZodType)(), input, path);
    case 'record':
      return isRecord(input)
        ? Object.entries(input).flatMap(([key, value]) =>
            unknownConfigKeys(def.valueType as z.ZodType, value, [...path, key]),
          )
        : [];
    case 'array':
      return Array.isArray(input)
        ? input.flatMap((value, i) =>
            unknownConfigKeys(def.element as z.ZodType, value, [...path, String(i)]),
          )
        : [];
    case 'intersection':
      return [
        ...unknownConfigKeys(def.left as z.ZodType, input, path),
        ...unknownConfigKeys(def.right as z.ZodType, input, path),
      ];
    case 'union':
      return unknownUnionKeys(def.options ?? [], input, path);
    default:
      return [];
  }
}

function unknownObjectKeys(
  def: SchemaDef,
  input: Record<string, unknown>,
  path: readonly string[],
): UnknownConfigKey[] {
  const shape = def.shape ?? {};
  // A catch-all (`.loose()`, `.catchall(…)`) declares every other key.
  const declaresAll = def.catchall !== undefined && defOf(def.catchall).type !== 'never';
  return Object.entries(input).flatMap(([key, value]) => {
    const field = shape[key];
    if (field) return unknownConfigKeys(field, value, [...path, key]);
    return declaresAll ? [] : [{ path: [...path, key], value }];
  });
}

function unknownUnionKeys(
  options: readonly z.ZodType[],
  input: unknown,
  path: readonly string[],
): UnknownConfigKey[] {
  const matching = options.filter((option) => option.safeParse(input).success);
  const candidates = matching.map((option) => unknownConfigKeys(option, input, path));
  return (
    candidates.reduce<UnknownConfigKey[] | undefined>(
      (fewest, keys) => (fewest === undefined || keys.length < fewest.length ? keys : fewest),
      undefined,
    ) ?? []
  );
}

/**
 * `parseConfig` that also refuses keys the schema does not declare, for configuration a person
 * writes (cdk.json, a config file): every bad value and every unknown key in one error.
 * @throws InvalidConfigError listing both.
 */
export function parseKnownConfig<S extends z.ZodType>(
  schema: S,
  input: unknown,
  source: string,
): z.output<S> {
  const unknown: ConfigProblem[] = unknownConfigKeys(schema, input).map(({ path, value }) => ({
    path: path.join('.'),
    received: JSON.stringify(value)?.slice(0, 80) ?? String(value),
    expected:
      'a setting Prescale knows (this key is not one: check its spelling and nesting in docs/configuration.md)',
  }));
  let parsed: z.output<S>;
  try {
    parsed = parseConfig(schema, input, source);
  } catch (error) {
    if (!(error instanceof InvalidConfigError)) throw error;
    throw new InvalidConfigError(source, [...error.problems, ...unknown]);
  }
  if (unknown.length > 0) throw new InvalidConfigError(source, unknown);
  return parsed;
}
