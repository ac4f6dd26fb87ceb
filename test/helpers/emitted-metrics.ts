import { readFileSync } from 'node:fs';
import path from 'node:path';
import { REPO_ROOT, sourceFiles } from './source-imports';

/**
 * Every CloudWatch metric the product emits, read from the sources: the names of
 * `addMetric('Name', …)` calls, and the prefixes of `addMetric(`Name_${…}`, …)` families.
 */
export function emittedMetrics(): { names: string[]; families: string[] } {
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

/** Whether the product emits a metric of this name (itself, or as a member of a family). */
export function isEmitted(name: string): boolean {
  const { names, families } = emittedMetrics();
  return names.includes(name) || families.some((prefix) => name.startsWith(prefix));
}
