import { prewarmCampaign } from '../../../shared/usecases/prewarm-campaign';
import { config, END, setup } from './prewarm-campaign-setup';

const PREWARM = { campaignId: 'bf', action: 'prewarm' } as const;
const RELEASE = { campaignId: 'bf', action: 'release' } as const;

/** The owner's business-hours action on api, run at 12:00 UTC during the campaign (10:00–16:00). */
const opensAt = (minSize: number) => ({
  api: [
    { name: 'open', recurrence: '0 12 * * *', minSize },
    // Prescale's own look-ahead actions are one-time and never the owner's.
    { name: 'prescale-la-1', startMs: END + 60_000, minSize: 1 },
  ],
});

async function releasedAfterOwnerRun(
  ownerMinSize: number,
  groupAfterOwnerRun: { minSize: number; desiredCapacity: number },
) {
  const world = await setup({}, opensAt(ownerMinSize));
  await prewarmCampaign(world.deps, config, PREWARM); // api 2 → 8
  world.scheduledCapacity.calls.length = 0; // the pre-warm read them too (the owner's MaxSize)
  // What the owner's 12:00 action did to the group during the campaign.
  await world.scalingTarget.updateCapacity('api', groupAfterOwnerRun);
  world.setNow(END);
  const result = await prewarmCampaign(world.deps, config, RELEASE);
  const api = result.kind === 'done' ? result.groups.find((g) => g.groupName === 'api') : undefined;
  return { world, api };
}

describe('a campaign release on a group with its own recurring MinSize action', () => {
  it('keeps what the owner’s schedule set after the pre-warm, terminating nothing, and says which action', async () => {
    const { world, api } = await releasedAfterOwnerRun(10, { minSize: 10, desiredCapacity: 10 });
    expect(world.scalingTarget.groups.get('api')).toEqual(
      expect.objectContaining({ minSize: 10, desiredCapacity: 10 }),
    );
    expect(api).toEqual({
      kind: 'unchanged',
      groupName: 'api',
      reason:
        'MinSize held at 10, set by the group\'s scheduled action "open" (run 2024-01-15T12:00:00.000Z)',
    });
    // One read of each released group's actions.
    expect(world.scheduledCapacity.calls).toEqual(['describe api', 'describe web']);
  });

  it('lowers what the pre-warm added down to the owner’s scheduled MinSize, not to the MinSize before it', async () => {
    const { world, api } = await releasedAfterOwnerRun(5, { minSize: 5, desiredCapacity: 8 });
    expect(world.scalingTarget.groups.get('api')).toEqual(
      expect.objectContaining({ minSize: 5, desiredCapacity: 5 }),
    );
    expect(api).toEqual(
      expect.objectContaining({
        kind: 'lowered',
        after: { minSize: 5, desiredCapacity: 5 },
        reason: expect.stringContaining('MinSize held at 5, set by the group\'s scheduled action "open"'),
      }),
    );
    // The other group has no action of its owner: back to what it had.
    expect(world.scalingTarget.groups.get('web')).toEqual(
      expect.objectContaining({ minSize: 1, desiredCapacity: 1 }),
    );
  });

  it('holds at the configured floor when it is above what the owner’s schedule set', async () => {
    const world = await setup({ 'prescale:floor': '3' }, opensAt(2));
    await prewarmCampaign(world.deps, config, PREWARM);
    world.setNow(END);
    const result = await prewarmCampaign(world.deps, config, RELEASE);
    expect(world.scalingTarget.groups.get('api')).toEqual(
      expect.objectContaining({ minSize: 3, desiredCapacity: 3 }),
    );
    expect(result.kind === 'done' && result.groups[0]).toEqual(
      expect.objectContaining({
        kind: 'lowered',
        reason: expect.stringContaining("MinSize held at the group's floor 3"),
      }),
    );
  });

  it('never raises the group to the owner’s MinSize: it only stops lowering there', async () => {
    const world = await setup({}, { api: [{ name: 'evening', recurrence: '0 20 * * *', minSize: 12 }] });
    await prewarmCampaign(world.deps, config, PREWARM);
    world.setNow(END);
    await prewarmCampaign(world.deps, config, RELEASE);
    // Yesterday's 20:00 run set 12 last; the group has 8 (the pre-warm's), which the release keeps.
    expect(world.scalingTarget.groups.get('api')?.minSize).toBe(8);
  });
});

describe('a campaign pre-warm on a group whose owner lowers MaxSize before the release', () => {
  /** The owner's action at `cron` (UTC) sets MaxSize 2 and leaves MinSize unset. */
  const lowersMaxAt = (recurrence: string) => ({
    api: [{ name: 'night', recurrence, maxSize: 2 }],
  });

  it('raises MinSize no higher than the MaxSize the owner’s schedule sets before the campaign ends, and says so', async () => {
    const world = await setup({}, lowersMaxAt('0 14 * * *'));
    const result = await prewarmCampaign(world.deps, config, PREWARM);
    const api = result.kind === 'done' ? result.groups.find((g) => g.groupName === 'api') : undefined;
    const group = world.scalingTarget.groups.get('api');
    expect(group?.minSize).toBeLessThanOrEqual(2);
    expect(group?.desiredCapacity).toBeLessThanOrEqual(2);
    expect(api).toEqual(
      expect.objectContaining({
        reason: expect.stringContaining(
          'the owner\'s scheduled action "night" sets MaxSize 2 at 2024-01-15T14:00:00.000Z, before the campaign\'s release at 2024-01-15T16:00:00.000Z: capped at it',
        ),
      }),
    );
    // The other group, with no action of its owner, is raised as planned.
    expect(world.scalingTarget.groups.get('web')?.minSize).toBeGreaterThan(2);
  });

  it('reports in a dry run what a live run would set, under the owner’s MaxSize, writing nothing', async () => {
    const world = await setup({}, lowersMaxAt('0 14 * * *'));
    const before = { ...world.scalingTarget.groups.get('api') };
    const result = await prewarmCampaign(world.deps, { ...config, dryRun: true }, PREWARM);
    const [api, web] = result.kind === 'done' ? result.groups : [];
    // api already holds MinSize 2, all the owner's MaxSize leaves: a live run would change nothing.
    expect(api).toEqual({
      kind: 'unchanged',
      groupName: 'api',
      reason: expect.stringMatching(
        /sets MaxSize 2 at 2024-01-15T14:00:00.000Z, .*: capped at it; the group already holds what a raise could set \(MinSize 2, DesiredCapacity 2\)$/,
      ),
    });
    expect(web).toEqual(expect.objectContaining({ kind: 'dry-run', wouldSet: expect.any(Object) }));
    expect(world.scalingTarget.groups.get('api')).toEqual(before);
  });

  it('raises as planned when the owner’s lower MaxSize comes only after the campaign’s release', async () => {
    const world = await setup({}, lowersMaxAt('0 20 * * *'));
    await prewarmCampaign(world.deps, config, PREWARM);
    expect(world.scalingTarget.groups.get('api')?.minSize).toBeGreaterThan(2);
  });
});
