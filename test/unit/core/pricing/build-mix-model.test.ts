import fc from 'fast-check';
import {
  buildMixModel,
  lpNumber,
  maxInstancesPerType,
  pruneCandidates,
} from '../../../../shared/core/pricing/build-mix-model';
import { candidate } from '../../../fakes/pricing/catalog-builders';

const CANDIDATES = [
  candidate('m7g.large', 2, 0.0816),
  candidate('c7g.large', 2, 0.0725),
  candidate('m7g.xlarge', 4, 0.1632),
  candidate('m6g.large', 2, 0.077),
];

describe('buildMixModel', () => {
  it('writes the integer program in CPLEX LP format', () => {
    const built = buildMixModel(CANDIDATES.slice(0, 3), { requiredCapacityUnits: 12, diversifyAcross: 2 });
    if (built.kind !== 'model') throw new Error(built.reason);
    expect(built.model.minTypes).toBe(2);
    expect(
      built.model.columns.map((c) => [c.candidate.instanceType, c.countVariable, c.maxInstances]),
    ).toEqual([
      ['c7g.large', 'x0', 4],
      ['m7g.large', 'x1', 4],
      ['m7g.xlarge', 'x2', 3],
    ]);
    expect(built.model.lp).toMatchInlineSnapshot(`
"\\ Prescale instance mix: minimize USD per hour at the forecast peak
Minimize
 cost: 0.0725 x0
  + 0.0816 x1
  + 0.1632 x2
  + 0.000001 y0
  + 0.000001 y1
  + 0.000001 y2
Subject To
 capacity: 2 x0
  + 2 x1
  + 4 x2
  >= 12
 diversity: 1 y0
  + 1 y1
  + 1 y2
  >= 2
 use_x0: x0 - y0 >= 0
 cap_x0: x0 - 4 y0 <= 0
 use_x1: x1 - y1 >= 0
 cap_x1: x1 - 4 y1 <= 0
 use_x2: x2 - y2 >= 0
 cap_x2: x2 - 3 y2 <= 0
Bounds
 0 <= x0 <= 4
 0 <= x1 <= 4
 0 <= x2 <= 3
Generals
 x0 x1 x2
Binaries
 y0 y1 y2
End
"
`);
  });

  it('writes the same model whatever the order of the candidates', () => {
    fc.assert(
      fc.property(fc.shuffledSubarray(CANDIDATES, { minLength: CANDIDATES.length }), (shuffled) => {
        expect(buildMixModel(shuffled, { requiredCapacityUnits: 20, diversifyAcross: 3 })).toEqual(
          buildMixModel(CANDIDATES, { requiredCapacityUnits: 20, diversifyAcross: 3 }),
        );
      }),
    );
  });

  it('asks for fewer types when fewer candidates exist', () => {
    const built = buildMixModel(CANDIDATES.slice(0, 2), { requiredCapacityUnits: 8, diversifyAcross: 5 });
    expect(built.kind === 'model' && built.model.minTypes).toBe(2);
  });

  it('reports infeasible inputs as values', () => {
    expect(buildMixModel([], { requiredCapacityUnits: 8, diversifyAcross: 2 }).kind).toBe('infeasible');
    expect(buildMixModel(CANDIDATES, { requiredCapacityUnits: -1, diversifyAcross: 2 }).kind).toBe(
      'infeasible',
    );
    expect(buildMixModel(CANDIDATES, { requiredCapacityUnits: 8, diversifyAcross: 0 }).kind).toBe(
      'infeasible',
    );
  });

  it('prunes all but the minTypes + 1 cheapest candidates of each size', () => {
    const built = buildMixModel(CANDIDATES, { requiredCapacityUnits: 8, diversifyAcross: 1 });
    if (built.kind !== 'model') throw new Error(built.reason);
    expect(built.model.prunedCount).toBe(1);
    expect(built.model.columns.map((c) => c.candidate.instanceType)).toEqual([
      'c7g.large',
      'm6g.large',
      'm7g.xlarge',
    ]);
    const unpruned = buildMixModel(
      CANDIDATES,
      { requiredCapacityUnits: 8, diversifyAcross: 1 },
      { prune: false },
    );
    expect(unpruned.kind === 'model' && unpruned.model.columns).toHaveLength(4);
  });
});

describe('pruneCandidates', () => {
  it('keeps the cheapest per capacity size, ties by name', () => {
    const kept = pruneCandidates(
      [
        candidate('b.large', 2, 0.1),
        candidate('a.large', 2, 0.1),
        candidate('c.large', 2, 0.2),
        candidate('d.xlarge', 4, 1),
      ],
      2,
    );
    expect(kept.map((c) => c.instanceType)).toEqual(['a.large', 'b.large', 'd.xlarge']);
  });
});

describe('maxInstancesPerType', () => {
  it('is the type’s share of the requirement rounded up, plus one', () => {
    expect(maxInstancesPerType(12, 3, 2)).toBe(3);
    expect(maxInstancesPerType(13, 3, 2)).toBe(4);
    expect(maxInstancesPerType(0, 3, 2)).toBe(1);
  });
});

describe('lpNumber', () => {
  it('writes plain decimals without exponents', () => {
    expect(lpNumber(0.0000125)).toBe('0.0000125');
    expect(lpNumber(12)).toBe('12');
    expect(lpNumber(0.1 + 0.2)).toBe('0.3');
  });
});
