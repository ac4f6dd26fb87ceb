import { refreshAllowanceSeconds } from '../../../../shared/core/rolling-update/refresh-allowance';

describe('refreshAllowanceSeconds', () => {
  it('is 3 × the estimate, at least an hour, unless the request sets maxRefreshMinutes', () => {
    expect(refreshAllowanceSeconds(2000)).toBe(6000);
    expect(refreshAllowanceSeconds(600)).toBe(3600);
    expect(refreshAllowanceSeconds(2000, 30)).toBe(1800);
  });
});
