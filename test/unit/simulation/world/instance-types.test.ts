import { instanceTypeSpec } from '../../../../shared/simulation/world/instance-types';

describe('instanceTypeSpec', () => {
  it('prices known types and names the known ones for an unknown type', () => {
    expect(instanceTypeSpec('m5.large').hourlyPriceUsd).toBe(0.096);
    expect(() => instanceTypeSpec('x9.huge')).toThrow(/m5\.large/);
  });
});
