import { planRestore } from '../../../../shared/core/rolling-update/plan-restore';

const original = { minSize: 2, maxSize: 10, desiredCapacity: 4 };

describe('planRestore', () => {
  it.each([
    ['back to the original', { minSize: 6, maxSize: 10, desiredCapacity: 6 }, undefined, 2, 4],
    ['not below what the loop needs', { minSize: 6, maxSize: 10, desiredCapacity: 6 }, 5, 5, 5],
    ['keeps a raise by others', { minSize: 6, maxSize: 10, desiredCapacity: 8 }, undefined, 2, 8],
    ['within MaxSize', { minSize: 6, maxSize: 6, desiredCapacity: 6 }, 9, 6, 6],
    [
      'keeps a MinSize others raised above the headroom',
      { minSize: 8, maxSize: 10, desiredCapacity: 8 },
      undefined,
      8,
      8,
    ],
    [
      'keeps a MinSize others set below the headroom',
      { minSize: 4, maxSize: 10, desiredCapacity: 6 },
      undefined,
      4,
      4,
    ],
    [
      'never below the original for a MinSize others lowered',
      { minSize: 1, maxSize: 10, desiredCapacity: 6 },
      undefined,
      2,
      4,
    ],
  ] as const)('%s', (_name, current, loopNeed, minSize, desiredCapacity) => {
    const plan = planRestore({
      original,
      headroom: { minSize: 6, desiredCapacity: 6 },
      current,
      ...(loopNeed !== undefined ? { loopNeed } : {}),
    });
    expect(plan).toMatchObject({ minSize, desiredCapacity });
  });

  it("never goes below the MinSize the owner's scheduled actions hold now", () => {
    const plan = planRestore({
      original,
      headroom: { minSize: 6, desiredCapacity: 6 },
      current: { minSize: 6, maxSize: 10, desiredCapacity: 6 },
      ownerMinSize: 5,
    });
    expect(plan).toMatchObject({ minSize: 5, desiredCapacity: 5 });
    expect(plan.reason).toContain("owner's scheduled MinSize 5");
  });

  it('gives back the MinSize of a kept give-back the lock deleted, not below the loop or the owner', () => {
    const preWarmed = { minSize: 5, maxSize: 10, desiredCapacity: 5 };
    const at = (extra: { loopNeed?: number; ownerMinSize?: number }) =>
      planRestore({
        original: preWarmed,
        headroom: { minSize: 6, desiredCapacity: 6 },
        current: { minSize: 6, maxSize: 10, desiredCapacity: 6 },
        keptGiveBack: 2,
        ...extra,
      });
    expect(at({})).toMatchObject({ minSize: 2, desiredCapacity: 5 });
    expect(at({}).reason).toContain('original 5, given back to 2');
    expect(at({ ownerMinSize: 3 })).toMatchObject({ minSize: 3, desiredCapacity: 5 });
    expect(at({ loopNeed: 4 })).toMatchObject({ minSize: 4, desiredCapacity: 5 });
  });

  describe("after the owner's scheduled action ran during the refresh", () => {
    // 19:30 headroom on a group at min 4 / desired 4; the owner's 20:00 night action sets MinSize 1.
    const night = (current: { minSize: number; desiredCapacity: number }, loopNeed?: number) =>
      planRestore({
        original: { minSize: 4, maxSize: 10, desiredCapacity: 4 },
        headroom: { minSize: 5, desiredCapacity: 5 },
        current: { ...current, maxSize: 10 },
        ownerMinSize: 1,
        ownerSetDuringRefresh: true,
        ...(loopNeed !== undefined ? { loopNeed } : {}),
      });

    it("keeps the owner's MinSize and desired, launching nothing they scheduled away", () => {
      const plan = night({ minSize: 1, desiredCapacity: 1 });
      expect(plan).toMatchObject({ minSize: 1, desiredCapacity: 1 });
      expect(plan.reason).toContain("owner's scheduled MinSize 1, set by their action during the refresh");
      expect(plan.reason).toContain("no higher than the owner's schedule left it");
    });

    it('gives desired back to the original when their action left desired at the headroom', () => {
      expect(night({ minSize: 1, desiredCapacity: 5 })).toMatchObject({ minSize: 1, desiredCapacity: 4 });
    });

    it('never goes below what the loop needs', () => {
      expect(night({ minSize: 1, desiredCapacity: 1 }, 3)).toMatchObject({ minSize: 3, desiredCapacity: 3 });
    });

    it('keeps a MinSize someone set after the action', () => {
      expect(night({ minSize: 2, desiredCapacity: 2 })).toMatchObject({ minSize: 2, desiredCapacity: 2 });
    });

    it('keeps a raise their action made, never above MaxSize', () => {
      const plan = planRestore({
        original: { minSize: 4, maxSize: 6, desiredCapacity: 4 },
        headroom: { minSize: 5, desiredCapacity: 5 },
        current: { minSize: 6, maxSize: 6, desiredCapacity: 6 },
        loopNeed: 9,
        ownerMinSize: 6,
        ownerSetDuringRefresh: true,
      });
      expect(plan).toMatchObject({ minSize: 6, desiredCapacity: 6 });
    });
  });

  it('leaves the group as it is when no headroom was added', () => {
    const plan = planRestore({ original, current: { minSize: 3, maxSize: 10, desiredCapacity: 7 } });
    expect(plan).toMatchObject({ minSize: 3, desiredCapacity: 7 });
  });
});
