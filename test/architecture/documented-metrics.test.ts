import { readFileSync } from 'node:fs';
import path from 'node:path';
import { REPO_ROOT, sourceFiles } from '../helpers/source-imports';

/**
 * Every CloudWatch metric a function emits (`addMetric('Name'` or a `Name_${…}` family), read from
 * the sources, so a new metric cannot ship without the README's list naming it.
 */
function emittedMetrics(): { names: string[]; families: string[] } {
  const text = ['functions', 'shared']
    .flatMap(sourceFiles)
    .map((f) => readFileSync(path.join(REPO_ROOT, f), 'utf8'));
  const calls = text.flatMap((t) =>
    [...t.matchAll(/addMetric\(\s*(['`])([^'`]+)\1/g)].map((m) => m[2] as string),
  );
  return {
    names: [...new Set(calls.filter((c) => !c.includes('${')))],
    families: [...new Set(calls.filter((c) => c.includes('${')).map((c) => c.slice(0, c.indexOf('${'))))],
  };
}

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
