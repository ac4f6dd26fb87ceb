import {
  giveBackDue,
  SCHEDULED_ACTION_SETTLE_MS,
} from '../../../../shared/core/rolling-update/look-ahead-due';

const NOW = Date.parse('2026-03-02T01:00:00Z');
const MIN = 60_000;
/** A group pre-warmed to MinSize 5 of at most 10. */
const group = { minSize: 5, maxSize: 10 };
const giveBack = { name: 'prescale-20260302T0300Z', startMs: NOW + 120 * MIN, minSize: 2 };

describe('giveBackDue', () => {
  it("is the kept give-back and when it will have run, whatever the owner's own actions", () => {
    const owner = { name: 'owner-evening', startMs: NOW + 600 * MIN, minSize: 1 };
    expect(giveBackDue([giveBack, owner], group, NOW)).toEqual({
      kind: 'give-back',
      settledAtMs: NOW + 120 * MIN + SCHEDULED_ACTION_SETTLE_MS,
      minSize: 2,
    });
  });

  it('counts one just due but still listed until it has had time to run', () => {
    const due = { ...giveBack, startMs: NOW - 2 * MIN };
    expect(giveBackDue([due], group, NOW)).toMatchObject({ settledAtMs: NOW + 3 * MIN });
    expect(giveBackDue([due], group, NOW + 3 * MIN)).toBeUndefined();
  });

  it('is not-cleared while the rest of the look-ahead is still listed beside it', () => {
    const prewarm = { name: 'prescale-20260302T0200Z', startMs: NOW + 60 * MIN, minSize: 7 };
    expect(giveBackDue([prewarm, giveBack], group, NOW)).toEqual({ kind: 'not-cleared', minSize: 2 });
  });

  it('is undefined where a held loop keeps nothing: a last action that lowers nothing, sets desired, or recurs', () => {
    expect(giveBackDue([{ ...giveBack, minSize: 5 }], group, NOW)).toBeUndefined();
    expect(giveBackDue([{ ...giveBack, desiredCapacity: 2 }], group, NOW)).toBeUndefined();
    expect(giveBackDue([{ ...giveBack, recurrence: '0 3 * * *' }], group, NOW)).toBeUndefined();
    expect(
      giveBackDue([{ name: 'owner-morning', startMs: NOW + MIN, minSize: 1 }], group, NOW),
    ).toBeUndefined();
    expect(giveBackDue([], group, NOW)).toBeUndefined();
  });
});
