import fc from 'fast-check';
import { buildMixModel } from '../../../shared/core/pricing/build-mix-model';
import { readMixSolution } from '../../../shared/core/pricing/read-mix-solution';
import type { Candidate } from '../../../shared/core/pricing/types';
import { SolverUnavailableError } from '../../../shared/ports/mix-solver';
import { HighsMixSolver } from '../../../shared/solvers/highs-mix-solver';
import { bruteForceMixCost } from '../../fakes/pricing/brute-force-mix';
import { candidate } from '../../fakes/pricing/catalog-builders';

const solver = new HighsMixSolver();

async function solveMix(
  candidates: readonly Candidate[],
  requiredUnits: number,
  diversifyAcross: number,
  prune = true,
) {
  const built = buildMixModel(
    candidates,
    { requiredCapacityUnits: requiredUnits, diversifyAcross },
    { prune },
  );
  if (built.kind !== 'model') throw new Error(built.reason);
  const choice = readMixSolution(built.model, await solver.solve(built.model.lp));
  if (choice.kind !== 'selected') throw new Error(choice.reason);
  return choice;
}

const offers = fc.array(
  fc.record({
    units: fc.constantFrom(1, 2, 4, 8, 16),
    price: fc.integer({ min: 1, max: 400 }).map((cents) => cents / 1000),
  }),
  { minLength: 1, maxLength: 5 },
);
const toCandidates = (list: { units: number; price: number }[]) =>
  list.map((o, i) => candidate(`t${i}.size${o.units}`, o.units, o.price));

describe('HighsMixSolver', () => {
  it('solves a small model to a proved optimum', async () => {
    const choice = await solveMix(
      [candidate('big.2xlarge', 8, 0.3), candidate('small.large', 2, 0.09)],
      10,
      1,
    );
    expect(choice.provedOptimal).toBe(true);
    expect(choice.selection.items.map((i) => [i.instanceType, i.instanceCount])).toEqual([
      ['big.2xlarge', 1],
      ['small.large', 1],
    ]);
    expect(choice.selection.hourlyCostUsd).toBeCloseTo(0.39, 10);
  });

  it('reports an infeasible model as a value', async () => {
    const outcome = await solver.solve(
      'Minimize\n obj: x\nSubject To\n c: x >= 5\nBounds\n 0 <= x <= 1\nEnd\n',
    );
    expect(outcome.status).toBe('infeasible');
  });

  it('throws SolverUnavailableError when the WebAssembly binary is missing', async () => {
    await expect(
      new HighsMixSolver({ wasmDirectory: '/nonexistent' }).solve('Minimize\n obj: x\nEnd\n'),
    ).rejects.toThrow(SolverUnavailableError);
  });

  it('finds the same optimum as exhaustive search, with and without pruning', async () => {
    await fc.assert(
      fc.asyncProperty(
        offers,
        fc.integer({ min: 0, max: 24 }),
        fc.integer({ min: 1, max: 3 }),
        async (list, required, d) => {
          const candidates = toCandidates(list);
          const expected = bruteForceMixCost(candidates, required, d);
          const pruned = await solveMix(candidates, required, d);
          const full = await solveMix(candidates, required, d, false);
          expect(pruned.selection.hourlyCostUsd).toBeCloseTo(expected, 9);
          expect(full.selection.hourlyCostUsd).toBeCloseTo(expected, 9);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('never raises the cost when a cheaper offer is added, and always covers the requirement', async () => {
    await fc.assert(
      fc.asyncProperty(
        offers,
        fc.integer({ min: 0, max: 40 }),
        fc.integer({ min: 1, max: 3 }),
        fc.nat(),
        fc.double({ min: 0.1, max: 1, noNaN: true }),
        async (list, required, d, pick, discount) => {
          const candidates = toCandidates(list);
          // Holds once there are at least `diversifyAcross` types; below that, a new type raises minTypes.
          fc.pre(candidates.length >= d);
          const model = candidates[pick % candidates.length] as Candidate;
          const cheaper = candidate('new.offer', model.capacityUnits, model.hourlyPriceUsd * discount);
          const before = await solveMix(candidates, required, d);
          const after = await solveMix([...candidates, cheaper], required, d);
          expect(after.selection.hourlyCostUsd).toBeLessThanOrEqual(before.selection.hourlyCostUsd + 1e-9);
          expect(after.selection.totalCapacityUnits).toBeGreaterThanOrEqual(required);
          expect(after.selection.items.length).toBeGreaterThanOrEqual(Math.min(d, candidates.length + 1));
        },
      ),
      { numRuns: 60 },
    );
  });

  it('solves a model of more candidates than a policy takes overrides, within the limit', async () => {
    const many = Array.from({ length: 45 }, (_, i) => candidate(`t${i}.large`, 2, 0.1 + i / 1000));
    const choice = await solveMix(many, 200, 20, false);
    expect(choice.selection.items.length).toBeGreaterThanOrEqual(20);
    expect(choice.selection.items.length).toBeLessThanOrEqual(40);
  });
});
