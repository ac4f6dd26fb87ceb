import {
  AWS_TARGET_TRACKING,
  targetTrackingDecision,
} from '../../../../shared/simulation/policies/target-tracking';

const settings = { ...AWS_TARGET_TRACKING, targetValue: 60 };
const state = {
  readyCapacity: 4,
  warmingCapacity: 0,
  terminatingCapacity: 0,
  desiredCapacity: 4,
  minSize: 1,
  maxSize: 10,
};

describe('targetTrackingDecision', () => {
  it('scales out after three breaches to ceil(ready × metric / target)', () => {
    expect(targetTrackingDecision(settings, { ...state, recentMetric: [50, 90, 90] })).toMatchObject({
      kind: 'none',
    });
    expect(targetTrackingDecision(settings, { ...state, recentMetric: [70, 90, 90] })).toMatchObject({
      kind: 'scale-out',
      desiredCapacity: 6,
    });
  });

  it('counts warming instances as capacity on the way', () => {
    expect(
      targetTrackingDecision(settings, {
        ...state,
        desiredCapacity: 6,
        warmingCapacity: 2,
        recentMetric: [90, 90, 90],
      }),
    ).toEqual({ kind: 'none' });
  });

  it('scales in only after 15 minutes below 90 % of target and not while warming', () => {
    const low = Array(15).fill(30);
    expect(targetTrackingDecision(settings, { ...state, recentMetric: low })).toMatchObject({
      kind: 'scale-in',
      desiredCapacity: 2,
    });
    expect(targetTrackingDecision(settings, { ...state, recentMetric: low.slice(1) })).toEqual({
      kind: 'none',
    });
    expect(targetTrackingDecision(settings, { ...state, recentMetric: [...low.slice(1), 55] })).toEqual({
      kind: 'none',
    });
    expect(targetTrackingDecision(settings, { ...state, warmingCapacity: 1, recentMetric: low })).toEqual({
      kind: 'none',
    });
  });

  it('counts terminating instances as current capacity when it scales in (AWS: not removing more than necessary)', () => {
    // Three instances were just taken out of ten at 40 %: the datapoint still holds their load.
    const low = Array(15).fill(40);
    const draining = { ...state, readyCapacity: 7, terminatingCapacity: 3, desiredCapacity: 7, maxSize: 20 };
    expect(targetTrackingDecision(settings, { ...draining, recentMetric: low })).toEqual({ kind: 'none' });
    // At 20 %, ten instances' worth of capacity needs four: one more goes.
    expect(targetTrackingDecision(settings, { ...draining, recentMetric: Array(15).fill(20) })).toMatchObject(
      { kind: 'scale-in', desiredCapacity: 4 },
    );
    // Scale-out does not count them: ready capacity at 90 % asks for ceil(7 × 90 / 60) = 11.
    expect(targetTrackingDecision(settings, { ...draining, recentMetric: [90, 90, 90] })).toMatchObject({
      kind: 'scale-out',
      desiredCapacity: 11,
    });
  });

  it('stays within min and max and ignores missing datapoints', () => {
    expect(
      targetTrackingDecision(settings, { ...state, maxSize: 5, recentMetric: [100, 100, 100] }),
    ).toMatchObject({ desiredCapacity: 5 });
    expect(
      targetTrackingDecision(settings, { ...state, minSize: 3, recentMetric: Array(15).fill(5) }),
    ).toMatchObject({ desiredCapacity: 3 });
    expect(targetTrackingDecision(settings, { ...state, recentMetric: [90, Number.NaN, 90] })).toEqual({
      kind: 'none',
    });
  });
});
