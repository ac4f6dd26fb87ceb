import fc from 'fast-check';
import { chooseRollbackStep } from '../../../../shared/core/rolling-update/choose-rollback-step';
import { rollbackGiveUpTime } from '../../../../shared/core/rolling-update/rollback-give-up-time';

const NOW = Date.parse('2026-03-02T02:00:00Z');
const EXPIRES = NOW + 8 * 3_600_000;
const MINUTE = 60_000;

describe('rollbackGiveUpTime', () => {
  it.each([
    [10, EXPIRES - 30 * MINUTE],
    [60, EXPIRES - 30 * MINUTE],
    [900, EXPIRES - 30 * MINUTE],
    [1200, EXPIRES - 40 * MINUTE],
    [3600, EXPIRES - 120 * MINUTE],
  ])('gives up before the lock expires by 30 minutes or two poll intervals of %i s', (poll, giveUpAtMs) => {
    expect(rollbackGiveUpTime({ lockExpiresAtMs: EXPIRES, pollIntervalSeconds: poll, nowMs: NOW })).toBe(
      giveUpAtMs,
    );
  });

  it.each([[undefined], [Number.NaN]])('waits six hours from now without a lock time (%s)', (expires) => {
    const input = { pollIntervalSeconds: 3600, nowMs: NOW };
    expect(
      rollbackGiveUpTime({ ...input, ...(expires !== undefined ? { lockExpiresAtMs: expires } : {}) }),
    ).toBe(NOW + 6 * 3_600_000);
  });

  it('has the look after the last wait give up a poll interval before the lock expires, or 30 minutes', () => {
    const rollingBack = { nativeRollback: true, forwardRefreshId: 'r1' };
    const refreshes = [{ id: 'r1', status: 'RollbackInProgress' as const }];
    fc.assert(
      fc.property(fc.integer({ min: 10, max: 3600 }), (poll) => {
        const giveUpAtMs = rollbackGiveUpTime({
          lockExpiresAtMs: EXPIRES,
          pollIntervalSeconds: poll,
          nowMs: NOW,
        });
        // The latest look that still waits is at the give-up time; the next comes a whole interval later.
        const last = chooseRollbackStep({ ...rollingBack, refreshes, nowMs: giveUpAtMs, giveUpAtMs });
        const nextLookAtMs = giveUpAtMs + poll * 1000;
        const next = chooseRollbackStep({ ...rollingBack, refreshes, nowMs: nextLookAtMs, giveUpAtMs });
        expect([last.action, next.action]).toEqual(['wait', 'hold']);
        expect(nextLookAtMs).toBeLessThanOrEqual(EXPIRES - Math.max(poll * 1000, 30 * MINUTE - poll * 1000));
      }),
    );
  });
});
