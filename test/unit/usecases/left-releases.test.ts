import { DynamoDbStateStore } from '../../../shared/aws/dynamo-db-state-store';
import type { LeftRelease } from '../../../shared/ports/state-store';
import {
  claimLeftReleases,
  leftReleasesFor,
  settleLeftReleases,
} from '../../../shared/usecases/left-releases';
import { groupSnapshot } from '../../fakes/fake-scaling-target';
import { MemoryStateStore } from '../../fakes/memory-state-store';
import { type LocalDynamoDb, startDynalite } from '../../helpers/start-dynalite';

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
    await stateStore.leaveRelease('api', release('expired', NOW), NOW - 2 * HOUR);
    await stateStore.leaveRelease('api', release('bf', NOW + HOUR), NOW - 2 * HOUR);
    const left = await leftReleasesFor({ stateStore }, settings, group, RUN);
    expect(left.releases.map((s) => s.change.campaignId)).toEqual(['bf']);
    expect(left.releasedMinSize).toBe(2);
  });
});

describe('leftReleasesFor, while a campaign keeps the floor', () => {
  it('performs none: the rest of an old raise waits until the newer campaign has been released', async () => {
    const stateStore = new MemoryStateStore();
    await stateStore.leaveRelease('api', release('bf', NOW + HOUR), NOW - 2 * HOUR);
    const left = await leftReleasesFor({ stateStore }, settings, group, { ...RUN, floorCampaigns: ['cm'] });
    expect(left).toEqual({ releases: [] });
  });
});

describe('settleLeftReleases', () => {
  it('takes a release the run performed whole, leaves one it performed in part owing the rest, after the change', async () => {
    const stateStore = new MemoryStateStore();
    await stateStore.leaveRelease('api', release('bf', NOW + HOUR), NOW - 2 * HOUR);
    // Each run reads the release anew: the settle is conditional on the release as read.
    const settle = async (minSize: number) =>
      settleLeftReleases(
        stateStore,
        'api',
        (await leftReleasesFor({ stateStore }, settings, group, RUN)).releases,
        minSize,
      );
    await settle(8);
    expect((await stateStore.leftReleases('api'))[0]?.after.minSize).toBe(8);
    await settle(6);
    expect((await stateStore.leftReleases('api'))[0]?.after.minSize).toBe(6);
    await settle(2);
    expect(await stateStore.leftReleases('api')).toEqual([]);
  });
});

describe('settleLeftReleases, two overlapping runs of the group on DynamoDB (dynalite)', () => {
  let dynamo: LocalDynamoDb;
  beforeAll(async () => {
    dynamo = await startDynalite();
  });
  afterAll(async () => {
    await dynamo.stop();
  });

  let n = 0;
  /** A group with the release left (8 → 2), read by two runs (a redelivered tick, a retry) before either settles. */
  async function twoRuns() {
    const stateStore = new DynamoDbStateStore(dynamo.client, dynamo.tableName);
    const api = { ...group, name: `api-${n++}` };
    await stateStore.leaveRelease(api.name, release('bf', NOW + HOUR), NOW - 2 * HOUR);
    const read = () => leftReleasesFor({ stateStore }, settings, api, RUN);
    const [a, b] = [await read(), await read()];
    return { stateStore, api, a: a.releases, b: b.releases };
  }

  it('keeps a release one run took whole off the store when the other settles it part way later', async () => {
    const { stateStore, api, a, b } = await twoRuns();
    await settleLeftReleases(stateStore, api.name, a, 2);
    await expect(settleLeftReleases(stateStore, api.name, b, 5)).resolves.toBeUndefined();
    expect(await stateStore.leftReleases(api.name)).toEqual([]);
  });

  it('keeps the rest one run left owing when the other, which read the release before, settles it whole', async () => {
    const { stateStore, api, a, b } = await twoRuns();
    await settleLeftReleases(stateStore, api.name, a, 5);
    await settleLeftReleases(stateStore, api.name, b, 2);
    expect(await stateStore.leftReleases(api.name)).toEqual([
      expect.objectContaining({ after: { minSize: 5, desiredCapacity: 8 }, settledAtMinSize: 5 }),
    ]);
  });

  it('lowers MinSize for the release in the run that claimed it first only', async () => {
    const { stateStore, api, a, b } = await twoRuns();
    const first = await claimLeftReleases(stateStore, api, a, { minSize: 2, desiredCapacity: 2 });
    expect(first.change).toEqual({ minSize: 2, desiredCapacity: 2 });
    const second = await claimLeftReleases(stateStore, api, b, {
      minSize: 3,
      desiredCapacity: 3,
      maxSize: 21,
    });
    expect(second).toEqual({ steps: [], change: { maxSize: 21 } });
    await settleLeftReleases(stateStore, api.name, first.steps, 2);
    await settleLeftReleases(stateStore, api.name, second.steps, 8);
    expect(await stateStore.leftReleases(api.name)).toEqual([]);
  });

  it('lowers MinSize only through the steps it claimed when an overlapping run took a later one', async () => {
    const stateStore = new DynamoDbStateStore(dynamo.client, dynamo.tableName);
    const api = { ...group, name: `api-${n++}`, minSize: 12, desiredCapacity: 12 };
    const launch = {
      ...release('launch', NOW + HOUR),
      before: { minSize: 8, desiredCapacity: 8 },
      after: { minSize: 12, desiredCapacity: 12 },
    };
    await stateStore.leaveRelease(api.name, release('sale', NOW + HOUR), NOW - 2 * HOUR);
    await stateStore.leaveRelease(api.name, launch, NOW - 2 * HOUR);
    const { releases } = await leftReleasesFor({ stateStore }, settings, api, RUN);
    expect(releases.map((s) => [s.change.campaignId, s.fromMinSize, s.toMinSize])).toEqual([
      ['launch', 12, 8],
      ['sale', 8, 2],
    ]);
    // The other run (which read the sale alone, on the group at 8) marks it under way first.
    const sale = releases[1]?.read as LeftRelease;
    const otherRun = { fromMinSize: 8, toMinSize: 2, minSize: 2, startMinSize: 8 };
    await stateStore.settleLeftRelease(api.name, sale, { ...sale, underWay: otherRun, version: 1 });
    const claimed = await claimLeftReleases(stateStore, api, releases, { minSize: 2, desiredCapacity: 2 });
    expect(claimed.change).toEqual({ minSize: 8, desiredCapacity: 8 });
    expect(claimed.steps.map((s) => s.change.campaignId)).toEqual(['launch']);
    await settleLeftReleases(stateStore, api.name, claimed.steps, 8);
    expect(await stateStore.leftReleases(api.name)).toEqual([
      expect.objectContaining({ campaignId: 'sale', underWay: otherRun }),
    ]);
    // The other run died before its change: the next run on the group at 8 performs the sale, once.
    const at8 = { ...api, minSize: 8, desiredCapacity: 8 };
    const next = await leftReleasesFor({ stateStore }, settings, at8, RUN);
    expect(next.releases.map((s) => [s.change.campaignId, s.fromMinSize, s.toMinSize])).toEqual([
      ['sale', 8, 2],
    ]);
  });
});
