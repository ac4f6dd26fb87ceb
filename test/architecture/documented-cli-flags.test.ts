import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from '../helpers/source-imports';

const PAGES = ['README.md', 'docs/campaigns.md', 'docs/evaluation.md', 'docs/dependencies.md'];
const scripts = (
  JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as {
    scripts: Record<string, string>;
  }
).scripts;

/** Each line of a page that runs `npm run NAME -- …` (a shell line ending in `\` joined to the next), by script. */
function documentedRuns(page: string): { script: string; flags: string[] }[] {
  const text = readFileSync(path.join(REPO_ROOT, page), 'utf8').replace(/\\\n/g, ' ');
  return [...text.matchAll(/^.*npm run (?:-s )?([a-z][\w:-]*) -- .*$/gm)].map((line) => ({
    script: line[1] as string,
    flags: [
      ...new Set([...(line[0] as string).matchAll(/(?<![\w-])--([a-z][a-z-]*)/g)].map((m) => m[1] as string)),
    ],
  }));
}

/** The source files a script runs: its entry file and the relative imports it reaches. */
function sourcesOf(script: string): string[] {
  const entry = /([\w./-]+\.ts)\b/.exec(scripts[script] ?? '')?.[1];
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file) || !existsSync(path.join(REPO_ROOT, file))) return;
    seen.add(file);
    const text = readFileSync(path.join(REPO_ROOT, file), 'utf8');
    for (const m of text.matchAll(/from '(\.{1,2}\/[^']+)'/g)) {
      visit(path.posix.normalize(path.posix.join(path.posix.dirname(file), `${m[1]}.ts`)));
    }
  };
  if (entry) visit(entry);
  return [...seen];
}

/** The long options a script's `util.parseArgs` declares (`name: { type: … }`). */
function declaredFlags(script: string): Set<string> {
  const sources = sourcesOf(script).map((file) => readFileSync(path.join(REPO_ROOT, file), 'utf8'));
  return new Set(
    sources.flatMap((text) =>
      [...text.matchAll(/^\s*'?([a-z][a-z-]*)'?: \{ type: '(?:string|boolean)'/gm)].map(
        (m) => m[1] as string,
      ),
    ),
  );
}

describe('the command-line flags the docs give npm scripts', () => {
  const runs = PAGES.flatMap((page) => documentedRuns(page).map((run) => ({ page, ...run })));

  it('are found (simulate, bench:frontier, campaign, …)', () => {
    expect(runs.flatMap((run) => run.flags).length).toBeGreaterThan(15);
    expect(runs.map((run) => run.script)).toEqual(
      expect.arrayContaining(['simulate', 'bench:frontier', 'bench:sweep-memory', 'campaign']),
    );
  });

  it('are each an option the script declares', () => {
    const unknown = runs.flatMap(({ page, script, flags }) => {
      const declared = declaredFlags(script);
      expect(declared.size).toBeGreaterThan(0);
      return flags
        .filter((flag) => !declared.has(flag))
        .map((flag) => `${page}: npm run ${script} -- --${flag}`);
    });
    expect(unknown).toEqual([]);
  });
});
