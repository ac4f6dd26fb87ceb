import { groupLeadTimeSeconds, groupWarmupSeconds } from '../../../../shared/core/planning/group-lead-time';

describe('groupWarmupSeconds', () => {
  it.each([
    [{ defaultInstanceWarmupSeconds: 180, defaultCooldownSeconds: 300 }, 180],
    [{ defaultCooldownSeconds: 300 }, 300],
    [{ defaultInstanceWarmupSeconds: 0, defaultCooldownSeconds: 300 }, 0],
    [{}, 0],
  ])('reads %j as %i s, falling back to the cooldown as scaling policies do', (group, seconds) => {
    expect(groupWarmupSeconds(group)).toBe(seconds);
  });
});

describe('groupLeadTimeSeconds', () => {
  it('is the learned lead time, which includes the warm-up, when there is one', () => {
    expect(
      groupLeadTimeSeconds({ learnedLeadTimeSeconds: 420, defaultLeadTimeSeconds: 300, warmupSeconds: 300 }),
    ).toBe(420);
  });

  it('is the configured default plus the warm-up otherwise', () => {
    expect(groupLeadTimeSeconds({ defaultLeadTimeSeconds: 300, warmupSeconds: 180 })).toBe(480);
  });
});
