import {
  type BoundsPrescaleLeft,
  type HeldScheduledAction,
  lookAheadGiveBack,
  lookAheadMinSizes,
  prescaleMinSizesAt,
} from '../../../../shared/core/planning/look-ahead-give-back';

const NOW = Date.UTC(2026, 2, 2, 12, 0);
const HOUR_MS = 3_600_000;
const group = { minSize: 12, maxSize: 30 };
/** A look-ahead as a live run left it: the bridge, a pre-warm, a lowering and the give-back 24 h out. */
const lookAhead: HeldScheduledAction[] = [
  { name: 'prescale-next', startMs: NOW + 600_000, minSize: 12 },
  { name: 'prescale-20260302T1300Z', startMs: NOW + HOUR_MS, minSize: 12 },
  { name: 'prescale-20260302T1400Z', startMs: NOW + 2 * HOUR_MS, minSize: 4 },
  { name: 'prescale-20260303T1200Z', startMs: NOW + 24 * HOUR_MS, minSize: 2 },
];
/** What the group's state says Prescale left: the MinSize the group has. */
const left = { prescaleMinSize: 12 };
/** The same under a raise of MaxSize 10 to 13 that still stands. */
const raised = { prescaleMinSize: 12, originalMaxSize: 10, raisedMaxSize: 13 };
const giveBack = { name: 'prescale-20260303T1200Z', startMs: NOW + 24 * HOUR_MS, minSize: 2 };
const withLast = (over: Partial<HeldScheduledAction>) => [
  ...lookAhead.slice(0, -1),
  { ...giveBack, ...over },
];

describe('lookAheadGiveBack', () => {
  it("keeps the look-ahead's last action, which gives the group its own MinSize back", () => {
    expect(lookAheadGiveBack(lookAhead, group, NOW, left)).toEqual(giveBack);
  });

  it('keeps one that also gives back the MaxSize Prescale raised', () => {
    expect(lookAheadGiveBack(withLast({ maxSize: 10 }), { minSize: 12, maxSize: 13 }, NOW, raised)).toEqual({
      ...giveBack,
      maxSize: 10,
    });
  });

  it('keeps one in a state written before the MinSize and the raised MaxSize Prescale left were kept', () => {
    const { prescaleMinSize: _notKept, raisedMaxSize: _neither, ...older } = raised;
    expect(lookAheadGiveBack(withLast({ maxSize: 10 }), { minSize: 9, maxSize: 13 }, NOW, older)).toEqual({
      ...giveBack,
      maxSize: 10,
    });
  });

  it.each<
    [string, HeldScheduledAction[], { minSize: number; maxSize: number }, BoundsPrescaleLeft | undefined]
  >([
    ['the operator set MinSize since Prescale left 12', lookAhead, { minSize: 14, maxSize: 30 }, left],
    [
      'the operator set MaxSize since Prescale raised it (the raise ended in the state)',
      withLast({ maxSize: 10 }),
      { minSize: 12, maxSize: 20 },
      { prescaleMinSize: 12 },
    ],
    [
      'the operator set MaxSize since Prescale raised it (the state still has the raise)',
      withLast({ maxSize: 10 }),
      { minSize: 12, maxSize: 20 },
      raised,
    ],
    ['the group has no state to tell', lookAhead, group, undefined],
  ])('keeps none when %s', (_name, existing, bounds, prescaleLeft) => {
    expect(lookAheadGiveBack(existing, bounds, NOW, prescaleLeft)).toBeUndefined();
  });

  it.each<[string, HeldScheduledAction[], { minSize: number; maxSize: number }, number]>([
    ['no look-ahead', [], group, NOW],
    [
      'the give-back has run (Auto Scaling deleted it): the last one left is in the past',
      lookAhead.slice(0, -1),
      group,
      NOW + 3 * HOUR_MS,
    ],
    ['only the bridge is left', lookAhead.slice(0, 1), group, NOW],
    ['it would raise MinSize (the owner lowered it by hand)', lookAhead, { minSize: 1, maxSize: 30 }, NOW],
    ['MinSize is its value already', lookAhead, { minSize: 2, maxSize: 30 }, NOW],
    ['it would raise MaxSize', withLast({ maxSize: 10 }), { minSize: 12, maxSize: 8 }, NOW],
    ['it sets DesiredCapacity (not a give-back)', withLast({ desiredCapacity: 2 }), group, NOW],
    ['it recurs (not Prescale’s)', withLast({ recurrence: '0 12 * * *' }), group, NOW],
    ['its time has come', lookAhead, group, NOW + 24 * HOUR_MS],
  ])('keeps none when %s', (_name, existing, bounds, nowMs) => {
    // A state that keeps it, but for what each case changes.
    const stillPrescales = {
      prescaleMinSize: bounds.minSize,
      originalMaxSize: 10,
      raisedMaxSize: bounds.maxSize,
    };
    expect(lookAheadGiveBack(existing, bounds, nowMs, stillPrescales)).toBeUndefined();
  });

  it("keeps none that would go below the MinSize the owner's recurring actions hold at its time", () => {
    const owner = { name: 'open', recurrence: '0 8 * * *', minSize: 8 };
    expect(lookAheadGiveBack([owner, ...lookAhead], group, NOW, left)).toBeUndefined();
    expect(lookAheadGiveBack([owner, ...withLast({ minSize: 8 })], group, NOW, left)).toEqual({
      ...giveBack,
      minSize: 8,
    });
  });
});

describe('prescaleMinSizesAt', () => {
  const left = {
    prescaleMinSize: 12,
    lookAheadMinSizes: [[NOW + HOUR_MS, 10] as const, [NOW + 2 * HOUR_MS, 4] as const],
  };

  it.each([
    ['before any look-ahead action is due: the one the run left', NOW + 30 * 60_000, [12]],
    ['once one is due (Prescale down, it ran): the one it set too', NOW + HOUR_MS, [12, 10]],
    ['once a later one is due', NOW + 3 * HOUR_MS, [12, 10, 4]],
  ])('is %s', (_name, nowMs, minSizes) => {
    expect(prescaleMinSizesAt(left, nowMs)).toEqual(minSizes);
  });

  it('is undefined in a state written before it was kept', () => {
    expect(prescaleMinSizesAt({ originalMaxSize: 10 }, NOW)).toBeUndefined();
  });
});

describe('lookAheadMinSizes', () => {
  it("keeps the actions that change MinSize from the one before, starting from the run's", () => {
    expect(lookAheadMinSizes(lookAhead as { startMs: number; minSize: number }[], 12)).toEqual([
      [NOW + 2 * HOUR_MS, 4],
      [NOW + 24 * HOUR_MS, 2],
    ]);
  });
});
