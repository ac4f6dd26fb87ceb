import { type ParseArgsConfig, parseArgs } from 'node:util';
import { parseMetricDelayMinutes } from '../../../shared/simulation/parse-cli-args';

type Options = NonNullable<ParseArgsConfig['options']>;

/**
 * A benchmark's command line, parsed by Node's `util.parseArgs` (strict): `--help` prints `usage`
 * and exits 0; an unknown option or a missing value prints the problem and the usage and exits 2.
 */
export function benchArgs<O extends Options>(usage: string, options: O) {
  const args = process.argv.slice(2);
  if (args.includes('--help') || args.includes('-h')) {
    console.log(usage);
    process.exit(0);
  }
  try {
    return parseArgs({ args, options, strict: true, allowPositionals: false }).values;
  } catch (error) {
    console.error(`${(error as Error).message}\n\n${usage}`);
    process.exit(2);
  }
}

/**
 * A benchmark's `--metric-delay N` (as npm start's): its whole minutes, or undefined without it
 * (no delay, the figures docs/BENCHMARKS.md records); a bad value prints the problem and the usage
 * and exits 2.
 */
export function benchMetricDelay(text: string | undefined, usage: string): number | undefined {
  if (text === undefined) return undefined;
  try {
    return parseMetricDelayMinutes(text);
  } catch (error) {
    console.error(`${(error as Error).message}\n\n${usage}`);
    process.exit(2);
  }
}

/**
 * A benchmark's flag value read by `read` (one of shared/simulation/parse-cli-args' strict readers);
 * a bad value prints the problem and the usage and exits 2.
 */
export function benchValue<T>(read: () => T, usage: string): T {
  try {
    return read();
  } catch (error) {
    console.error(`${(error as Error).message}\n\n${usage}`);
    process.exit(2);
  }
}

/**
 * The names a benchmark's `--only TEXT` selects: those containing TEXT, every name without it.
 * @throws Error naming TEXT and listing the names when it matches none: the run would do nothing
 *   and exit 0, as if every fault had held.
 */
export function namesMatchingOnly(names: readonly string[], only: string | undefined): string[] {
  if (only === undefined) return [...names];
  const matching = names.filter((name) => name.includes(only));
  if (matching.length === 0)
    throw new Error(
      `--only ${JSON.stringify(only)} matches no name; expected text contained in one of: ${names.map((n) => JSON.stringify(n)).join(', ')}`,
    );
  return matching;
}

/**
 * `namesMatchingOnly` for a benchmark's command line: a `--only` that matches no name prints the
 * problem and the usage and exits 2.
 */
export function benchOnly(names: readonly string[], only: string | undefined, usage: string): Set<string> {
  try {
    return new Set(namesMatchingOnly(names, only));
  } catch (error) {
    console.error(`${(error as Error).message}\n\n${usage}`);
    process.exit(2);
  }
}
