import {
  MIN_PLAN_LOCK_MARGIN_MS,
  planLockMarginMs,
} from '../../../../shared/core/update-plan/plan-lock-margin';

const HOUR_S = 3600;

describe('planLockMarginMs', () => {
  it("covers the last slot's longest child and then every group's revert, one after another", () => {
    const allowances = new Map([
      ['web', 5 * HOUR_S],
      ['api', 4 * HOUR_S],
      ['db', 6 * HOUR_S],
    ]);
    expect(planLockMarginMs(allowances, ['web', 'api'])).toBe((5 + 5 + 4 + 6) * HOUR_S * 1000);
  });

  it('keeps at least 12 hours for groups whose refreshes are short', () => {
    expect(planLockMarginMs(new Map([['web', HOUR_S]]), ['web'])).toBe(MIN_PLAN_LOCK_MARGIN_MS);
    expect(MIN_PLAN_LOCK_MARGIN_MS).toBe(12 * HOUR_S * 1000);
  });
});
