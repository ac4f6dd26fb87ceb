import { minSizeScaleInPace } from '../../../../shared/core/planning/min-size-scale-in-pace';

describe('minSizeScaleInPace', () => {
  it('lowers MinSize by scaleInPerTick a run on a group without policies, never at 0', () => {
    expect(minSizeScaleInPace({ hasScalingPolicies: false, scaleInPerTick: 2, maxChangePerTick: 10 })).toBe(
      2,
    );
    expect(minSizeScaleInPace({ hasScalingPolicies: false, scaleInPerTick: 0, maxChangePerTick: 10 })).toBe(
      0,
    );
  });

  it('follows at the raise pace where the group’s own policies scale in', () => {
    expect(minSizeScaleInPace({ hasScalingPolicies: true, scaleInPerTick: 0, maxChangePerTick: 10 })).toBe(
      10,
    );
    expect(minSizeScaleInPace({ hasScalingPolicies: true, scaleInPerTick: 12, maxChangePerTick: 10 })).toBe(
      12,
    );
  });
});
