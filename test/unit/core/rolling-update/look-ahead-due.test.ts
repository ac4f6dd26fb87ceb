import {
  lookAheadSettledAtMs,
  SCHEDULED_ACTION_SETTLE_MS,
} from '../../../../shared/core/rolling-update/look-ahead-due';

const NOW = Date.parse('2026-03-02T01:00:00Z');
const MIN = 60_000;

describe('lookAheadSettledAtMs', () => {
  it("is when the last of Prescale's one-time actions will have run", () => {
    const actions = [
      { name: 'prescale-20260302T0200Z', startMs: NOW + 60 * MIN },
      { name: 'prescale-20260302T0300Z', startMs: NOW + 120 * MIN },
      { name: 'owner-evening', startMs: NOW + 600 * MIN },
      { name: 'prescale-weekly', startMs: NOW + 900 * MIN, recurrence: '0 18 * * 5' },
    ];
    expect(lookAheadSettledAtMs(actions, NOW)).toBe(NOW + 120 * MIN + SCHEDULED_ACTION_SETTLE_MS);
  });

  it('counts one just due but still listed until it has had time to run', () => {
    const actions = [{ name: 'prescale-20260302T0058Z', startMs: NOW - 2 * MIN }];
    expect(lookAheadSettledAtMs(actions, NOW)).toBe(NOW + 3 * MIN);
    expect(lookAheadSettledAtMs(actions, NOW + 3 * MIN)).toBeUndefined();
  });

  it('is undefined without any of them', () => {
    expect(lookAheadSettledAtMs([{ name: 'owner-morning', startMs: NOW + MIN }], NOW)).toBeUndefined();
    expect(lookAheadSettledAtMs([], NOW)).toBeUndefined();
  });
});
