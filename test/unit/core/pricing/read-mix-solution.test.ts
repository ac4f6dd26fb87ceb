import {
  buildMixModel,
  MAX_MIXED_INSTANCE_TYPES,
  type MixModel,
} from '../../../../shared/core/pricing/build-mix-model';
import { readMixSolution } from '../../../../shared/core/pricing/read-mix-solution';
import { candidate } from '../../../fakes/pricing/catalog-builders';

function model(): MixModel {
  const built = buildMixModel([candidate('a.large', 2, 0.1), candidate('b.xlarge', 4, 0.15)], {
    requiredCapacityUnits: 8,
    diversifyAcross: 2,
  });
  if (built.kind !== 'model') throw new Error(built.reason);
  return built.model;
}

describe('readMixSolution', () => {
  it('reads counts (rounding solver noise) into a selection', () => {
    const choice = readMixSolution(model(), {
      status: 'optimal',
      values: { x0: 1.0000000001, x1: 2, y0: 1, y1: 1 },
    });
    expect(choice).toEqual({
      kind: 'selected',
      provedOptimal: true,
      selection: {
        items: [
          {
            instanceType: 'a.large',
            instanceCount: 1,
            capacityUnitsPerInstance: 2,
            hourlyPriceUsd: 0.1,
            onDemandHourlyPriceUsd: 0.1,
          },
          {
            instanceType: 'b.xlarge',
            instanceCount: 2,
            capacityUnitsPerInstance: 4,
            hourlyPriceUsd: 0.15,
            onDemandHourlyPriceUsd: 0.15,
          },
        ],
        totalCapacityUnits: 10,
        hourlyCostUsd: 0.4,
      },
    });
  });

  it.each([
    ['fractional counts', { x0: 1.5, x1: 2 }],
    ['counts above the share cap', { x0: 9, x1: 1 }],
    ['too little capacity', { x0: 1, x1: 1 }],
    ['too few types', { x1: 2 }],
  ])('rejects a solution with %s', (_, values) => {
    expect(readMixSolution(model(), { status: 'optimal', values }).kind).toBe('invalid-solution');
  });

  it('passes infeasible and failed outcomes on as values', () => {
    expect(readMixSolution(model(), { status: 'infeasible', values: {} }).kind).toBe('infeasible');
    expect(readMixSolution(model(), { status: 'failed', values: {}, detail: 'Load error' })).toEqual({
      kind: 'invalid-solution',
      reason: 'the solver failed: Load error',
    });
  });

  it('marks a time-limited solution as not proved optimal', () => {
    const choice = readMixSolution(model(), { status: 'feasible', values: { x0: 2, x1: 1 } });
    expect(choice.kind === 'selected' && choice.provedOptimal).toBe(false);
  });

  it('rejects a solution using more types than a mixed-instances policy takes overrides', () => {
    // 45 sizes, none pruned: one instance of each is a valid mix but for the 40-override limit.
    const sizes = Array.from({ length: 45 }, (_, i) => i + 1);
    const built = buildMixModel(
      sizes.map((units) => candidate(`t${units}.large`, units, 0.01 * units)),
      { requiredCapacityUnits: 100, diversifyAcross: 3 },
    );
    if (built.kind !== 'model') throw new Error(built.reason);
    expect(built.model.columns).toHaveLength(45);
    expect(built.model.lp).toContain(`  <= ${MAX_MIXED_INSTANCE_TYPES}`);
    const values = Object.fromEntries(built.model.columns.map((c) => [c.countVariable, 1]));
    expect(readMixSolution(built.model, { status: 'optimal', values })).toEqual({
      kind: 'invalid-solution',
      reason: '45 types used; a mixed-instances policy takes at most 40 overrides',
    });
  });

  it('puts no type limit in a model of 40 candidates or fewer', () => {
    expect(model().lp).not.toContain(' types:');
  });
});
