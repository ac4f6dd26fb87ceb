import type { LeftRelease } from '../../../shared/ports/state-store';
import { leftReleasesFor, settleLeftReleases } from '../../../shared/usecases/left-releases';
import { groupSnapshot } from '../../fakes/fake-scaling-target';
import { MemoryStateStore } from '../../fakes/memory-state-store';

const NOW = Date.UTC(2026, 11, 6, 12);
const HOUR = 3_600_000;
const RUN = { staleHistory: undefined, nowMs: NOW, floorCampaigns: [] };
const settings = { scaleInPerTick: 0, maxChangePerTick: 5, floorCapacity: 1 };
const group = groupSnapshot({
  name: 'api',
  minSize: 8,
  maxSize: 20,
  desiredCapacity: 8,
  hasScalingPolicies: false,
});
const release = (campaignId: string, expiresAtMs: number): LeftRelease => ({
  campaignId,
  before: { minSize: 2, desiredCapacity: 2 },
  after: { minSize: 8, desiredCapacity: 8 },
  leftAtMs: NOW - HOUR,
  expiresAtMs,
});

describe('leftReleasesFor', () => {
  it('leaves out a release past its expiry, which the store may still list (TTL deletes late)', async () => {
    const stateStore = new MemoryStateStore();
    await stateStore.leaveRelease('api', release('expired', NOW));
    await stateStore.leaveRelease('api', release('bf', NOW + HOUR));
    const left = await leftReleasesFor({ stateStore }, settings, group, RUN);
    expect(left.releases.map((s) => s.change.campaignId)).toEqual(['bf']);
    expect(left.releasedMinSize).toBe(2);
  });
});

describe('leftReleasesFor, while a campaign keeps the floor', () => {
  it('performs none: the rest of an old raise waits until the newer campaign has been released', async () => {
    const stateStore = new MemoryStateStore();
    await stateStore.leaveRelease('api', release('bf', NOW + HOUR));
    const left = await leftReleasesFor({ stateStore }, settings, group, { ...RUN, floorCampaigns: ['cm'] });
    expect(left).toEqual({ releases: [] });
  });
});

describe('settleLeftReleases', () => {
  it('takes a release the run performed whole, leaves one it performed in part owing the rest, after the change', async () => {
    const stateStore = new MemoryStateStore();
    await stateStore.leaveRelease('api', release('bf', NOW + HOUR));
    const { releases } = await leftReleasesFor({ stateStore }, settings, group, RUN);
    await settleLeftReleases(stateStore, 'api', releases, 8);
    expect((await stateStore.leftReleases('api'))[0]?.after.minSize).toBe(8);
    await settleLeftReleases(stateStore, 'api', releases, 6);
    expect((await stateStore.leftReleases('api'))[0]?.after.minSize).toBe(6);
    await settleLeftReleases(stateStore, 'api', releases, 2);
    expect(await stateStore.leftReleases('api')).toEqual([]);
  });
});
