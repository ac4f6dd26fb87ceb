import {
  cutsHeadroom,
  giveBackDue,
  lookAheadClearing,
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

describe('cutsHeadroom', () => {
  /** Desired above MinSize, so a MaxSize is held to desired, not to MinSize. */
  const headroom = { minSize: 4, desiredCapacity: 6 };

  it.each([
    ['a MinSize below its MinSize', { minSize: 3 }],
    ['a DesiredCapacity below its desired', { minSize: 4, desiredCapacity: 5 }],
    ['a MaxSize below its desired', { minSize: 4, maxSize: 5 }],
  ])('cuts it with %s', (_, action) => {
    expect(cutsHeadroom(action, headroom)).toBe(true);
  });

  it.each([
    ['holds it', { minSize: 4, desiredCapacity: 6, maxSize: 6 }],
    ['raises it', { minSize: 8, desiredCapacity: 8 }],
    ['sets no size', {}],
  ])('does not cut it when the action %s', (_, action) => {
    expect(cutsHeadroom(action, headroom)).toBe(false);
  });
});

describe('lookAheadClearing', () => {
  /** A group pre-warmed to MinSize 4, the refresh holding 6 until its deadline 60 minutes on. */
  const prewarmed = { minSize: 4, maxSize: 10 };
  const headroom = { minSize: 6, desiredCapacity: 6 };
  const LOCK_EXPIRES = NOW + 400 * MIN;
  const span = { nowMs: NOW, untilMs: NOW + 60 * MIN, lockExpiresAtMs: LOCK_EXPIRES };
  const prewarm = { name: 'prescale-next', startMs: NOW + 10 * MIN, minSize: 4, desiredCapacity: 4 };
  const lower = { name: 'prescale-20260302T0120Z', startMs: NOW + 20 * MIN, minSize: 3, desiredCapacity: 3 };
  const last = { name: 'prescale-20260302T0130Z', startMs: NOW + 30 * MIN, minSize: 2, maxSize: 8 };
  const owner = { name: 'business-floor', recurrence: '0 8 * * *', minSize: 1 };

  it('deletes the look-ahead actions due before the deadline that cut the headroom, moving their give-back to the lock expiry', () => {
    expect(lookAheadClearing([prewarm, lower, last, owner], prewarmed, headroom, span)).toEqual({
      cutting: [prewarm.name, lower.name, last.name],
      movedGiveBack: { name: 'prescale-20260302T0740Z', atMs: LOCK_EXPIRES, minSize: 2, maxSize: 8 },
    });
  });

  it("keeps the steps that hold or raise the headroom, those due from the deadline on, and the owner's", () => {
    const raise = {
      name: 'prescale-20260302T0110Z',
      startMs: NOW + 10 * MIN,
      minSize: 7,
      desiredCapacity: 7,
    };
    const after = { ...lower, name: 'prescale-20260302T0200Z', startMs: span.untilMs };
    const ownerLower = { name: 'owner-night', startMs: NOW + 5 * MIN, minSize: 1 };
    expect(lookAheadClearing([raise, after, owner, ownerLower], prewarmed, headroom, span)).toEqual({
      cutting: [],
    });
  });

  it('moves the give-back to the first whole minute from the lock expiry that no one-time or recurring action holds', () => {
    const taken = [
      { name: 'owner-once', startMs: LOCK_EXPIRES + 30_000, minSize: 1 },
      { name: 'owner-daily', recurrence: '41 7 * * *', minSize: 1 },
    ];
    const clearing = lookAheadClearing([last, ...taken], prewarmed, headroom, {
      ...span,
      lockExpiresAtMs: LOCK_EXPIRES - 1,
    });
    expect(clearing.movedGiveBack).toEqual({
      name: 'prescale-20260302T0742Z',
      atMs: LOCK_EXPIRES + 2 * MIN,
      minSize: 2,
      maxSize: 8,
    });
  });

  it('counts a give-back just due but still listed as not run yet', () => {
    const due = { ...last, startMs: NOW - 2 * MIN };
    expect(lookAheadClearing([due], prewarmed, headroom, span).movedGiveBack).toMatchObject({
      atMs: LOCK_EXPIRES,
    });
    const ran = { ...last, startMs: NOW - SCHEDULED_ACTION_SETTLE_MS };
    expect(lookAheadClearing([ran], prewarmed, headroom, span)).toEqual({ cutting: [ran.name] });
  });

  it('moves nothing without a lock expiry, or a give-back the deadline leaves (a retry after the move)', () => {
    const { lockExpiresAtMs: _, ...unlocked } = span;
    expect(lookAheadClearing([lower, last], prewarmed, headroom, unlocked)).toEqual({
      cutting: [lower.name, last.name],
    });
    const moved = { name: 'prescale-20260302T0740Z', startMs: LOCK_EXPIRES, minSize: 2 };
    expect(lookAheadClearing([last, moved], prewarmed, headroom, span)).toEqual({ cutting: [last.name] });
  });
});
