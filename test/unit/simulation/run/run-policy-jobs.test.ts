import { buildScenario } from '../../../../shared/simulation/run/build-scenario';
import { type Evaluation, evaluatePolicies } from '../../../../shared/simulation/run/evaluate-policies';
import type { PolicyRun } from '../../../../shared/simulation/run/policy-run';
import {
  type PolicyJob,
  PolicyJobError,
  type PolicyJobResult,
  runPolicyJobs,
} from '../../../../shared/simulation/run/run-policy-jobs';

/** A run without its cache-statistics note: only the worker processes can memoize the forecaster. */
const comparable = (run: PolicyRun) => ({
  ...run,
  notes: run.notes.filter((n) => !n.startsWith('forecast cache')),
});

describe('runPolicyJobs', () => {
  // Three hours after two days of history: every policy, Prescale's handlers on 36 ticks.
  const scenario = buildScenario({ seed: 5, warmupDays: 2, days: 0.125 });
  let reference: Evaluation;
  let results: PolicyJobResult[];

  beforeAll(async () => {
    // Prescale twice: one run in this process, the other in the worker process.
    const jobs: PolicyJob[] = (
      ['prescale', 'prescale', 'reactive', 'ec2-predictive', 'static', 'oracle'] as const
    ).map((policy) => ({ scenario, policy }));
    results = await runPolicyJobs(jobs, { workers: 2 });
    reference = await evaluatePolicies(scenario);
  });

  it('returns, in this process and in a worker, the runs one process returns minute by minute', () => {
    const [prescale, ...others] = reference.runs.map(comparable);
    expect(results.map((r) => comparable(r.run))).toEqual([prescale, prescale, ...others]);
    expect(results[0]?.run.notes.join(' ')).toContain('36 run records');
  });

  it('runs a policy alone in this process when asked for one worker', async () => {
    const [alone] = await runPolicyJobs([{ scenario, policy: 'oracle' }], { workers: 1 });
    expect(alone?.run).toEqual(reference.runs[4]);
  });

  it.each([
    ['this process', 1],
    ['a worker process', 2],
  ])('rejects with the failing job, its trace and the error when it fails in %s', async (_where, workers) => {
    const error = await runPolicyJobs(
      [
        { scenario, policy: 'static' },
        { scenario, policy: 'reactive', knobs: { targetPct: -5 } },
      ],
      { workers },
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PolicyJobError);
    expect((error as Error).message).toMatch(
      /^reactive on built-in workload \(seed 5\): knobs: expected targetPct > 0/,
    );
  });
});
