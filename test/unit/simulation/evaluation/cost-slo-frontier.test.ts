import fc from 'fast-check';
import {
  dominanceVerdict,
  frontierGap,
  lowerConvexHull,
  paretoFrontier,
  sloAtCost,
  type TradeOffPoint,
  weaklyDominates,
  worseOnBoth,
} from '../../../../shared/simulation/evaluation/cost-slo-frontier';

const point = (costUsd: number, sloViolationMinutes: number): TradeOffPoint => ({
  costUsd,
  sloViolationMinutes,
});
const arbPoint = fc.record({
  costUsd: fc.integer({ min: 0, max: 1000 }),
  sloViolationMinutes: fc.integer({ min: 0, max: 5000 }),
});
const arbPoints = fc.array(arbPoint, { minLength: 1, maxLength: 30 });

describe('weaklyDominates', () => {
  it('holds for equal points and for a point better on one axis and equal on the other', () => {
    expect(weaklyDominates(point(10, 5), point(10, 5))).toBe(true);
    expect(weaklyDominates(point(9, 5), point(10, 5))).toBe(true);
    expect(weaklyDominates(point(10, 4), point(10, 5))).toBe(true);
  });

  it('fails when the point is worse on either axis', () => {
    expect(weaklyDominates(point(11, 1), point(10, 5))).toBe(false);
    expect(weaklyDominates(point(1, 6), point(10, 5))).toBe(false);
  });
});

describe('worseOnBoth', () => {
  it('holds only for a point dearer and missing more minutes; a tie on either axis is not worse', () => {
    expect(worseOnBoth(point(11, 6), point(10, 5))).toBe(true);
    expect(worseOnBoth(point(11, 5), point(10, 5))).toBe(false);
    expect(worseOnBoth(point(10, 6), point(10, 5))).toBe(false);
    expect(worseOnBoth(point(9, 6), point(10, 5))).toBe(false);
  });
});

describe('paretoFrontier', () => {
  it('keeps the non-dominated points sorted by cost', () => {
    const points = [
      point(30, 10),
      point(10, 100),
      point(20, 100),
      point(20, 50),
      point(40, 10),
      point(50, 0),
    ];
    expect(paretoFrontier(points)).toEqual([point(10, 100), point(20, 50), point(30, 10), point(50, 0)]);
  });

  it('keeps the first of identical points', () => {
    const a = { ...point(5, 5), label: 'a' };
    const b = { ...point(5, 5), label: 'b' };
    expect(paretoFrontier([a, b])).toEqual([a]);
  });

  it('rejects a negative or non-finite coordinate naming the point', () => {
    expect(() => paretoFrontier([point(1, 1), point(-1, 2)])).toThrow(/point 1/);
    expect(() => paretoFrontier([point(Number.NaN, 2)])).toThrow(RangeError);
  });

  it('returns mutually non-dominated points, cost ascending and SLO strictly descending', () => {
    fc.assert(
      fc.property(arbPoints, (points) => {
        const front = paretoFrontier(points);
        for (let i = 1; i < front.length; i += 1) {
          const [a, b] = [front[i - 1] as TradeOffPoint, front[i] as TradeOffPoint];
          expect(a.costUsd).toBeLessThan(b.costUsd);
          expect(a.sloViolationMinutes).toBeGreaterThan(b.sloViolationMinutes);
        }
      }),
    );
  });

  it('weakly dominates every input point with one of its own', () => {
    fc.assert(
      fc.property(arbPoints, (points) => {
        const front = paretoFrontier(points);
        expect(front.length).toBeGreaterThan(0);
        expect(dominanceVerdict(front, points).dominatesAll).toBe(true);
        for (const f of front) expect(points).toContain(f);
      }),
    );
  });
});

describe('dominanceVerdict', () => {
  it('lists the challenger points that escape', () => {
    const verdict = dominanceVerdict(
      [point(10, 10), point(20, 0)],
      [point(15, 5), point(10, 10), point(5, 50)],
    );
    expect(verdict.dominatesAll).toBe(false);
    expect(verdict.undominated).toEqual([point(15, 5), point(5, 50)]);
  });

  it('is unchanged by adding dominated points to the frontier side', () => {
    fc.assert(
      fc.property(arbPoints, arbPoints, (reference, challengers) => {
        const front = paretoFrontier(reference);
        expect(dominanceVerdict(reference, challengers)).toEqual(dominanceVerdict(front, challengers));
      }),
    );
  });
});

