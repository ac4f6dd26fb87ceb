import { scoreProvisioning } from '../../../../shared/core/planning/score-provisioning';

describe('scoreProvisioning', () => {
  it('counts a step short only when the capacity that served it fell short', () => {
    const step = { actualLoad: 150, medianLoad: 100, plannedLoad: 110, plannedCapacity: 2 };
    expect(scoreProvisioning([step], 60).underProvisionedSteps).toBe(1);
    expect(scoreProvisioning([{ ...step, servedCapacity: 3 }], 60).underProvisionedSteps).toBe(0);
    expect(
      scoreProvisioning([{ ...step, plannedCapacity: 3, servedCapacity: 2 }], 60).underProvisionedSteps,
    ).toBe(1);
  });
});
