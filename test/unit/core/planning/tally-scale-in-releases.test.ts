import fc from 'fast-check';
import { deepCountsOf } from '../../../../shared/core/planning/deep-fall';
import {
  chooseScaleInWindow,
  learnScaleInWindow,
} from '../../../../shared/core/planning/learn-scale-in-window';
import {
  type ScaleInReleaseTally,
  tallyScaleInReleases,
} from '../../../../shared/core/planning/tally-scale-in-releases';
import {
  countScaleInByDefinition as countByDefinition,
  scaleInWindowInput as input,
  scaleInArbitraries,
} from '../../../helpers/scale-in-window-definition';

const { loads, windows, slos, saturations } = scaleInArbitraries;

/** A tally as the candidates list it stands for (the hold's own window counts nothing). */
const asCandidates = (w: readonly number[], counts: ScaleInReleaseTally['all']) =>
  w.map((windowSteps, c) => ({
    windowSteps,
    releases: counts.releases[c] ?? 0,
    regrets: counts.regrets[c] ?? 0,
  }));

describe('tallyScaleInReleases', () => {
  it('tallies a range of steps as the definition counts them there, and adjacent ranges add up to the whole', () => {
    fc.assert(
      fc.property(
        loads,
        windows,
        fc.integer({ min: 1, max: 4 }),
        slos,
        saturations,
        fc.array(fc.integer({ min: -2, max: 84 }), { maxLength: 3 }),
        (l, w, r, slo, sat, cuts) => {
          const i = input(l, {
            windowSteps: w,
            returnSteps: r,
            ...(slo !== undefined ? { sloLoadPerInstance: slo } : {}),
            ...(sat !== undefined ? { saturatedLoadPerInstance: sat } : {}),
          });
          const bounds = [-1, ...[...cuts].sort((a, b) => a - b), l.length + 2];
          const sum = tallyScaleInReleases(i, 0, -1);
          for (let k = 0; k + 1 < bounds.length; k += 1) {
            const from = (bounds[k] as number) + 1;
            const to = bounds[k + 1] as number;
            const part = tallyScaleInReleases(i, from, to);
            const expected = countByDefinition(i, from, to);
            expect(asCandidates(w, part.all)).toEqual(expected.candidates);
            expect(asCandidates(w, part.afterLaunch)).toEqual(expected.afterLaunch);
            expect(deepCountsOf(w, part.deep)).toEqual(expected.deep);
            for (const [into, add] of [
              [sum.all.releases, part.all.releases],
              [sum.all.regrets, part.all.regrets],
              [sum.afterLaunch.releases, part.afterLaunch.releases],
              [sum.afterLaunch.regrets, part.afterLaunch.regrets],
              [sum.deep.releases, part.deep.releases],
              [sum.deep.regrets, part.deep.regrets],
              [sum.deep.savedInstanceSteps, part.deep.savedInstanceSteps],
              [sum.deep.missedInstanceSteps, part.deep.missedInstanceSteps],
            ] as const) {
              add.forEach((v, c) => {
                into[c] = (into[c] as number) + v;
              });
            }
          }
          expect(chooseScaleInWindow(i, sum)).toEqual(learnScaleInWindow(i));
        },
      ),
    );
  });

  it("tallies a range's first step against the whole hold before the launch that came within the hold", () => {
    // Step 2 (500) is no launch: the hold before it (steps 0–1) kept 19 instances for 1000. Step 3
    // releases (100 against the hold's 500); a tally that read from step 1 only would see a launch.
    const i = input([1000, 100, 500, 100, 100], { windowSteps: [1, 2], returnSteps: 1 });
    const part = tallyScaleInReleases(i, 3, 3);
    expect(asCandidates([1, 2], part.all)).toEqual(countByDefinition(i, 3, 3).candidates);
    expect(asCandidates([1, 2], part.afterLaunch)).toEqual([
      { windowSteps: 1, releases: 0, regrets: 0 },
      { windowSteps: 2, releases: 0, regrets: 0 },
    ]);
    expect(asCandidates([1, 2], part.all)[0]?.releases).toBe(1);
  });
});
