import { readFileSync } from 'node:fs';
import path from 'node:path';
import { emittedMetrics } from '../helpers/emitted-metrics';
import { REPO_ROOT } from '../helpers/source-imports';

describe('the metrics the README lists', () => {
  const readme = readFileSync(path.join(REPO_ROOT, 'README.md'), 'utf8');
  const listed = new Set(
    [...readme.matchAll(/`([A-Za-z0-9_|-]+)`/g)].flatMap((m) => expandAlternatives(m[1] as string)),
  );

  it('name every metric a function emits', () => {
    const { names, families } = emittedMetrics();
    expect(names.length).toBeGreaterThan(15);
    expect(names.filter((name) => !listed.has(name))).toEqual([]);
    expect(families.length).toBeGreaterThan(0);
    expect(families.filter((prefix) => ![...listed].some((l) => l.startsWith(prefix)))).toEqual([]);
  });
});

/** `Outcome_applied|held` → Outcome_applied, Outcome_held; `CampaignGroupsRaised|Lowered` likewise. */
function expandAlternatives(code: string): string[] {
  const [first = '', ...rest] = code.split('|');
  const stem = first.includes('_')
    ? first.slice(0, first.indexOf('_') + 1)
    : (/^(.*?)[A-Z][a-z]+$/.exec(first)?.[1] ?? '');
  return [first, ...rest.map((alt) => `${stem}${alt}`)];
}
