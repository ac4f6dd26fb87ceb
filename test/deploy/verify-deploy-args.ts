/** The command line of `verify:deploy` (test/deploy/verify-deploy.ts): its options, help and checks. */
import type { ParseArgsConfig, parseArgs } from 'node:util';
import { parseDays, parsePositiveDecimal } from '../../shared/simulation/parse-cli-args';
import { MIN_EVALUATED_MINUTES } from '../../shared/simulation/run/build-scenario';

/** What `verify:deploy` was asked to run. */
export interface VerifyDeployArgs {
  /** Steps 1–2 only: the matrix's IAM and scenarios, without the `npm start`, scenario and fault runs. */
  staticOnly: boolean;
  /** Days `npm start` simulates in step 3 (as its own `--days`, fractions allowed). */
  days: number;
  /** Hours of each configuration's scaling loop in step 2. */
  matrixHours: number;
}

export const VERIFY_DEPLOY_HELP = `What a real deployment would allow and refuse, per configuration of the deploy matrix.
Usage: npm run verify:deploy -- [options]
  --static            the synthesized IAM and each configuration's scenarios only (steps 1–2), not
                      npm start, the campaign/dependency/side-service scenarios and bench:faults
  --days N            days npm start simulates in step 3, as its --days reads them: a decimal, at
                      least an hour (default 7)
  --matrix-hours N    hours of each configuration's scaling loop in step 2, a decimal > 0 (default 1)
  --help              this text
Exits non-zero on any needed call denied, non-enrolled mutation or mutation of a group another
deployment owns allowed, delivery refused, request-model violation, unlisted call, Task call
refused, unanswered call or handler error.`;

export const VERIFY_DEPLOY_OPTIONS = {
  static: { type: 'boolean', default: false },
  days: { type: 'string', default: '7' },
  'matrix-hours': { type: 'string', default: '1' },
} as const satisfies NonNullable<ParseArgsConfig['options']>;

type ParsedValues = ReturnType<typeof parseArgs<{ options: typeof VERIFY_DEPLOY_OPTIONS }>>['values'];

/**
 * The parsed options checked by the simulation's strict readers (`--days` as npm start reads it,
 * so step 3 never fails late on a value accepted here).
 * @throws CliUsageError naming the flag and the value received.
 */
export function verifyDeployArgs(values: ParsedValues): VerifyDeployArgs {
  return {
    staticOnly: values.static,
    days: parseDays('--days', values.days, MIN_EVALUATED_MINUTES),
    matrixHours: parsePositiveDecimal('--matrix-hours', values['matrix-hours']),
  };
}
