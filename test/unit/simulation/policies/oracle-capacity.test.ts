import { demandInstances, oracleCapacity } from '../../../../shared/simulation/policies/oracle-capacity';

describe('oracleCapacity', () => {
  it('asks now for the most demand within one lead time', () => {
    const demand = [1, 1, 1, 5, 2, 2];
    expect(oracleCapacity(demand, 0, 2)).toBe(1);
    expect(oracleCapacity(demand, 1, 2)).toBe(5);
    expect(oracleCapacity(demand, 4, 5)).toBe(2);
  });

  it('needs ceil(load / target) instances, at least one', () => {
    expect(demandInstances(0, 60)).toBe(1);
    expect(demandInstances(120, 60)).toBe(2);
    expect(demandInstances(120.5, 60)).toBe(3);
  });
});