describe('lowerConvexHull', () => {
  it('drops a point above the line between the points either side of it, keeps one below', () => {
    const above = point(20, 80);
    const below = point(20, 50);
    expect(lowerConvexHull([point(10, 100), above, point(30, 20)])).toEqual([point(10, 100), point(30, 20)]);
    expect(lowerConvexHull([point(10, 100), below, point(40, 10)])).toEqual([
      point(10, 100),
      below,
      point(40, 10),
    ]);
  });

  it('keeps the cheapest and the dearest point, and every frontier point on or above it', () => {
    fc.assert(
      fc.property(arbPoints, (points) => {
        const f = paretoFrontier(points);
        const hull = lowerConvexHull(f);
        expect(hull[0]).toBe(f[0]);
        expect(hull[hull.length - 1]).toBe(f[f.length - 1]);
        for (const p of f) expect(sloAtCost(f, p.costUsd)).toBeLessThanOrEqual(p.sloViolationMinutes + 1e-9);
      }),
    );
  });
});

describe('sloAtCost', () => {
  const front = [point(10, 100), point(20, 50), point(40, 10)];

  it("interpolates linearly between the hull's points", () => {
    expect(sloAtCost(front, 15)).toBe(75);
    expect(sloAtCost(front, 30)).toBe(30);
  });

  it('mixes the two settings either side of a point above their line (53ea38, day 11)', () => {
    // The 59 % and 58 % runs, and between them a cheaper 58 % run with 4.4 minutes more than their
    // line: read at $70.92, mixing 59 % and 58 % reaches 27.4 minutes; the neighbours' reading was 31.
    const runs = [point(70.14, 43), point(70.91, 32), point(70.99, 26)];
    expect(sloAtCost(runs, 70.92)).toBeCloseTo(43 - (17 * 0.78) / 0.85, 9);
    expect(sloAtCost([runs[0] as TradeOffPoint, runs[2] as TradeOffPoint], 70.92)).toBeCloseTo(
      sloAtCost(runs, 70.92) as number,
      9,
    );
  });

  it('is undefined below the cheapest point and flat above the dearest', () => {
    expect(sloAtCost(front, 9.99)).toBeUndefined();
    expect(sloAtCost(front, 100)).toBe(10);
    expect(sloAtCost([], 5)).toBeUndefined();
  });

  it('never rises with cost, and bends only upwards', () => {
    fc.assert(
      fc.property(
        arbPoints,
        fc.array(fc.integer({ min: 0, max: 1200 }), { maxLength: 20 }),
        (points, costs) => {
          const f = paretoFrontier(points);
          const read = [...new Set(costs)]
            .sort((a, b) => a - b)
            .flatMap((c) => {
              const slo = sloAtCost(f, c);
              return slo === undefined ? [] : [{ c, slo }];
            });
          for (let i = 1; i < read.length; i += 1) {
            const [a, b] = [read[i - 1], read[i]] as [{ c: number; slo: number }, { c: number; slo: number }];
            expect(b.slo).toBeLessThanOrEqual(a.slo + 1e-9);
            const c = read[i + 1];
            if (c)
              expect(b.slo).toBeLessThanOrEqual(a.slo + ((b.c - a.c) / (c.c - a.c)) * (c.slo - a.slo) + 1e-6);
          }
        },
      ),
    );
  });

  it('never rises when a setting is added', () => {
    // Few points on a small grid, so an added point often lands on the frontier between two others.
    const arbRun = fc.record({
      costUsd: fc.integer({ min: 0, max: 20 }),
      sloViolationMinutes: fc.integer({ min: 0, max: 50 }),
    });
    fc.assert(
      fc.property(
        fc.array(arbRun, { minLength: 1, maxLength: 6 }),
        arbRun,
        fc.integer({ min: 0, max: 20 }),
        (points, added, cost) => {
          const before = sloAtCost(paretoFrontier(points), cost);
          const after = sloAtCost(paretoFrontier([...points, added]), cost);
          if (before !== undefined) expect(after).toBeLessThanOrEqual(before + 1e-9);
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe('frontierGap', () => {
  it('averages the minutes saved at each compared cost and keeps the smallest saving', () => {
    const reference = [point(10, 100), point(20, 50), point(40, 10)];
    const other = [point(5, 300), point(15, 90), point(40, 30)];
    // 5: unreachable; 15: 90 − 75 = 15; 40: 30 − 10 = 20.
    expect(frontierGap(reference, other)).toEqual({
      comparedPoints: 2,
      meanSavedMinutes: 17.5,
      minSavedMinutes: 15,
    });
  });

  it('reports nothing compared when the reference cannot reach any cost', () => {
    const gap = frontierGap([point(100, 0)], [point(5, 10)]);
    expect(gap.comparedPoints).toBe(0);
    expect(gap.meanSavedMinutes).toBeNaN();
  });

  it('never reports a negative smallest saving when the reference dominates every other point', () => {
    fc.assert(
      fc.property(arbPoints, arbPoints, (a, b) => {
        const front = paretoFrontier([...a, ...b]);
        const gap = frontierGap(front, b);
        if (gap.comparedPoints > 0) expect(gap.minSavedMinutes).toBeGreaterThanOrEqual(-1e-9);
      }),
    );
  });
});
