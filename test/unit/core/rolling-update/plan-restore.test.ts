import { planRestore } from '../../../../shared/core/rolling-update/plan-restore';

const original = { minSize: 2, maxSize: 10, desiredCapacity: 4 };

describe('planRestore', () => {
  it.each([
    ['back to the original', { minSize: 6, maxSize: 10, desiredCapacity: 6 }, undefined, 2, 4],
    ['not below what the loop needs', { minSize: 6, maxSize: 10, desiredCapacity: 6 }, 5, 5, 5],
    ['keeps a raise by others', { minSize: 6, maxSize: 10, desiredCapacity: 8 }, undefined, 2, 8],
    ['within MaxSize', { minSize: 6, maxSize: 6, desiredCapacity: 6 }, 9, 6, 6],
  ] as const)('%s', (_name, current, loopNeed, minSize, desiredCapacity) => {
    const plan = planRestore({
      original,
      headroom: { minSize: 6, desiredCapacity: 6 },
      current,
      ...(loopNeed !== undefined ? { loopNeed } : {}),
    });
    expect(plan).toMatchObject({ minSize, desiredCapacity });
  });

  it('leaves the group as it is when no headroom was added', () => {
    const plan = planRestore({ original, current: { minSize: 3, maxSize: 10, desiredCapacity: 7 } });
    expect(plan).toMatchObject({ minSize: 3, desiredCapacity: 7 });
  });
});
