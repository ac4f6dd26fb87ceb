import { isExplicitVersion } from '../../../../shared/core/rolling-update/explicit-version';

describe('isExplicitVersion', () => {
  it.each(['7', '1', '42', '120'])('takes %p as a version number', (version) => {
    expect(isExplicitVersion(version)).toBe(true);
  });

  it.each(['$Latest', '$Default', '', '7a', ' 7', '7 ', '-7', '7.0'])(
    'takes %p as no version number',
    (version) => {
      expect(isExplicitVersion(version)).toBe(false);
    },
  );
});
