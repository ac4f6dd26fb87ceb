import {
  firstLaunched,
  inLaunchPriority,
  launchedHourlyCost,
  onDemandAllocationStrategy,
} from '../../../../shared/core/pricing/launch-priority';

/** A type priced `hourlyPriceUsd` after its discount, `onDemandHourlyPriceUsd` (by default the same) before. */
const item = (
  instanceType: string,
  hourlyPriceUsd: number,
  capacityUnitsPerInstance: number,
  onDemandHourlyPriceUsd = hourlyPriceUsd,
) => ({
  instanceType,
  hourlyPriceUsd,
  onDemandHourlyPriceUsd,
  capacityUnitsPerInstance,
});

describe('inLaunchPriority', () => {
  it('puts the lowest price per capacity unit first, whatever the names', () => {
    const order = inLaunchPriority([
      item('c7g.large', 0.0725, 2),
      item('m7g.xlarge', 0.1632, 4),
      item('r8g.2xlarge', 0.2, 8),
    ]).map((t) => t.instanceType);
    expect(order).toEqual(['r8g.2xlarge', 'c7g.large', 'm7g.xlarge']);
  });

  it('breaks a tie per unit by the lower hourly price, then by name', () => {
    const order = inLaunchPriority([
      item('m5.xlarge', 0.2, 4),
      item('m6i.large', 0.1, 2),
      item('m5a.large', 0.1, 2),
    ]).map((t) => t.instanceType);
    expect(order).toEqual(['m5a.large', 'm6i.large', 'm5.xlarge']);
  });

  it('leaves its input as it was', () => {
    const input = [item('b', 2, 1), item('a', 1, 1)];
    inLaunchPriority(input);
    expect(input.map((t) => t.instanceType)).toEqual(['b', 'a']);
  });
});

describe('firstLaunched', () => {
  const overrides = [item('m5.large', 0.096, 2), item('c5.large', 0.085, 2), item('m5.xlarge', 0.16, 4)];

  it('is the first override under prioritized, the lowest price per unit under lowest-price', () => {
    expect(firstLaunched(overrides, 'prioritized')?.instanceType).toBe('m5.large');
    expect(firstLaunched(overrides, 'lowest-price')?.instanceType).toBe('m5.xlarge');
    expect(firstLaunched([], 'prioritized')).toBeUndefined();
  });

  it('ranks by the On-Demand list price under lowest-price, which knows no discount', () => {
    // m5.large is cheapest after a 30 % Savings Plan discount; Auto Scaling launches m6a.large.
    const discounted = [item('m5.large', 0.0749, 2, 0.107), item('m6a.large', 0.096, 2)];
    expect(firstLaunched(discounted, 'lowest-price')?.instanceType).toBe('m6a.large');
    expect(firstLaunched([...discounted].reverse(), 'lowest-price')?.instanceType).toBe('m6a.large');
    expect(inLaunchPriority(discounted)[0]?.instanceType).toBe('m5.large');
    expect(firstLaunched(discounted, 'prioritized')?.instanceType).toBe('m5.large');
  });
});

describe('launchedHourlyCost', () => {
  it('covers the requirement with whole instances of the one type', () => {
    expect(launchedHourlyCost(item('m5.xlarge', 0.16, 4), 10)).toBeCloseTo(0.48, 10);
    expect(launchedHourlyCost(item('m5.large', 0.096, 2), 10)).toBeCloseTo(0.48, 10);
    expect(launchedHourlyCost(item('m5.large', 0.096, 2), 0)).toBeCloseTo(0.096, 10);
  });

  it('counts instances as instancesFor does, so float noise in the requirement adds no instance', () => {
    // 7 instances weighing 1.2 units each: 7 × 1.2 = 8.4, and 8.4 / 1.2 is 7.000000000000001.
    const requiredUnits = 7 * 1.2;
    expect(launchedHourlyCost(item('m5.large', 0.096, 1.2), requiredUnits)).toBeCloseTo(7 * 0.096, 10);
    expect(launchedHourlyCost(item('m6a.xlarge', 0.1728, 2.4), requiredUnits)).toBeCloseTo(4 * 0.1728, 10);
  });
});

describe('onDemandAllocationStrategy', () => {
  it('reads lowest-price, and takes prioritized for anything else or nothing (Auto Scaling’s default)', () => {
    expect(onDemandAllocationStrategy({ OnDemandAllocationStrategy: 'lowest-price' })).toBe('lowest-price');
    expect(onDemandAllocationStrategy({ OnDemandAllocationStrategy: 'prioritized' })).toBe('prioritized');
    expect(onDemandAllocationStrategy({ OnDemandBaseCapacity: 1 })).toBe('prioritized');
    expect(onDemandAllocationStrategy(undefined)).toBe('prioritized');
  });
});
