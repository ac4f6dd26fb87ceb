import { spotLaunches } from '../../../../shared/core/pricing/spot-launches';

describe('spotLaunches', () => {
  it.each<[string, Record<string, string | number> | undefined, boolean]>([
    ['no distribution: all On-Demand (the defaults)', undefined, false],
    [
      'strategies only',
      { OnDemandAllocationStrategy: 'prioritized', SpotAllocationStrategy: 'price-capacity-optimized' },
      false,
    ],
    [
      '100 % On-Demand above the base',
      { OnDemandBaseCapacity: 0, OnDemandPercentageAboveBaseCapacity: 100 },
      false,
    ],
    ['all Spot', { OnDemandBaseCapacity: 0, OnDemandPercentageAboveBaseCapacity: 0 }, true],
    ['half Spot above a base', { OnDemandBaseCapacity: 4, OnDemandPercentageAboveBaseCapacity: 50 }, true],
    [
      'a Spot percentage above a base the group never passes',
      { OnDemandBaseCapacity: 20, OnDemandPercentageAboveBaseCapacity: 0 },
      false,
    ],
    ['numbers as text', { OnDemandBaseCapacity: '2', OnDemandPercentageAboveBaseCapacity: '70' }, true],
  ])('%s', (_case, distribution, spot) => {
    expect(spotLaunches(distribution, 20) !== undefined).toBe(spot);
  });

  it('says what launches Spot', () => {
    expect(spotLaunches({ OnDemandPercentageAboveBaseCapacity: 0 }, 20)).toBe(
      'OnDemandPercentageAboveBaseCapacity 0 above an OnDemandBaseCapacity of 0, MaxSize 20',
    );
  });
});
