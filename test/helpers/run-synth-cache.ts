import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { TEST_TEMP_ROOT_ENV } from './test-temp-root';

/**
 * What a synth made, kept for the rest of the Jest run (on disk under the run's temp root, so
 * every worker and file reads it): a CDK synth of the Prescale stack costs 1–3 s in a fresh test
 * file, and a dozen files synthesize the same few configurations. One run's sources never change,
 * and the root is new each run, so an entry is never stale. `key` must hold everything the result
 * depends on (the configuration and how it was built). A synth that throws is not kept: each file
 * sees its error. Outside Jest's setup (no run root: a script, the deploy check) nothing is kept.
 * The result must be plain JSON; each call returns its own copy. What is kept under one of
 * `servedBy` (a stricter build of the same thing) answers too.
 */
export function keptForTheRun<T>(key: unknown, synth: () => T, servedBy: readonly unknown[] = []): T {
  const root = process.env[TEST_TEMP_ROOT_ENV];
  if (!root) return synth();
  const dir = path.join(root, 'synth-cache');
  const fileOf = (k: unknown) =>
    path.join(dir, `${createHash('sha256').update(JSON.stringify(k)).digest('hex')}.json`);
  const kept = [key, ...servedBy].map(fileOf).find((f) => existsSync(f));
  if (kept) return JSON.parse(readFileSync(kept, 'utf8')) as T;
  const file = fileOf(key);
  const made = synth();
  mkdirSync(dir, { recursive: true });
  // Written aside, then renamed: a worker reading at the same time sees all of it or none.
  const partial = `${file}.${process.pid}.partial`;
  writeFileSync(partial, JSON.stringify(made));
  renameSync(partial, file);
  return JSON.parse(JSON.stringify(made)) as T;
}
