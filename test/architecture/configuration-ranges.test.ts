import { readFileSync } from 'node:fs';
import path from 'node:path';
import { userConfigSchema } from '../../shared/contracts/user-config';
import { REPO_ROOT } from '../helpers/source-imports';

/** A range a row of docs/configuration.md's field table states for its field, e.g. `(1–60)` or `(0–1]`. */
interface StatedRange {
  readonly field: string;
  readonly low: number;
  readonly high: number;
  /** `(0–1]`: interval notation, the low end excluded. */
  readonly lowExcluded: boolean;
  /** The row says 0 turns the setting off below its range (`opt-in (0 is off): … (1–14)`). */
  readonly zeroIsOff: boolean;
}

/** Each field row whose meaning states the field's numeric range: its first parenthesis that opens with one. */
function statedRanges(): StatedRange[] {
  const text = readFileSync(path.join(REPO_ROOT, 'docs/configuration.md'), 'utf8');
  const table = text.split(/^\| field \| default \| meaning \|$/m)[1]?.split(/\n\n/)[0] ?? '';
  return [...table.matchAll(/^\| `([^`<]+)` \| [^|]* \| (.*)$/gm)].flatMap((row) => {
    const [, field = '', meaning = ''] = row;
    const range = /\((-?\d+(?:\.\d+)?)–(\d+(?:\.\d+)?)([\])])?/.exec(meaning);
    // A range right after a quoted setting gives that setting's values (`planningQuantileMax` (0.55–0.99)).
    if (!range || meaning.slice(0, range.index).endsWith('` ')) return [];
    return [
      {
        field,
        low: Number(range[1]),
        high: Number(range[2]),
        lowExcluded: range[3] === ']',
        zeroIsOff: /\(0 is off\)/.test(meaning) && Number(range[1]) > 0,
      },
    ];
  });
}

/** The schema's own bound messages at `field` for the value set there (cross-field rules left out). */
function boundIssues(field: string, value: number): string[] {
  const config: Record<string, unknown> = { groups: { tag: { key: 'prescale:enabled', value: 'true' } } };
  const keys = field.split('.');
  let parent = config;
  for (const key of keys.slice(0, -1)) {
    parent[key] ??= {};
    parent = parent[key] as Record<string, unknown>;
  }
  parent[keys.at(-1) as string] = value;
  const result = userConfigSchema.safeParse(config);
  if (result.success) return [];
  return result.error.issues
    .filter((issue) => issue.path.join('.') === field && /^Too (small|big)/.test(issue.message))
    .map((issue) => issue.message);
}

const ranges = statedRanges();

describe('the ranges docs/configuration.md states', () => {
  it('are found', () => {
    expect(ranges.map((r) => r.field)).toEqual(
      expect.arrayContaining(['scheduleRateMinutes', 'defaults.horizonHours', 'lookAhead.stepHours']),
    );
  });

  it.each(ranges)('of $field ($low–$high) are the bounds the schema enforces', (range) => {
    // The nearest values outside: a whole step for whole-number ranges, a hundredth otherwise.
    const step = Number.isInteger(range.low) && Number.isInteger(range.high) && range.high > 1 ? 1 : 0.01;
    const outside = range.zeroIsOff ? [-step, range.high + step] : [range.low - step, range.high + step];
    const inside = range.lowExcluded ? [range.low + step, range.high] : [range.low, range.high];
    if (range.lowExcluded) outside[0] = range.low;
    expect(inside.map((value) => boundIssues(range.field, value))).toEqual([[], []]);
    expect(outside.filter((value) => boundIssues(range.field, value).length === 0)).toEqual([]);
  });
});
