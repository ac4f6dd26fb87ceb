import {
  demandInstances,
  foresightDemand,
  oracleCapacity,
} from '../../../../shared/simulation/policies/oracle-capacity';

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

  it('sees each minute with 1-minute foresight and only step means with 5-minute foresight', () => {
    const loads = [60, 60, 60, 60, 180, 30, 30];
    expect(foresightDemand(loads, 60, 1)).toEqual([1, 1, 1, 1, 3, 1, 1]);
    // Step 1's mean is 84 (2 instances for all five minutes); the trailing partial step's is 30.
    expect(foresightDemand(loads, 60, 5)).toEqual([2, 2, 2, 2, 2, 1, 1]);
    expect(foresightDemand(loads, 90, 1)).toEqual([1, 1, 1, 1, 2, 1, 1]);
  });

  it('rejects a foresight that is not a whole number of minutes', () => {
    expect(() => foresightDemand([60], 60, 0)).toThrow('foresightMinutes');
    expect(() => foresightDemand([60], 60, 2.5)).toThrow('foresightMinutes');
  });
});
