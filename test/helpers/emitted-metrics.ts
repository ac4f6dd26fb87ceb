import { readFileSync } from 'node:fs';
import path from 'node:path';
import { REPO_ROOT, sourceFiles } from './source-imports';

/**
 * Every CloudWatch metric the product emits, read from the sources: the names of
 * `addMetric('Name', …)` calls, the prefixes of `addMetric(`Name_${…}`, …)` families, and the
 * values of a file's `const NAMES = { kind: 'Name', … }` table that `addMetric(NAMES[…], …)` reads.
 * Any other first argument throws, so no metric escapes the README check unread. Read once a test
 * file (the sources do not change during a run): the dashboard's tests ask per widget, and read
 * every source 37 times over.
 */
export function emittedMetrics(): { names: string[]; families: string[] } {
  read ??= readEmittedMetrics();
  return { names: [...read.names], families: [...read.families] };
}

let read: { readonly names: readonly string[]; readonly families: readonly string[] } | undefined;

function readEmittedMetrics() {
  const text = ['functions', 'shared']
    .flatMap(sourceFiles)
    .map((f) => readFileSync(path.join(REPO_ROOT, f), 'utf8'));
  const calls = text.flatMap(metricNamesIn);
  return {
    names: [...new Set(calls.filter((c) => !c.includes('${')))],
    families: [...new Set(calls.filter((c) => c.includes('${')).map((c) => c.slice(0, c.indexOf('${'))))],
  };
}

/** Whether the product emits a metric of this name (itself, or as a member of a family). */
export function isEmitted(name: string): boolean {
  const { names, families } = emittedMetrics();
  return names.includes(name) || families.some((prefix) => name.startsWith(prefix));
}

function metricNamesIn(source: string): string[] {
  return [...source.matchAll(/addMetric\(\s*([^,]+),/g)].flatMap((m) => {
    const argument = (m[1] as string).trim();
    const literal = /^(['`])([^'`]+)\1$/.exec(argument);
    if (literal) return [literal[2] as string];
    const table = /^([A-Z_]+)\[/.exec(argument)?.[1];
    const body = table ? new RegExp(`const ${table} = \\{([^}]*)\\}`).exec(source)?.[1] : undefined;
    if (!body) throw new Error(`addMetric(${argument}, …): not a literal name nor a const table of names`);
    return [...body.matchAll(/:\s*'([^']+)'/g)].map((v) => v[1] as string);
  });
}
