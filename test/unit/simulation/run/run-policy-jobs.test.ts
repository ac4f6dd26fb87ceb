import { buildScenario } from '../../../../shared/simulation/run/build-scenario';
import { type Evaluation, evaluatePolicies } from '../../../../shared/simulation/run/evaluate-policies';
import type { PolicyRun } from '../../../../shared/simulation/run/run-policy';
import { PolicyJobError, runPolicyJobs } from '../../../../shared/simulation/run/run-policy-jobs';

/** A run without its cache-statistics note: only the worker processes can memoize the forecaster. */
const comparable = (run: PolicyRun) => ({
  ...run,
  notes: run.notes.filter((n) => !n.startsWith('forecast cache')),
});

describe('runPolicyJobs', () => {
  // Three hours after two days of history: every policy, Prescale's handlers on 36 ticks.
  const scenario = buildScenario({ seed: 5, warmupDays: 2, days: 0.125 });
  let inProcess: Evaluation;
  let inWorkers: Evaluation;

  beforeAll(async () => {
    inWorkers = await evaluatePolicies(scenario, { workers: 2 });
    inProcess = await evaluatePolicies(scenario);
  });

  it('returns the runs one process returns, policy by policy and minute by minute', () => {
    expect(inWorkers.runs.map((r) => r.summary.name)).toEqual([
      'prescale',
      'reactive',
      'ec2-predictive',
      'static',
      'oracle',
    ]);
    expect(inWorkers.runs.map(comparable)).toEqual(inProcess.runs.map(comparable));
    expect(inWorkers.runs[0]?.notes.join(' ')).toContain('36 run records');
  });

  it('reports the wall time of every policy', () => {
    expect(Object.keys(inWorkers.wallSeconds).sort()).toEqual(
      ['ec2-predictive', 'oracle', 'prescale', 'reactive', 'static'].sort(),
    );
  });

  it('rejects with the failing job, its trace and the worker error', async () => {
    const error = await runPolicyJobs([{ scenario, policy: 'reactive', knobs: { targetPct: -5 } }], {
      workers: 1,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PolicyJobError);
    expect((error as Error).message).toMatch(
      /^reactive on built-in workload \(seed 5\): knobs: expected targetPct > 0/,
    );
  });
});
