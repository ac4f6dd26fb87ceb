import { POLICY_NAMES, type PolicyName } from './policy-name';
import type { PolicyRun } from './policy-run';
import { prescaleConfig } from './prescale-config';
import { PrescaleLambdas } from './prescale-lambdas';
import { runPolicy } from './run-policy';
import { runPolicyJobs } from './run-policy-jobs';
import type { Scenario } from './scenario';

/** All runs of one scenario. */
export interface Evaluation {
  readonly scenario: Scenario;
  readonly runs: PolicyRun[];
  /** Wall-clock seconds per policy (how long the simulation took, not simulated time). */
  readonly wallSeconds: Partial<Record<PolicyName, number>>;
}

/** Options of {@link evaluatePolicies}. */
export interface EvaluateOptions {
  readonly policies?: readonly PolicyName[];
  /** Called as runs progress: the policy and its share done (0–1). */
  readonly onProgress?: (policy: PolicyName, done: number) => void;
  /** Keep the Prescale handlers loaded after the call (for several scenarios in one process). */
  readonly keepPrescaleRunning?: boolean;
  /**
   * Run the policies in this many child processes at once (`runPolicyJobs`); 1 (or a single
   * policy) runs them one after the other in this process. Same results either way. @default 1
   */
  readonly workers?: number;
}

/**
 * Runs each policy on the same scenario, each in its own fresh world with the same seed, and
 * returns the runs in report order. Prescale's handlers are started on first use (in this
 * process, or in a child process with `workers` > 1).
 */
export async function evaluatePolicies(
  scenario: Scenario,
  options: EvaluateOptions = {},
): Promise<Evaluation> {
  const policies = POLICY_NAMES.filter((p) => (options.policies ?? POLICY_NAMES).includes(p));
  const workers = Math.min(options.workers ?? 1, policies.length);
  if (workers > 1) {
    const results = await runPolicyJobs(
      policies.map((policy) => ({ scenario, policy })),
      {
        workers,
        ...(options.onProgress
          ? { onProgress: (i: number, done: number) => options.onProgress?.(policies[i] as PolicyName, done) }
          : {}),
      },
    );
    return {
      scenario,
      runs: results.map((r) => r.run),
      wallSeconds: Object.fromEntries(results.map((r, i) => [policies[i], r.wallSeconds])),
    };
  }
  const runs: PolicyRun[] = [];
  const wallSeconds: Partial<Record<PolicyName, number>> = {};
  let lambdas: PrescaleLambdas | undefined;
  try {
    for (const policy of policies) {
      const started = performance.now();
      if (policy === 'prescale') lambdas = await PrescaleLambdas.start(prescaleConfig(scenario));
      runs.push(
        await runPolicy(policy, scenario, {
          ...(lambdas ? { prescale: lambdas } : {}),
          ...(options.onProgress ? { onProgress: (done: number) => options.onProgress?.(policy, done) } : {}),
        }),
      );
      wallSeconds[policy] = (performance.now() - started) / 1000;
    }
  } finally {
    if (lambdas && !options.keepPrescaleRunning) await lambdas.stop();
  }
  return { scenario, runs, wallSeconds };
}
