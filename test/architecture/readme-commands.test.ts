import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

const ROOT = path.join(__dirname, '..', '..');
const scripts = (
  JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }
).scripts;

/** Every `npm run NAME` and `npm start`/`npm test` the page names. */
function npmCommands(file: string): string[] {
  const text = readFileSync(path.join(ROOT, file), 'utf8');
  const named = [...text.matchAll(/npm run (?:-s )?([a-z][\w:-]*)/g)].map((m) => m[1] as string);
  const bare = [...text.matchAll(/npm (start|test)\b/g)].map((m) => m[1] as string);
  return [...new Set([...named, ...bare])];
}

describe.each([
  'README.md',
  'docs/ARCHITECTURE.md',
  'docs/BENCHMARKS.md',
  'docs/COST.md',
  'docs/SECURITY.md',
  'docs/campaigns.md',
  'docs/dependencies.md',
  'docs/evaluation.md',
  'docs/pricing.md',
])('the npm commands of %s', (file) => {
  it('each name a script of package.json whose file exists', () => {
    const commands = npmCommands(file);
    expect(commands.length).toBeGreaterThan(0);
    const missing = commands.filter((name) => scripts[name] === undefined);
    expect(missing).toEqual([]);
    // A script that runs a TypeScript file names a file that is there.
    const files = commands.flatMap((name) =>
      [...(scripts[name] as string).matchAll(/([\w./-]+\.ts)\b/g)].map((m) => m[1] as string),
    );
    expect(files.filter((f) => !existsSync(path.join(ROOT, f)))).toEqual([]);
  });
});
