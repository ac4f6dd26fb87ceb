import { VirtualClock } from '../../../shared/simulation/virtual-clock';

describe('VirtualClock', () => {
  it('moves only when told and never backwards', () => {
    const clock = new VirtualClock(1000);
    expect(clock.nowMs()).toBe(1000);
    clock.advanceTo(5000);
    expect(clock.nowMs()).toBe(5000);
    expect(() => clock.advanceTo(4000)).toThrow(RangeError);
  });
});
