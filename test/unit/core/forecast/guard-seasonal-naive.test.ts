import fc from 'fast-check';
import {
  type BacktestCandidate,
  type BacktestFrame,
  originMase,
  weightedScore,
} from '../../../../shared/core/forecast/backtest-candidates';
import { guardAgainstSeasonalNaive } from '../../../../shared/core/forecast/guard-seasonal-naive';
import { seasonalNaive } from '../../../../shared/core/forecast/models/seasonal-naive';
import { registry } from '../../../../shared/core/forecast/registry';

const HORIZON = 4;
const ORIGINS = [10, 12, 14, 16];
const TARGET = Array.from({ length: 20 }, () => 100);

/** A frame scoring against a flat 100 with unit scale and equal origin weights. */
const frame: BacktestFrame = { origins: ORIGINS, weights: [1, 1, 1, 1], target: TARGET, scale: 1 };

/** A single-model candidate whose backtest forecast at origin k is 100 + offsets[k] at every step. */
function candidate(name: string, offsets: readonly number[], model = registry[2]): BacktestCandidate {
  const backtest = offsets.map((o) => new Array<number>(HORIZON).fill(100 + o));
  return {
    name,
    members: [model as (typeof registry)[number]],
    combine: (f) => [...(f[0] ?? [])],
    kind: 'single',
    describe: `single model ${name}`,
    backtest,
    originMase: originMase(backtest, frame),
  };
}

const naive = (offsets: readonly number[]) =>
  candidate('seasonal-naive-daily', offsets, seasonalNaive('daily'));
const recent = (k: number) => k >= 2;

describe('guardAgainstSeasonalNaive', () => {
  it.each([
    {
      case: 'keeps a model that beats seasonal naive recently',
      model: [5, 5, 1, 1],
      naive: [2, 2, 3, 3],
      engaged: false,
      share: 0,
    },
    {
      case: 'moves fully to seasonal naive when the model loses recently and the blend does not help',
      model: [1, 1, 8, 8],
      naive: [9, 9, 2, 2],
      engaged: true,
      share: 1,
    },
    {
      case: 'blends half-and-half when that beats both recently',
      model: [1, 1, 4, -4],
      naive: [9, 9, -3, 3],
      engaged: true,
      share: 0.5,
    },
  ])('$case', ({ model, naive: naiveOffsets, engaged, share }) => {
    const outcome = guardAgainstSeasonalNaive(candidate('m', model), naive(naiveOffsets), frame);
    expect(outcome.report.engaged).toBe(engaged);
    expect(outcome.report.seasonalNaiveShare).toBe(share);
    if (share === 1) expect(outcome.candidate.name).toBe('seasonal-naive-daily');
    if (share === 0) expect(outcome.candidate.name).toBe('m');
  });

  it('picks seasonal naive when the model loses on every recent origin, whatever it did before', () => {
    const outcome = guardAgainstSeasonalNaive(candidate('m', [0, 0, 20, 20]), naive([50, 50, 1, 1]), frame);
    expect(outcome.report.engaged).toBe(true);
    expect(outcome.candidate.members.map((m) => m.name)).toEqual(['seasonal-naive-daily']);
    expect(outcome.report.recentMaseSelected).toBeCloseTo(20);
    expect(outcome.report.recentMaseSeasonalNaive).toBeCloseTo(1);
  });

  it('forecasts a blend from the members it reports', () => {
    const outcome = guardAgainstSeasonalNaive(candidate('m', [1, 1, 4, -4]), naive([9, 9, -3, 3]), frame);
    expect(outcome.candidate.members).toHaveLength(2);
    expect(
      outcome.candidate.combine([
        [10, 20],
        [30, 40],
      ]),
    ).toEqual([20, 30]);
  });

  it('never ends recently worse than the better of the model and seasonal naive', () => {
    const offsets = fc.array(fc.double({ min: -50, max: 50, noNaN: true }), { minLength: 4, maxLength: 4 });
    fc.assert(
      fc.property(offsets, offsets, (model, naiveOffsets) => {
        const chosen = candidate('m', model);
        const baseline = naive(naiveOffsets);
        const { candidate: guarded } = guardAgainstSeasonalNaive(chosen, baseline, frame);
        const score = (c: BacktestCandidate) => weightedScore(c.originMase, frame.weights, recent);
        expect(score(guarded)).toBeLessThanOrEqual(Math.min(score(chosen), score(baseline)) + 1e-9);
      }),
      { numRuns: 300 },
    );
  });
});
