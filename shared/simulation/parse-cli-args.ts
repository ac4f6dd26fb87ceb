import { isPolicyName, POLICY_NAMES, type PolicyName } from './run/policy-name';

/** What `cli.ts` was asked to do. */
export interface CliOptions {
  readonly traceFile?: string;
  readonly policies: readonly PolicyName[];
  readonly jsonFile?: string;
  readonly reportFile: string;
  readonly seed: number;
  readonly days?: number;
  readonly warmupDays?: number;
  readonly startIso?: string;
  readonly peakInstances?: number;
  readonly mergeDuplicates: boolean;
  readonly warmPool: boolean;
  readonly prescaleStepSeconds?: 300 | 3600;
  readonly instanceType?: string;
}

/** A command line the CLI cannot run, with what was wrong. */
export class CliUsageError extends Error {
  override readonly name = 'CliUsageError' as const;
}

/** The `--help` text. */
export const CLI_HELP = `Prescale simulation: replays a load trace against a simulated AWS (virtual clock) and compares
scaling policies side by side: ${POLICY_NAMES.join(', ')}.

Usage: npx tsx shared/simulation/cli.ts [options]        (npm start = no options)

  --trace FILE.csv       load trace with a header, \`timestamp,value\` (a CloudWatch export); any unit,
                         rescaled so its peak needs --peak-instances instances. Default: the built-in
                         workload (daily/weekly cycles, noise, growth, a campaign spike, an anomaly).
  --policy NAME          policy to run; repeat for several. Default: all.
  --json FILE            also write the metrics as JSON { trace, policies: [...] }.
  --report FILE.html     HTML report with charts (works offline). Default: reports/simulation.html
  --seed N               seed of the workload and of all simulated randomness. Default: 1
  --days N               days evaluated. Default: 7 (built-in), the rest of a trace up to 14.
  --warmup-days N        days of history seeded into CloudWatch first. Default: 7 (at most half a trace).
  --start ISO            first instant of the trace to use (e.g. 2014-10-13T00:00:00Z).
  --peak-instances N     instances the trace's peak needs at the target. Default: 20
  --merge-duplicates     average rows with the same timestamp instead of rejecting the file.
  --warm-pool            give every policy's group a warm pool.
  --prescale-step S      Prescale's forecast step in seconds, 300 (the product default) or 3600
                         (the hourly shortcut). Default: 300
  --instance-type T      m5.large (default), m6i.large, m7g.large, c5.large or c6g.large.
  --help                 this text.

Every policy runs on the same load in its own world with the same seed. prescale runs its real
Lambda handlers every 5 virtual minutes next to the group's target-tracking policy (Prescale raises
a floor; target tracking handles surprises and scale-in above it). Metrics: docs/evaluation.md.`;

const positiveNumber = (flag: string, text: string | undefined): number => {
  const n = Number(text);
  if (text === undefined || !Number.isFinite(n) || n <= 0)
    throw new CliUsageError(`${flag} expects a positive number, got ${text ?? 'nothing'}`);
  return n;
};

/**
 * Parses the command line (without `node` and the script).
 * @returns the options, or `'help'` for --help.
 * @throws CliUsageError naming the flag for an unknown flag, a missing or invalid value, or an unknown policy.
 */
export function parseCliArgs(argv: readonly string[]): CliOptions | 'help' {
  const policies: PolicyName[] = [];
  const options: { -readonly [K in keyof CliOptions]?: CliOptions[K] } = {};
  for (let i = 0; i < argv.length; i += 1) {
    const flag = argv[i] as string;
    const value = () => {
      const v = argv[i + 1];
      if (v === undefined || v.startsWith('--')) throw new CliUsageError(`${flag} expects a value`);
      i += 1;
      return v;
    };
    switch (flag) {
      case '--help':
      case '-h':
        return 'help';
      case '--trace':
        options.traceFile = value();
        break;
      case '--policy': {
        const name = value();
        if (!isPolicyName(name))
          throw new CliUsageError(
            `--policy ${name} is not a policy; expected one of ${POLICY_NAMES.join(', ')}`,
          );
        if (!policies.includes(name)) policies.push(name);
        break;
      }
      case '--json':
        options.jsonFile = value();
        break;
      case '--report':
        options.reportFile = value();
        break;
      case '--seed': {
        const v = value();
        const n = Number(v);
        if (!Number.isInteger(n) || n < 0)
          throw new CliUsageError(`--seed expects a whole number ≥ 0, got ${v}`);
        options.seed = n;
        break;
      }
      case '--days':
        options.days = positiveNumber(flag, value());
        break;
      case '--warmup-days':
        options.warmupDays = positiveNumber(flag, value());
        break;
      case '--start':
        options.startIso = value();
        if (!Number.isFinite(Date.parse(options.startIso)))
          throw new CliUsageError(`--start expects an ISO date, got ${options.startIso}`);
        break;
      case '--peak-instances':
        options.peakInstances = positiveNumber(flag, value());
        break;
      case '--merge-duplicates':
        options.mergeDuplicates = true;
        break;
      case '--warm-pool':
        options.warmPool = true;
        break;
      case '--prescale-step': {
        const v = value();
        if (v !== '300' && v !== '3600')
          throw new CliUsageError(`--prescale-step expects 300 or 3600, got ${v}`);
        options.prescaleStepSeconds = Number(v) as 300 | 3600;
        break;
      }
      case '--instance-type':
        options.instanceType = value();
        break;
      default:
        throw new CliUsageError(`unknown option ${flag}; see --help`);
    }
  }
  return {
    ...options,
    policies: policies.length > 0 ? policies : [...POLICY_NAMES],
    reportFile: options.reportFile ?? 'reports/simulation.html',
    seed: options.seed ?? 1,
    mergeDuplicates: options.mergeDuplicates ?? false,
    warmPool: options.warmPool ?? false,
  };
}
