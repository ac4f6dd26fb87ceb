import { namesMatchingOnly } from '../../bench/lib/bench-args';

const NAMES = ['Spot interruption', 'Throttled Auto Scaling', 'Prescale down for 24 h'];

describe('namesMatchingOnly', () => {
  it('selects every name without --only, and those containing its text with it', () => {
    expect(namesMatchingOnly(NAMES, undefined)).toEqual(NAMES);
    expect(namesMatchingOnly(NAMES, 'ot')).toEqual(['Spot interruption', 'Throttled Auto Scaling']);
  });

  it('refuses text that matches no name, listing the valid names, instead of running nothing', () => {
    expect(() => namesMatchingOnly(NAMES, 'spot')).toThrow(
      '--only "spot" matches no name; expected text contained in one of: "Spot interruption", "Throttled Auto Scaling", "Prescale down for 24 h"',
    );
  });
});
