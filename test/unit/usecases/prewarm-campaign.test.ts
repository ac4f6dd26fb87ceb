import { userConfigSchema } from '../../../shared/contracts/user-config';
import { unfinishedGroups } from '../../../shared/usecases/campaign-action-result';
import { prewarmCampaign } from '../../../shared/usecases/prewarm-campaign';
import { config, definition, END, HOUR, START, setup } from './prewarm-campaign-setup';

describe('prewarmCampaign', () => {
  it('raises each group at once to the capacity planned for the start, campaign and extra instances included', async () => {
    const { deps, scalingTarget, campaigns } = await setup();
    const result = await prewarmCampaign(deps, config, { campaignId: 'bf', action: 'prewarm' });
    // p90 = 110 × 3 = 330 load + 2 × 60 extra = 450 → 8 instances of 60.
    expect(result).toEqual(
      expect.objectContaining({
        kind: 'done',
        groups: [
          expect.objectContaining({
            kind: 'raised',
            groupName: 'api',
            after: { minSize: 8, desiredCapacity: 8 },
          }),
          expect.objectContaining({
            kind: 'raised',
            groupName: 'web',
            after: { minSize: 8, desiredCapacity: 8 },
          }),
        ],
      }),
    );
    expect(scalingTarget.groups.get('web')).toEqual(
      expect.objectContaining({ minSize: 8, desiredCapacity: 8 }),
    );
    expect(await campaigns.getPrewarm('bf', 'web')).toEqual(
      expect.objectContaining({
        before: { minSize: 1, desiredCapacity: 1 },
        after: { minSize: 8, desiredCapacity: 8 },
      }),
    );
  });

  it('reports a group deleted while it acted on it as not found, and raises the others', async () => {
    const { deps, scalingTarget } = await setup();
    const update = scalingTarget.updateCapacity.bind(scalingTarget);
    // Auto Scaling answers the raise "AutoScalingGroup name not found": the adapter's ResourceNotFoundError.
    scalingTarget.updateCapacity = async (groupName, change) => {
      if (groupName === 'web') scalingTarget.groups.delete('web');
      return update(groupName, change);
    };
    const result = await prewarmCampaign(deps, config, { campaignId: 'bf', action: 'prewarm' });
    expect(result.kind === 'done' && result.groups).toEqual([
      expect.objectContaining({ kind: 'raised', groupName: 'api' }),
      {
        kind: 'not-found',
        groupName: 'web',
        reason: 'the group was deleted while the campaign acted on it',
      },
    ]);
    expect(result.kind === 'done' && unfinishedGroups(result)).toEqual([]);
  });

  it('raises at most maxChangePerTick per group when it runs 20 minutes into the campaign', async () => {
    const { deps, scalingTarget, setNow } = await setup();
    const paced = userConfigSchema.parse({
      ...config,
      defaults: { ...config.defaults, maxChangePerTick: 2 },
    });
    setNow(START + 20 * 60_000);
    const result = await prewarmCampaign(deps, paced, { campaignId: 'bf', action: 'prewarm' });
    // The ×3 plan needs 8 instances; a run of the loop would raise at most 2.
    expect(result.kind === 'done' && result.groups).toEqual([
      expect.objectContaining({
        kind: 'raised',
        groupName: 'api',
        after: { minSize: 4, desiredCapacity: 4 },
        reason: expect.stringContaining('8 instances planned for 2024-01-15T10:20:00.000Z'),
      }),
      expect.objectContaining({
        kind: 'raised',
        groupName: 'web',
        after: { minSize: 3, desiredCapacity: 3 },
        reason: expect.stringContaining('raise limited to 2 per run'),
      }),
    ]);
    expect(scalingTarget.groups.get('web')).toEqual(
      expect.objectContaining({ minSize: 3, desiredCapacity: 3 }),
    );
  });

  it("plans over the default lead time plus the group's warm-up when none is learned", async () => {
    const { deps, scalingTarget } = await setup();
    const web = scalingTarget.groups.get('web');
    if (web) scalingTarget.groups.set('web', { ...web, defaultCooldownSeconds: 300 });
    const result = await prewarmCampaign(deps, config, { campaignId: 'bf', action: 'prewarm' });
    expect(result.kind === 'done' && result.groups).toEqual([
      expect.objectContaining({ groupName: 'api', reason: expect.stringContaining('lead time 300s') }),
      expect.objectContaining({ groupName: 'web', reason: expect.stringContaining('lead time 600s') }),
    ]);
  });

  it('holds back for a paused group like the loop and records nothing for it', async () => {
    const { deps, scalingTarget, campaigns } = await setup({ 'prescale:paused': 'true' });
    const result = await prewarmCampaign(deps, config, { campaignId: 'bf', action: 'prewarm' });
    expect(result.kind === 'done' && result.groups[0]).toEqual({
      kind: 'held',
      groupName: 'api',
      reason: 'group is paused by tag (value "true")',
    });
    expect(scalingTarget.groups.get('api')?.minSize).toBe(2);
    expect(await campaigns.getPrewarm('bf', 'api')).toBeUndefined();
  });

  it('holds back for a group an EC2 predictive scaling policy scales, and pre-warms the others', async () => {
    const { deps, scalingTarget, campaigns } = await setup();
    const api = scalingTarget.groups.get('api');
    if (!api) throw new Error('expected the api group');
    scalingTarget.groups.set('api', { ...api, predictiveScalingPolicy: 'cpu40' });
    const result = await prewarmCampaign(deps, config, { campaignId: 'bf', action: 'prewarm' });
    if (result.kind !== 'done') throw new Error('expected the pre-warm to run');
    expect(result.groups.map((g) => [g.groupName, g.kind])).toEqual([
      ['api', 'held'],
      ['web', 'raised'],
    ]);
    expect(result.groups[0]).toMatchObject({
      reason: expect.stringContaining('EC2 predictive scaling policy "cpu40" scales the group'),
    });
    expect(scalingTarget.groups.get('api')?.minSize).toBe(2);
    expect(await campaigns.getPrewarm('bf', 'api')).toBeUndefined();
  });

  it('releases exactly what it raised at the end, once, and learns the realised uplift by kind', async () => {
    const { deps, scalingTarget, campaigns, setNow } = await setup();
    await prewarmCampaign(deps, config, { campaignId: 'bf', action: 'prewarm' });
    await scalingTarget.updateCapacity('web', { minSize: 9, desiredCapacity: 9 }); // the loop's own raise
    setNow(END);
    const result = await prewarmCampaign(deps, config, { campaignId: 'bf', action: 'release' });
    expect(scalingTarget.groups.get('api')).toEqual(
      expect.objectContaining({ minSize: 2, desiredCapacity: 2 }),
    );
    expect(scalingTarget.groups.get('web')).toEqual(
      expect.objectContaining({ minSize: 2, desiredCapacity: 2 }),
    );
    expect(result.kind === 'done' && result.learning.map((l) => l.kind)).toEqual(['learned', 'learned']);
    const learned = (await campaigns.getKindHistory('sale', 'web'))?.learned;
    expect(learned?.windowCount).toBe(1);
    expect(learned?.medianFactor).toBeCloseTo(1.5, 1);
    const again = await prewarmCampaign(deps, config, { campaignId: 'bf', action: 'release' });
    expect(again.kind === 'done' && again.groups.map((g) => g.kind)).toEqual(['unchanged', 'unchanged']);
  });

  it('does not learn, nor keep, a window a campaign of another kind overlapped on the group', async () => {
    const { deps, campaigns, setNow } = await setup();
    const newsletter = { startMs: START + 2 * HOUR, endMs: END + 2 * HOUR };
    await campaigns.schedule(
      { ...definition, campaignId: 'nl', kind: 'newsletter', groupNames: ['web'], ...newsletter },
      'e-2',
      START - 24 * HOUR,
    );
    setNow(END);
    const result = await prewarmCampaign(deps, config, { campaignId: 'bf', action: 'release' });
    expect(result.kind === 'done' && result.learning).toEqual([
      expect.objectContaining({ kind: 'learned', groupName: 'api' }),
      {
        kind: 'not-learned',
        groupName: 'web',
        reason:
          "a campaign of another kind overlapped it (2024-01-15T12:00:00.000Z – 2024-01-15T18:00:00.000Z): its load is not this kind's alone",
      },
    ]);
    expect(await campaigns.getKindHistory('sale', 'web')).toBeUndefined();
    expect((await campaigns.getKindHistory('sale', 'api'))?.windows).toEqual([
      { startMs: START, endMs: END },
    ]);
  });

  it('leaves a release a hold stops unfinished, to be retried, only where the pre-warm still stands', async () => {
    const { deps, scalingTarget, campaigns, setNow } = await setup();
    await prewarmCampaign(deps, config, { campaignId: 'bf', action: 'prewarm' });
    const api = scalingTarget.groups.get('api');
    if (api) scalingTarget.groups.set('api', { ...api, tags: { 'prescale:paused': 'true' } });
    setNow(END);
    const held = await prewarmCampaign(deps, config, { campaignId: 'bf', action: 'release' });
    if (held.kind !== 'done') throw new Error('expected the release to run');
    expect(unfinishedGroups(held)).toEqual([
      {
        groupName: 'api',
        error: new Error(
          'release held: group is paused by tag (value "true"); the pre-warm (MinSize 2 → 8) is not released',
        ),
      },
    ]);
    expect((await campaigns.getPrewarm('bf', 'api'))?.releasedAtMs).toBeUndefined();
    // The retry after the pause is lifted releases it; a held group with nothing raised is done.
    if (api) scalingTarget.groups.set('api', api);
    const retried = await prewarmCampaign(deps, config, { campaignId: 'bf', action: 'release' });
    expect(retried.kind === 'done' && unfinishedGroups(retried)).toEqual([]);
    expect(scalingTarget.groups.get('api')).toEqual(
      expect.objectContaining({ minSize: 2, desiredCapacity: 2 }),
    );
    if (api)
      scalingTarget.groups.set('api', {
        ...api,
        minSize: 2,
        desiredCapacity: 2,
        tags: { 'prescale:paused': 'true' },
      });
    const again = await prewarmCampaign(deps, config, { campaignId: 'bf', action: 'release' });
    expect(again.kind === 'done' && unfinishedGroups(again)).toEqual([]);
  });

  it('releases a group an update dropped after its pre-warm, and learns only on the groups it still names', async () => {
    const { deps, scalingTarget, campaigns, setNow } = await setup();
    await prewarmCampaign(deps, config, { campaignId: 'bf', action: 'prewarm' });
    expect(scalingTarget.groups.get('api')?.minSize).toBeGreaterThan(2);
    const updated = await campaigns.update({ ...definition, version: 2, groupNames: ['web'] }, 'e-2', START);
    expect(updated.kind === 'written' && updated.campaign.formerGroupNames).toEqual(['api']);
    setNow(END);
    const result = await prewarmCampaign(deps, config, { campaignId: 'bf', action: 'release' });
    expect(scalingTarget.groups.get('api')).toEqual(
      expect.objectContaining({ minSize: 2, desiredCapacity: 2 }),
    );
    expect(result.kind === 'done' && result.groups.map((g) => [g.groupName, g.kind])).toEqual([
      ['web', 'lowered'],
      ['api', 'lowered'],
    ]);
    expect(result.kind === 'done' && result.learning.map((l) => l.groupName)).toEqual(['web']);
    // Named again by a later version (sent before the end), it is no longer former.
    const back = await campaigns.update({ ...definition, version: 3 }, 'e-3', END - 60_000);
    expect(back.kind === 'written' && back.campaign.formerGroupNames).toBeUndefined();
  });

  it('releases a campaign postponed after its pre-warm to where its new pre-warm started', async () => {
    const { deps, scalingTarget, campaigns, setNow } = await setup();
    await prewarmCampaign(deps, config, { campaignId: 'bf', action: 'prewarm' });
    expect(scalingTarget.groups.get('web')?.minSize).toBe(8);
    const later = { startMs: START + 72 * HOUR, endMs: END + 72 * HOUR };
    await campaigns.update({ ...definition, ...later, version: 2 }, 'e-2', START - 2 * 60_000);
    // Over the three days the loop lowers the first raise and its own plan grows to 4.
    await scalingTarget.updateCapacity('web', { minSize: 4, desiredCapacity: 4 });
    setNow(later.startMs - 6 * 60_000);
    await prewarmCampaign(deps, config, { campaignId: 'bf', action: 'prewarm' });
    expect(await campaigns.getPrewarm('bf', 'web')).toEqual(
      expect.objectContaining({ before: { minSize: 4, desiredCapacity: 4 }, windowStartMs: later.startMs }),
    );
    setNow(later.endMs);
    await prewarmCampaign(deps, config, { campaignId: 'bf', action: 'release' });
    expect(scalingTarget.groups.get('web')).toEqual(
      expect.objectContaining({ minSize: 4, desiredCapacity: 4 }),
    );
  });

  it('leaves to the loop a pre-warm raised for a start an update has since moved later', async () => {
    const { deps, scalingTarget, campaigns, setNow } = await setup();
    await prewarmCampaign(deps, config, { campaignId: 'bf', action: 'prewarm' });
    await campaigns.update(
      { ...definition, startMs: START + 72 * HOUR, endMs: END + 72 * HOUR, version: 2 },
      'e-2',
      START,
    );
    await scalingTarget.updateCapacity('web', { minSize: 4, desiredCapacity: 4 });
    await campaigns.cancel(
      { campaignId: 'bf', reason: 'called off', tombstoneExpiresAtMs: START + 30 * 86_400_000 },
      'e-3',
      START + HOUR,
    );
    setNow(START + HOUR + 60_000);
    const result = await prewarmCampaign(deps, config, { campaignId: 'bf', action: 'release' });
    expect(result.kind === 'done' && result.groups.find((g) => g.groupName === 'web')).toEqual({
      kind: 'unchanged',
      groupName: 'web',
      reason:
        'left to the loop: the pre-warm raised for the start 2024-01-15T10:00:00.000Z, which an update moved to 2024-01-18T10:00:00.000Z',
    });
    expect(scalingTarget.groups.get('web')).toEqual(
      expect.objectContaining({ minSize: 4, desiredCapacity: 4 }),
    );
    expect((await campaigns.getPrewarm('bf', 'web'))?.releasedAtMs).toBe(START + HOUR + 60_000);
  });

  it('leaves the pre-warm to the loop where another campaign is on the group at the release', async () => {
    const { deps, scalingTarget, campaigns, setNow } = await setup();
    await prewarmCampaign(deps, config, { campaignId: 'bf', action: 'prewarm' });
    const raised = scalingTarget.groups.get('web')?.minSize;
    await campaigns.schedule(
      {
        ...definition,
        campaignId: 'late-night',
        groupNames: ['web'],
        startMs: END - HOUR,
        endMs: END + 3 * HOUR,
      },
      'e-9',
      START,
    );
    setNow(END);
    const result = await prewarmCampaign(deps, config, { campaignId: 'bf', action: 'release' });
    expect(result.kind === 'done' && result.groups.find((g) => g.groupName === 'web')).toEqual({
      kind: 'unchanged',
      groupName: 'web',
      reason:
        'left to the loop: campaign late-night is on the group too, and the loop lowers at its pace what they no longer need',
    });
    expect(scalingTarget.groups.get('web')?.minSize).toBe(raised);
    expect((await campaigns.getPrewarm('bf', 'web'))?.releasedAtMs).toBe(END);
    // The group no other campaign is on is released as before.
    expect(scalingTarget.groups.get('api')).toEqual(
      expect.objectContaining({ minSize: 2, desiredCapacity: 2 }),
    );
  });

  it('releases no lower than a floor raised during the campaign, on a group without policies', async () => {
    const { deps, scalingTarget, campaigns, setNow } = await setup();
    await prewarmCampaign(deps, config, { campaignId: 'bf', action: 'prewarm' });
    expect((await campaigns.getPrewarm('bf', 'api'))?.before.minSize).toBe(2);
    const api = scalingTarget.groups.get('api');
    if (api) scalingTarget.groups.set('api', { ...api, tags: { 'prescale:floor': '6' } });
    setNow(END);
    const result = await prewarmCampaign(deps, config, { campaignId: 'bf', action: 'release' });
    expect(scalingTarget.groups.get('api')).toEqual(
      expect.objectContaining({ minSize: 6, desiredCapacity: 6 }),
    );
    expect(result.kind === 'done' && result.groups[0]).toEqual(
      expect.objectContaining({
        kind: 'lowered',
        after: { minSize: 6, desiredCapacity: 6 },
        reason: expect.stringContaining("MinSize held at the group's floor 6"),
      }),
    );
    expect(scalingTarget.groups.get('web')).toEqual(
      expect.objectContaining({ minSize: 1, desiredCapacity: 1 }),
    );
  });

  it('uses the learned uplift for a later campaign of the same kind without a size', async () => {
    const { campaigns } = await setup();
    await campaigns.putKindHistory(
      {
        kind: 'sale',
        groupName: 'web',
        windows: [{ startMs: START, endMs: END }],
        learned: { medianFactor: 1.5, minFactor: 1.4, maxFactor: 1.6, windowCount: 2 },
        updatedAtMs: END,
      },
      undefined,
    );
    const { expectedLoad: _size, ...sizeless } = definition;
    await campaigns.schedule(
      { ...sizeless, campaignId: 'bf2', startMs: END + 24 * HOUR, endMs: END + 30 * HOUR },
      'e-2',
      END,
    );
    expect(await campaigns.campaignsFor('web', END + 24 * HOUR, END + 25 * HOUR)).toEqual([
      expect.objectContaining({
        campaignId: 'bf2',
        upliftSource: 'learned',
        uplift: { kind: 'multiplier', factor: 1.6 },
      }),
    ]);
  });

  it('skips a cancelled campaign’s pre-warm and releases without learning', async () => {
    const { deps, campaigns, scalingTarget, setNow } = await setup();
    await prewarmCampaign(deps, config, { campaignId: 'bf', action: 'prewarm' });
    await campaigns.cancel(
      { campaignId: 'bf', reason: 'postponed', tombstoneExpiresAtMs: START + 30 * 86_400_000 },
      'e-3',
      START,
    );
    expect(await prewarmCampaign(deps, config, { campaignId: 'bf', action: 'prewarm' })).toEqual({
      kind: 'skipped',
      campaignId: 'bf',
      action: 'prewarm',
      reason: 'the campaign was cancelled',
    });
    setNow(START + 60_000);
    const release = await prewarmCampaign(deps, config, { campaignId: 'bf', action: 'release' });
    expect(release.kind === 'done' && release.learning).toEqual([]);
    expect(scalingTarget.groups.get('web')?.minSize).toBe(1);
  });
});

describe('prewarmCampaign, a past campaign in the history', () => {
  it('passes the forecast the windows of its history too, as the loop does, so their uplift is read out', async () => {
    const { deps, campaigns } = await setup();
    const yesterday = { startMs: START - 24 * HOUR, endMs: START - 20 * HOUR };
    await campaigns.schedule(
      { ...definition, campaignId: 'yesterday', groupNames: ['web'], ...yesterday },
      'e-2',
      START - 48 * HOUR,
    );
    const seen: number[][] = [];
    const forecast: typeof deps.forecast = (input) => {
      seen.push((input.campaigns ?? []).map((w) => w.startMs));
      return deps.forecast(input);
    };
    await prewarmCampaign({ ...deps, forecast }, config, { campaignId: 'bf', action: 'prewarm' });
    expect(seen.length).toBeGreaterThan(0);
    for (const starts of seen) expect(starts).toContain(START);
    expect(seen.some((starts) => starts.includes(yesterday.startMs))).toBe(true);
  });
});
