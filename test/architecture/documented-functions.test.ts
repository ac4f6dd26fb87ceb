import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from '../helpers/source-imports';

const FUNCTIONS = new Set(readdirSync(path.join(REPO_ROOT, 'functions')));
const PAGES = [
  'README.md',
  ...readdirSync(path.join(REPO_ROOT, 'docs'))
    .filter((file) => file.endsWith('.md') && file !== 'BENCHMARKS.md')
    .map((file) => `docs/${file}`),
];

/** The Lambdas a page names: `Lambda<br/>name` in a diagram, "Lambda `name`" and "`name` Lambda" in prose. */
function namedLambdas(page: string): string[] {
  const text = readFileSync(path.join(REPO_ROOT, page), 'utf8');
  const patterns = [/Lambdas?<br\/>([a-z][a-z-]*)/g, /Lambda `([a-z][a-z-]*)`/g, /`([a-z][a-z-]*)` Lambda/g];
  return [...new Set(patterns.flatMap((pattern) => [...text.matchAll(pattern)].map((m) => m[1] as string)))];
}

describe('the Lambdas the docs name', () => {
  it('are found (README diagram, update plans, look-ahead cleanup)', () => {
    expect(PAGES.flatMap(namedLambdas).length).toBeGreaterThan(8);
  });

  it.each(PAGES)('in %s are each a folder of functions/', (page) => {
    expect(namedLambdas(page).filter((name) => !FUNCTIONS.has(name))).toEqual([]);
  });
});
