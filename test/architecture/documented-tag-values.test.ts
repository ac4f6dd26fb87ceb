import { readFileSync } from 'node:fs';
import path from 'node:path';
import { userConfigSchema } from '../../shared/contracts/user-config';
import { resolveGroupSettings } from '../../shared/usecases/resolve-group-settings';
import { REPO_ROOT } from '../helpers/source-imports';

/** docs/configuration.md's tag table: each `prescale:*` tag with the values its row says it takes. */
function documentedTags(): { tag: string; effect: string }[] {
  const text = readFileSync(path.join(REPO_ROOT, 'docs/configuration.md'), 'utf8');
  const table = text.split(/^\| tag \| effect \|$/m)[1]?.split(/\n\n/)[0] ?? '';
  return [...table.matchAll(/^\| `(prescale:[a-z-]+)` \| (.*) \|$/gm)].map((m) => ({
    tag: m[1] as string,
    effect: m[2] as string,
  }));
}

/** Values a row's stated domain takes and values it does not, or undefined when the row states none. */
function statedDomain(effect: string): { accepted: string[]; refused: string[] } | undefined {
  const whole = /^whole number (\d+)–(\d+)/.exec(effect);
  if (whole) {
    const [low, high] = [Number(whole[1]), Number(whole[2])];
    return { accepted: [`${low}`, `${high}`], refused: [`${high + 1}`, `${low}.5`, `-1`] };
  }
  const interval = /^number in ([([])(\d+(?:\.\d+)?), (\d+(?:\.\d+)?)([)\]])/.exec(effect);
  if (interval) {
    const [, open, lowText = '', highText = '', close] = interval;
    const [low, high] = [Number(lowText), Number(highText)];
    const near = (value: number, towards: number) =>
      `${Number((value + (towards - value) / 100).toFixed(6))}`;
    return {
      accepted: [open === '[' ? lowText : near(low, high), close === ']' ? highText : near(high, low)],
      refused: [open === '[' ? `${low - 0.01}` : lowText, close === ']' ? `${high + 0.01}` : highText],
    };
  }
  if (/^positive number/.test(effect)) return { accepted: ['0.5', '250'], refused: ['0', '-1'] };
  if (/^whole number of instances/.test(effect)) return { accepted: ['0', '3'], refused: ['2.5', '-1'] };
  if (/^`true` or `false`/.test(effect)) return { accepted: ['true', 'false'], refused: ['yes', '1'] };
  return undefined;
}

const config = userConfigSchema.parse({ groups: { tag: { key: 'prescale:enabled', value: 'true' } } });
const ignores = (tag: string, value: string): boolean =>
  resolveGroupSettings(config, 'web', { [tag]: value }).ignoredTags.length > 0;

const rows = documentedTags().flatMap(({ tag, effect }) => {
  const domain = statedDomain(effect);
  return domain ? [{ tag, ...domain }] : [];
});

describe("the tag values docs/configuration.md's tag table states", () => {
  it('are found for the numeric and boolean tags', () => {
    expect(rows.map((row) => row.tag)).toEqual(
      expect.arrayContaining([
        'prescale:target-load-per-instance',
        'prescale:floor',
        'prescale:recurring-peak-days',
        'prescale:planning-quantile-max',
        'prescale:forecast-floor',
      ]),
    );
  });

  it.each(rows)('of $tag are the values a run takes, the others reported and ignored', (row) => {
    expect(row.accepted.filter((value) => ignores(row.tag, value))).toEqual([]);
    expect(row.refused.filter((value) => !ignores(row.tag, value))).toEqual([]);
  });
});
