import type { SolverOutcome } from '../../../shared/core/pricing/read-mix-solution';
import { type MixSolver, SolverUnavailableError } from '../../../shared/ports/mix-solver';
import { HighsMixSolver } from '../../../shared/solvers/highs-mix-solver';
import {
  type DependentUpdateGroup,
  type PlanDependentUpdatesInput,
  planDependentUpdates,
} from '../../../shared/usecases/plan-dependent-updates';
import { demandForecast } from '../../helpers/demand-forecast';

/** Records the models it is given and answers with HiGHS (or a fixed outcome). */
class RecordingSolver implements MixSolver {
  readonly models: string[] = [];
  private readonly highs = new HighsMixSolver();
  constructor(private readonly answer?: SolverOutcome | Error) {}
  async solve(lp: string, options?: { readonly timeLimitSeconds?: number }): Promise<SolverOutcome> {
    this.models.push(lp);
    if (this.answer instanceof Error) throw this.answer;
    return this.answer ?? this.highs.solve(lp, options);
  }
}

const HOUR_MS = 3_600_000;

/** Hourly forecast over 3 h whose 80 % upper bound (p90) is `p90`. */
const hourly = (p90: readonly number[]) =>
  demandForecast(
    p90.map((v) => v * 0.8),
    [{ levelPct: 80, lower: p90.map((v) => v * 0.6), upper: p90 }],
    { stepSeconds: 3600 },
  );

const group = (groupName: string, p90: readonly number[], overrides: Partial<DependentUpdateGroup> = {}) => ({
  groupName,
  desiredCapacity: 10,
  maxSize: 12,
  minHealthyPercentage: 90,
  targetLoadPerInstance: 10,
  hourlyPriceUsd: 0.1,
  forecast: hourly(p90),
  ...overrides,
});

const input: PlanDependentUpdatesInput = {
  firstSlotStartMs: 0,
  slotSeconds: 3600,
  slotCount: 3,
  groups: [group('web', [95, 80, 60]), group('api', [100, 60, 100], { maxSize: 11, hourlyPriceUsd: 0.2 })],
  edges: [
    { from: 'web', to: 'api' },
    { from: 'api', to: 'db' },
  ],
  enrolledGroups: ['web', 'api', 'db'],
};

describe('planDependentUpdates', () => {
  it('plans dependent groups in different slots from their forecasts', async () => {
    const solver = new RecordingSolver();
    const result = await planDependentUpdates({ solver }, input);
    expect(result.plan.kind).toBe('planned');
    if (result.plan.kind !== 'planned') return;
    expect(result.plan.updates.map((u) => [u.groupName, u.slotIndex, u.slotStartMs])).toEqual([
      ['api', 1, HOUR_MS],
      ['web', 2, 2 * HOUR_MS],
    ]);
    expect(result.diagnostics).toEqual({
      peakLoadBySlot: { web: [95, 80, 60], api: [100, 60, 100] },
      topologicalOrder: ['web', 'api', 'db'],
      solverStatus: 'optimal',
      assignmentVariables: 4,
    });
    expect(solver.models).toHaveLength(1);
  });

  it('returns an invalid graph without solving', async () => {
    const solver = new RecordingSolver();
    const result = await planDependentUpdates(
      { solver },
      { ...input, edges: [...input.edges, { from: 'db', to: 'web' }, { from: 'web', to: 'cdn' }] },
    );
    expect(result.plan.kind).toBe('invalid-graph');
    if (result.plan.kind !== 'invalid-graph') return;
    expect(result.plan.problems.map((p) => p.message)).toEqual([
      'edge 3 (web → cdn): unknown group "cdn"; expected one of the enrolled groups (web, api, db)',
      'cycle web → api → db → web: dependencies must not loop back; expected an upstream group never to depend on its own downstream groups',
    ]);
    expect(solver.models).toEqual([]);
  });

  it('returns a group that cannot update anywhere as infeasible without solving', async () => {
    const solver = new RecordingSolver();
    const result = await planDependentUpdates(
      { solver },
      { ...input, groups: [group('web', [200, 200, 200])], planningQuantile: 0.9 },
    );
    expect(result.plan.kind).toBe('infeasible');
    expect(result.diagnostics.solverStatus).toBeUndefined();
    expect(solver.models).toEqual([]);
  });

  it('plans for the requested quantile', async () => {
    // At the median (0.8 × p90) api fits in every slot: [80, 48, 80] needs at most 8 healthy of 9.
    const result = await planDependentUpdates(
      { solver: new RecordingSolver() },
      { ...input, planningQuantile: 0.5 },
    );
    expect(result.diagnostics.peakLoadBySlot.api).toEqual([80, 48, 80]);
    // Both now fit in slot 0; which of the two goes first is a tie, that they use slots 0 and 1 is not.
    expect(result.plan.kind === 'planned' && result.plan.slots.map((s) => s.groupNames.length)).toEqual([
      1, 1, 0,
    ]);
  });

  it('reports a solver failure as an invalid solution, and lets an unavailable solver throw', async () => {
    const failed = await planDependentUpdates(
      { solver: new RecordingSolver({ status: 'failed', values: {}, detail: 'Model error' }) },
      input,
    );
    expect(failed.plan).toEqual({ kind: 'invalid-solution', reason: 'the solver failed: Model error' });
    await expect(
      planDependentUpdates(
        { solver: new RecordingSolver(new SolverUnavailableError('HiGHS', 'no wasm')) },
        input,
      ),
    ).rejects.toThrow(SolverUnavailableError);
  });
});
