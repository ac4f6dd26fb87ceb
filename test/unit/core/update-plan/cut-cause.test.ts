import { cutCause } from '../../../../shared/core/update-plan/cut-cause';

describe('cutCause', () => {
  it('keeps a cause within the limit as it is', () => {
    expect(cutCause('RefreshFailed: instances failed health checks', 100, 'x')).toBe(
      'RefreshFailed: instances failed health checks',
    );
  });

  it('cuts a longer cause to the limit, saying how long it was and where the rest is', () => {
    const cut = cutCause('y'.repeat(8_000), 1_000, 'the history of execution plan-s1-web');
    expect(Array.from(cut)).toHaveLength(1_000);
    expect(cut).toMatch(
      /^y+ … \[cut: 8000 characters in all; the full text is in the history of execution plan-s1-web\]$/,
    );
  });

  it('never splits a character', () => {
    const cut = cutCause('😀'.repeat(500), 200, 'h');
    expect(cut.startsWith('😀'.repeat(100))).toBe(true);
    expect(cut).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/);
    expect(Array.from(cut)).toHaveLength(200);
  });

  it('refuses a limit with no room to say it cut', () => {
    expect(() => cutCause('x', 10, 'h')).toThrow(RangeError);
  });
});
