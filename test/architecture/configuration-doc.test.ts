import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { z } from 'zod';
import { GROUP_TAGS } from '../../shared/contracts/env';
import { userConfigSchema } from '../../shared/contracts/user-config';
import { REPO_ROOT } from '../helpers/source-imports';

/** docs/configuration.md's field table: each `field` with its default column. */
function documentedFields(): Map<string, string> {
  const text = readFileSync(path.join(REPO_ROOT, 'docs/configuration.md'), 'utf8');
  const table = text.split(/^\| field \| default \| meaning \|$/m)[1]?.split(/\n\n/)[0] ?? '';
  return new Map(
    [...table.matchAll(/^\| `([^`]+)` \| ([^|]*) \|/gm)].map((m) => [
      m[1] as string,
      (m[2] as string).trim(),
    ]),
  );
}

/** The parts of a zod 4 schema's definition the walk reads. */
type Def = { innerType?: z.ZodType; in?: z.ZodType; valueType?: z.ZodType };
const defOf = (schema: z.ZodType): Def => (schema as unknown as { _zod: { def: Def } })._zod.def;

/** The object shape inside a schema's default, optional and pipe wrappers (undefined: not an object). */
function shapeOf(schema: z.ZodType): Record<string, z.ZodType> | undefined {
  let current: z.ZodType | undefined = schema;
  for (let depth = 0; current !== undefined && depth < 10; depth++) {
    const shape = (current as { shape?: Record<string, z.ZodType> }).shape;
    if (shape !== undefined) return shape;
    const def: Def = defOf(current);
    current = def.innerType ?? def.in;
  }
  return undefined;
}

/** The schema a documented path names, through object shapes (`<name>` stands for a record key). */
function schemaAt(field: string): z.ZodType | undefined {
  let schema: z.ZodType | undefined = userConfigSchema;
  for (const segment of field.split('.')) {
    if (schema === undefined) return undefined;
    if (segment.startsWith('<')) {
      const def: Def = defOf(schema);
      schema = (def.innerType ? defOf(def.innerType).valueType : undefined) ?? def.valueType;
      continue;
    }
    schema = shapeOf(schema)?.[segment];
  }
  return schema;
}

// Enrolled by tag, so `groups.names` keeps its default.
const parsed = userConfigSchema.parse({ groups: { tag: { key: 'prescale:enabled', value: 'true' } } });
const valueAt = (field: string): unknown =>
  field.split('.').reduce<unknown>((v, k) => (v as Record<string, unknown> | undefined)?.[k], parsed);

/** A default column that states a value: a number, a boolean, or JSON in backticks. */
function statedDefault(column: string): { value: unknown } | undefined {
  if (/^-?\d+(\.\d+)?$/.test(column)) return { value: Number(column) };
  if (column === 'true' || column === 'false') return { value: column === 'true' };
  const code = /^`([^`]+)`$/.exec(column)?.[1];
  if (code === undefined) return undefined;
  try {
    return { value: JSON.parse(code) };
  } catch {
    return /^[\w-]+$/.test(code) ? { value: code } : undefined;
  }
}

describe('docs/configuration.md', () => {
  const rows = documentedFields();
  const shape = shapeOf(userConfigSchema) ?? {};

  it('has a row for every configuration field and every group setting', () => {
    const groupSettings = Object.keys(shapeOf(shape.defaults as z.ZodType) ?? {}).map((k) => `defaults.${k}`);
    const fields = [...Object.keys(shape).filter((k) => k !== 'defaults'), ...groupSettings];
    expect(groupSettings.length).toBeGreaterThan(20);
    const undocumented = fields.filter(
      (field) => !rows.has(field) && ![...rows.keys()].some((row) => row.startsWith(`${field}.`)),
    );
    expect(undocumented).toEqual([]);
  });

  it('names every key of a block it documents in one row (pricing: in docs/pricing.md)', () => {
    const text = readFileSync(path.join(REPO_ROOT, 'docs/configuration.md'), 'utf8');
    const rowText = (field: string) => new RegExp(`^\\| \`${field}\` \\|.*$`, 'm').exec(text)?.[0] ?? '';
    const blocks = [...rows.keys()].filter(
      (field) =>
        !field.includes('.') &&
        field !== 'pricing' &&
        ![...rows.keys()].some((row) => row.startsWith(`${field}.`)) &&
        shapeOf(shape[field] as z.ZodType) !== undefined,
    );
    expect(blocks).toContain('timestream');
    const unnamed = blocks.flatMap((field) =>
      Object.keys(shapeOf(shape[field] as z.ZodType) ?? {})
        .filter((key) => !new RegExp(`\\b${key}\\b`).test(rowText(field)))
        .map((key) => `${field}.${key}`),
    );
    expect(unnamed).toEqual([]);
  });

  it('names no field the schema does not have', () => {
    expect(rows.size).toBeGreaterThan(40);
    expect([...rows.keys()].filter((field) => schemaAt(field) === undefined)).toEqual([]);
  });

  it('states each default the schema applies', () => {
    const wrong = [...rows]
      .map(([field, column]) => ({ field, stated: statedDefault(column) }))
      .filter(({ field }) => !field.includes('<'))
      .filter(
        ({ field, stated }) =>
          stated !== undefined && JSON.stringify(stated.value) !== JSON.stringify(valueAt(field)),
      )
      .map(
        ({ field, stated }) =>
          `${field}: documented ${JSON.stringify(stated?.value)}, schema ${JSON.stringify(valueAt(field))}`,
      );
    expect(wrong).toEqual([]);
  });

  it('has a row in its tag table for every tag Prescale reads on a group', () => {
    const text = readFileSync(path.join(REPO_ROOT, 'docs/configuration.md'), 'utf8');
    const tagTable = text.split(/^\| tag \| effect \|$/m)[1]?.split(/\n\n/)[0] ?? '';
    const rows = new Set([...tagTable.matchAll(/^\| `([^`=]+)[^`]*` \|/gm)].map((m) => m[1]));
    expect(Object.values(GROUP_TAGS).filter((tag) => !rows.has(tag))).toEqual([]);
  });

  it("has docs/pricing.md's table name every pricing key, with the schema's defaults", () => {
    const text = readFileSync(path.join(REPO_ROOT, 'docs/pricing.md'), 'utf8');
    const table = text.split(/^\| key \| default \| meaning \|$/m)[1]?.split(/\n\n/)[0] ?? '';
    const rows = [...table.matchAll(/^\| ([^|]+) \| ([^|]*) \|/gm)].map((m) => ({
      keys: [...(m[1] as string).matchAll(/`([^`]+)`/g)].map((k) => k[1] as string),
      column: (m[2] as string).trim(),
    }));
    const keys = Object.keys(shapeOf(shape.pricing as z.ZodType) ?? {});
    expect(keys.length).toBeGreaterThan(10);
    expect(keys.filter((k) => !rows.some((r) => r.keys.includes(k)))).toEqual([]);
    const wrong = rows
      .filter((r) => r.keys.length === 1)
      .map((r) => ({ key: r.keys[0] as string, stated: statedDefault(r.column) }))
      .filter(({ stated }) => stated !== undefined)
      .filter(
        ({ key, stated }) => JSON.stringify(stated?.value) !== JSON.stringify(valueAt(`pricing.${key}`)),
      );
    expect(wrong).toEqual([]);
  });
});
