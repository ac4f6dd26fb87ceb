import { refreshedInstances } from '../../../../shared/core/rolling-update/refreshed-instances';

describe('refreshedInstances', () => {
  it.each([
    ['no warm pool: the desired capacity', { desiredCapacity: 4, maxSize: 40 }, undefined, 4],
    [
      'a default pool fills MaxSize',
      { desiredCapacity: 4, maxSize: 40, warmPool: { minSize: 0 } },
      undefined,
      40,
    ],
    [
      'a pool capped by MaxGroupPreparedCapacity',
      { desiredCapacity: 4, maxSize: 40, warmPool: { minSize: 0, maxGroupPreparedCapacity: 10 } },
      undefined,
      10,
    ],
    [
      'a pool never below its MinSize',
      { desiredCapacity: 4, maxSize: 40, warmPool: { minSize: 8, maxGroupPreparedCapacity: 10 } },
      undefined,
      12,
    ],
    [
      'a prepared capacity below desired: the MinSize only',
      { desiredCapacity: 12, maxSize: 40, warmPool: { minSize: 2, maxGroupPreparedCapacity: 10 } },
      undefined,
      14,
    ],
    [
      'a raised desired capacity shrinks a default pool',
      { desiredCapacity: 4, maxSize: 40, warmPool: { minSize: 0 } },
      6,
      40,
    ],
    ['a raised desired capacity without a pool', { desiredCapacity: 4, maxSize: 40 }, 6, 6],
  ] as const)('%s', (_name, group, desired, expected) => {
    expect(refreshedInstances(group, desired)).toBe(expected);
  });
});
