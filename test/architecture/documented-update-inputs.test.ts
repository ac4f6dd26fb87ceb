import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { z } from 'zod';
import { rollingUpdateRequestSchema } from '../../shared/contracts/rolling-update';
import { updatePlanRequestSchema } from '../../shared/contracts/update-plan';
import { REPO_ROOT } from '../helpers/source-imports';

const doc = readFileSync(path.join(REPO_ROOT, 'docs/rolling-updates.md'), 'utf8');

/** The backticked field names in the first column of the first field table after `heading`. */
function documentedFields(heading: string): string[] {
  const after = doc.split(new RegExp(`^${heading}$`, 'm'))[1] ?? '';
  const table = after.split(/^\| field\s+\| default\s+\| meaning\s+\|$/m)[1]?.split(/\n\n/)[0] ?? '';
  return [...table.matchAll(/^\| ([^|]+)\|/gm)].flatMap((row) =>
    [...(row[1] as string).matchAll(/`(\w+)`/g)].map((m) => m[1] as string),
  );
}

/** Each row's field and its default column, where that column states one literal value. */
function documentedDefaults(heading: string): [string, unknown][] {
  const after = doc.split(new RegExp(`^${heading}$`, 'm'))[1] ?? '';
  const table = after.split(/^\| field\s+\| default\s+\| meaning\s+\|$/m)[1]?.split(/\n\n/)[0] ?? '';
  return [...table.matchAll(/^\| `(\w+)`\s+\| ([^|]+?)\s+\|/gm)].flatMap((row) => {
    const column = row[2] as string;
    const literal = /^`?(-?\d+|true|false)`?$/.exec(column)?.[1] ?? /^`([\w-]+)`$/.exec(column)?.[1];
    if (literal === undefined) return [];
    const value = /^(-?\d+|true|false)$/.test(literal) ? JSON.parse(literal) : literal;
    return [[row[1] as string, value]];
  });
}

const keysOf = (schema: z.ZodObject): string[] => Object.keys(schema.shape);

describe('the request tables of docs/rolling-updates.md', () => {
  it("'Input' documents every rolling-update request field and no other", () => {
    // Set by an update plan on its children, not by a user.
    const internal = ['planExecutionName', 'expectedLaunchTemplate'];
    const schemaFields = keysOf(rollingUpdateRequestSchema).filter((key) => !internal.includes(key));
    const documented = documentedFields('## Input');
    expect([...documented].sort()).toEqual([...schemaFields].sort());
  });

  it("the update plans' 'Starting one' documents every plan request field and no other", () => {
    const documented = documentedFields('## Update plans: several dependent groups, slot by slot');
    expect([...documented].sort()).toEqual(keysOf(updatePlanRequestSchema).sort());
  });

  it('state the defaults the request schemas fill in', () => {
    const request = rollingUpdateRequestSchema.parse({ groupName: 'web', launchTemplateVersion: '7' });
    const plan = updatePlanRequestSchema.parse({
      groups: [{ groupName: 'web', launchTemplateVersion: '7' }],
    });
    const cases = [
      ...documentedDefaults('## Input').map(([field, value]) => [field, value, request] as const),
      ...documentedDefaults('## Update plans: several dependent groups, slot by slot').map(
        ([field, value]) => [field, value, plan] as const,
      ),
    ];
    // Defaults applied later (autoRollback, skipMatching: by validation) are not the schema's to fill.
    const filled = cases.filter(
      ([field, , parsed]) => (parsed as Record<string, unknown>)[field] !== undefined,
    );
    expect(filled.map(([field]) => field)).toEqual(
      expect.arrayContaining(['reason', 'force', 'slotMinutes']),
    );
    const wrong = filled.filter(
      ([field, value, parsed]) => (parsed as Record<string, unknown>)[field] !== value,
    );
    expect(wrong).toEqual([]);
  });
});
