import { readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';

/** The repository root, which every path below is relative to. */
export const REPO_ROOT = path.resolve(__dirname, '..', '..');

/** The TypeScript and JavaScript sources under `dir` (repo-relative), recursively. */
export function sourceFiles(dir: string): string[] {
  return readdirSync(path.join(REPO_ROOT, dir)).flatMap((name) => {
    const file = path.join(dir, name);
    if (statSync(path.join(REPO_ROOT, file)).isDirectory()) return sourceFiles(file);
    return /\.(ts|js|cjs|mjs)$/.test(name) ? [file] : [];
  });
}

// Static, side-effect and dynamic imports, re-exports, `require` and `require.resolve`.
const SPECIFIER =
  /(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|^import\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|require(?:\.resolve)?\(\s*['"]([^'"]+)['"]\s*\)/gm;

/** Every module specifier a source file names, in order. */
export function importSpecifiers(file: string): string[] {
  const text = readFileSync(path.join(REPO_ROOT, file), 'utf8');
  return [...text.matchAll(SPECIFIER)].map((m) => m[1] ?? m[2] ?? m[3] ?? m[4] ?? '');
}
