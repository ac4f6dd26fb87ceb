import {
  type HeldScheduledAction,
  lookAheadGiveBack,
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
const giveBack = { name: 'prescale-20260303T1200Z', startMs: NOW + 24 * HOUR_MS, minSize: 2 };
const withLast = (over: Partial<HeldScheduledAction>) => [
  ...lookAhead.slice(0, -1),
  { ...giveBack, ...over },
];

describe('lookAheadGiveBack', () => {
  it("keeps the look-ahead's last action, which gives the group its own MinSize back", () => {
    expect(lookAheadGiveBack(lookAhead, group, NOW)).toEqual(giveBack);
  });

  it('keeps one that also gives back the MaxSize Prescale raised', () => {
    expect(lookAheadGiveBack(withLast({ maxSize: 10 }), { minSize: 12, maxSize: 13 }, NOW)).toEqual({
      ...giveBack,
      maxSize: 10,
    });
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
    expect(lookAheadGiveBack(existing, bounds, nowMs)).toBeUndefined();
  });

  it("keeps none that would go below the MinSize the owner's recurring actions hold at its time", () => {
    const owner = { name: 'open', recurrence: '0 8 * * *', minSize: 8 };
    expect(lookAheadGiveBack([owner, ...lookAhead], group, NOW)).toBeUndefined();
    expect(lookAheadGiveBack([owner, ...withLast({ minSize: 8 })], group, NOW)).toEqual({
      ...giveBack,
      minSize: 8,
    });
  });
});
