import { DynamoDbStateStore } from '../../shared/aws/dynamo-db-state-store';
import type { RunRecord, StateStore } from '../../shared/ports/state-store';
import { MemoryStateStore } from '../fakes/memory-state-store';
import { type LocalDynamoDb, startDynalite } from '../helpers/start-dynalite';

const T0 = Date.UTC(2026, 5, 1);

const record = (groupName: string, tickMs: number): RunRecord => ({
  groupName,
  tickMs,
  mode: 'forecast-and-scale',
  forecastStartMs: tickMs,
  stepSeconds: 300,
  plannedLoad: [120.5, 130],
  medianLoad: [100, 110],
  planningQuantile: 0.9,
  plannedCapacity: [3, 3],
  models: ['holt-winters'],
  outcome: {
    kind: 'applied',
    before: { minSize: 2, maxSize: 10, desiredCapacity: 2 },
    after: { minSize: 3, maxSize: 10, desiredCapacity: 3 },
    reason: 'test',
  },
});

let dynamo: LocalDynamoDb;
beforeAll(async () => {
  dynamo = await startDynalite();
});
afterAll(async () => {
  await dynamo.stop();
});

describe.each([
  ['MemoryStateStore', () => new MemoryStateStore() as StateStore],
  [
    'DynamoDbStateStore on dynalite',
    () => new DynamoDbStateStore(dynamo.client, dynamo.tableName) as StateStore,
  ],
])('StateStore contract: %s', (_name, make) => {
  let store: StateStore;
  let group: string;
  let n = 0;
  beforeEach(() => {
    store = make();
    group = `g${n++}-${Math.round(Math.random() * 1e6)}`;
  });

  const lease = (nowMs: number) => ({ nowMs, leaseUntilMs: nowMs + 300_000, expiresAtMs: nowMs + 1e9 });

  it('claims a tick once: a duplicate delivery is refused', async () => {
    expect(await store.claimRun(group, T0, lease(T0))).toBe(true);
    expect(await store.claimRun(group, T0, lease(T0 + 1000))).toBe(false);
    await store.completeRun(group, T0);
    expect(await store.claimRun(group, T0 + 300_000, lease(T0 + 1000))).toBe(true);
  });

  it('runs a group one tick at a time: the next tick waits out a live run, an older tick never runs after a newer', async () => {
    expect(await store.claimRun(group, T0, lease(T0))).toBe(true);
    // A late delivery of the next tick while the run of this one still holds its lease.
    expect(await store.claimRun(group, T0 + 300_000, lease(T0 + 1000))).toBe(false);
    expect(await store.claimRun(group, T0 + 300_000, lease(T0 + 301_000))).toBe(true);
    await store.completeRun(group, T0 + 300_000);
    // The older tick's run, redelivered or late from the queue, comes after the newer one's.
    expect(await store.claimRun(group, T0, lease(T0 + 400_000))).toBe(false);
    expect(await store.claimRun(group, T0 + 600_000, lease(T0 + 400_000))).toBe(true);
  });

  it('never lets an older run complete or give back the claim of a newer tick', async () => {
    expect(await store.claimRun(group, T0, lease(T0))).toBe(true);
    expect(await store.claimRun(group, T0 + 300_000, lease(T0 + 301_000))).toBe(true);
    // The abandoned run of T0 ends after all: it must not free the group under the live run.
    await store.releaseRun(group, T0);
    await store.completeRun(group, T0);
    expect(await store.claimRun(group, T0 + 600_000, lease(T0 + 302_000))).toBe(false);
    expect(await store.claimRun(group, T0 + 300_000, lease(T0 + 302_000))).toBe(false);
  });

  it('reads a claim while its lease is live, none once it is done, given back or run out', async () => {
    expect(await store.getRunClaim(group, T0)).toBeUndefined();
    expect(await store.claimRun(group, T0, lease(T0))).toBe(true);
    expect(await store.getRunClaim(group, T0 + 1000)).toEqual({ tickMs: T0, leaseUntilMs: T0 + 300_000 });
    expect(await store.getRunClaim(group, T0 + 300_001)).toBeUndefined();
    await store.completeRun(group, T0);
    expect(await store.getRunClaim(group, T0 + 1000)).toBeUndefined();
    expect(await store.claimRun(group, T0 + 300_000, lease(T0 + 300_000))).toBe(true);
    await store.releaseRun(group, T0 + 300_000);
    expect(await store.getRunClaim(group, T0 + 300_000)).toBeUndefined();
  });

  it('lets a released tick be claimed again after a failed run', async () => {
    expect(await store.claimRun(group, T0, lease(T0))).toBe(true);
    await store.releaseRun(group, T0);
    expect(await store.claimRun(group, T0, lease(T0))).toBe(true);
  });

  it('lets an abandoned claim be taken over once its lease ran out, never a completed one', async () => {
    expect(await store.claimRun(group, T0, lease(T0))).toBe(true);
    expect(await store.claimRun(group, T0, lease(T0 + 299_000))).toBe(false);
    expect(await store.claimRun(group, T0, lease(T0 + 301_000))).toBe(true);
    await store.completeRun(group, T0);
    expect(await store.claimRun(group, T0, lease(T0 + 10_000_000))).toBe(false);
  });

  it('returns run records since a time, oldest first, as written', async () => {
    for (const t of [T0 + 600_000, T0, T0 + 300_000]) await store.putRunRecord(record(group, t), T0 + 1e9);
    const records = await store.recentRunRecords(group, T0 + 1);
    expect(records.map((r) => r.tickMs)).toEqual([T0 + 300_000, T0 + 600_000]);
    expect(records[0]).toEqual(record(group, T0 + 300_000));
  });

  it('returns the newest run record since a time, none when there is none', async () => {
    for (const tick of [T0, T0 + 600_000, T0 + 300_000])
      await store.putRunRecord(record(group, tick), T0 + 1e9);
    expect(await store.latestRunRecord(group, T0)).toEqual(record(group, T0 + 600_000));
    expect(await store.latestRunRecord(group, T0 + 600_001)).toBeUndefined();
    expect(await store.latestRunRecord(`${group}-other`, T0)).toBeUndefined();
  });

  it('keeps group state between runs', async () => {
    expect(await store.getGroupState(group)).toBeUndefined();
    await store.putGroupState(group, { planningQuantile: 0.92, originalMaxSize: 10, updatedAtMs: T0 });
    expect(await store.getGroupState(group)).toEqual({
      planningQuantile: 0.92,
      originalMaxSize: 10,
      updatedAtMs: T0,
    });
  });

  it('records a run: the next state and the run record, each readable as written', async () => {
    await store.putGroupState(group, { planningQuantile: 0.9, updatedAtMs: T0 - 300_000 });
    const next = { planningQuantile: 0.93, userMinSize: 2, updatedAtMs: T0 };
    await store.recordRun(group, next, record(group, T0), T0 + 1e9);
    expect(await store.getGroupState(group)).toEqual(next);
    expect(await store.recentRunRecords(group, T0)).toEqual([record(group, T0)]);
    await store.recordRun(group, { ...next, planningQuantile: 0.95 }, record(group, T0 + 300_000), T0 + 1e9);
    expect((await store.getGroupState(group))?.planningQuantile).toBe(0.95);
    expect((await store.recentRunRecords(group, T0)).map((r) => r.tickMs)).toEqual([T0, T0 + 300_000]);
  });

  it('keeps a release left to the loop until one run settles it, once', async () => {
    const release = (campaignId: string) => ({
      campaignId,
      before: { minSize: 2, desiredCapacity: 2 },
      after: { minSize: 8, desiredCapacity: 8 },
      leftAtMs: T0,
      expiresAtMs: T0 + 1e9,
    });
    expect(await store.leftReleases(group)).toEqual([]);
    await store.leaveRelease(group, release('sale'), T0 - 1);
    await store.leaveRelease(group, release('sale'), T0 - 1);
    await store.leaveRelease(group, release('launch'), T0 - 1);
    await store.putGroupState(group, { planningQuantile: 0.9, updatedAtMs: T0 });
    expect(await store.leftReleases(group)).toEqual([release('launch'), release('sale')]);
    expect(await store.leftReleases(`${group}-other`)).toEqual([]);
    expect(await store.settleLeftRelease(group, release('sale'), undefined)).toBe(true);
    expect(await store.settleLeftRelease(group, release('sale'), undefined)).toBe(false);
    expect(await store.leftReleases(group)).toEqual([release('launch')]);
  });

  it('keeps a performed left release as performed, which a retry of the release finds and does not leave again', async () => {
    const left = {
      campaignId: 'sale',
      before: { minSize: 2, desiredCapacity: 2 },
      after: { minSize: 8, desiredCapacity: 8 },
      leftAtMs: T0,
      expiresAtMs: T0 + 1e9,
    };
    const raisedAtMs = T0 - 3_600_000;
    await store.leaveRelease(group, left, raisedAtMs);
    expect(await store.settleLeftRelease(group, left, undefined)).toBe(true);
    expect(await store.leftReleases(group)).toEqual([]);
    expect(await store.leftRelease(group, 'sale')).toEqual({ ...left, performed: true });
    // The release's retry (its mark was lost) leaves nothing over it, for the loop to perform again.
    await store.leaveRelease(group, { ...left, leftAtMs: T0 + 60_000 }, raisedAtMs);
    expect(await store.leftReleases(group)).toEqual([]);
    expect(await store.settleLeftRelease(group, left, { ...left, version: 1 })).toBe(false);
    // A later raise of the campaign (after a postponement) is released anew.
    const later = { ...left, leftAtMs: T0 + 7_200_000 };
    await store.leaveRelease(group, later, T0 + 3_600_000);
    expect(await store.leftReleases(group)).toEqual([later]);
    expect(await store.leftRelease(group, 'other')).toBeUndefined();
  });

  it('rewrites a left release only as it was read: a run that read an older version loses', async () => {
    const read = {
      campaignId: 'sale',
      before: { minSize: 2, desiredCapacity: 2 },
      after: { minSize: 8, desiredCapacity: 8 },
      leftAtMs: T0,
      expiresAtMs: T0 + 1e9,
    };
    await store.leaveRelease(group, read, T0 - 1);
    const owing = { ...read, after: { minSize: 5, desiredCapacity: 8 }, settledAtMinSize: 5, version: 1 };
    expect(await store.settleLeftRelease(group, read, owing)).toBe(true);
    expect(await store.settleLeftRelease(group, read, { ...owing, settledAtMinSize: 6 })).toBe(false);
    expect(await store.settleLeftRelease(group, read, undefined)).toBe(false);
    expect(await store.leftReleases(group)).toEqual([owing]);
    expect(await store.settleLeftRelease(group, owing, { ...owing, version: 2 })).toBe(true);
    expect(await store.settleLeftRelease(group, owing, undefined)).toBe(false);
    expect(await store.settleLeftRelease(group, { ...owing, version: 2 }, undefined)).toBe(true);
    expect(await store.settleLeftRelease(group, { ...owing, version: 2 }, owing)).toBe(false);
    expect(await store.leftReleases(group)).toEqual([]);
  });

  it('gives the lock to one holder until it is released or expires', async () => {
    const lock = { groupName: group, holder: 'exec-1', acquiredAtMs: T0, expiresAtMs: T0 + 60_000 };
    expect(await store.acquireLock(lock)).toBe(true);
    expect(await store.acquireLock({ ...lock, holder: 'exec-2' })).toBe(false);
    expect(await store.acquireLock(lock)).toBe(true);
    expect(await store.getLock(group, T0 + 1)).toEqual(lock);
    await store.releaseLock(group, 'exec-2');
    expect(await store.getLock(group, T0 + 1)).toEqual(lock);
    await store.releaseLock(group, 'exec-1');
    expect(await store.getLock(group, T0 + 1)).toBeUndefined();
    expect(await store.acquireLock(lock)).toBe(true);
    expect(await store.getLock(group, T0 + 60_001)).toBeUndefined();
    expect(
      await store.acquireLock({
        ...lock,
        holder: 'exec-3',
        acquiredAtMs: T0 + 60_001,
        expiresAtMs: T0 + 120_000,
      }),
    ).toBe(true);
  });

  it('frees the lock at the instant getLock stops reporting it', async () => {
    const lock = { groupName: `${group}-edge`, holder: 'exec-1', acquiredAtMs: T0, expiresAtMs: T0 + 60_000 };
    expect(await store.acquireLock(lock)).toBe(true);
    expect(await store.getLock(lock.groupName, T0 + 60_000)).toBeUndefined();
    const next = { ...lock, holder: 'exec-2', acquiredAtMs: T0 + 60_000, expiresAtMs: T0 + 120_000 };
    expect(await store.acquireLock(next)).toBe(true);
    expect(await store.getLock(lock.groupName, T0 + 60_000)).toEqual(next);
  });
});

describe('DynamoDbStateStore on dynalite, numbers DynamoDB cannot store', () => {
  it('writes a state with a magnitude below 1E-130 (a long-decayed smoothed load) as 0', async () => {
    const store = new DynamoDbStateStore(dynamo.client, dynamo.tableName);
    const state = { planningQuantile: 0.9, learnedLeadTimeSeconds: 1e-140, updatedAtMs: T0 };
    await store.putGroupState('underflow', state);
    expect(await store.getGroupState('underflow')).toEqual({ ...state, learnedLeadTimeSeconds: 0 });
  });
});

describe('DynamoDbStateStore on dynalite, a claim the SDK sends again', () => {
  it('is still the run’s own when its first answer was lost after the write', async () => {
    // The first PutItem commits, its answer is lost (a socket reset), and the SDK's retry strategy
    // sends the same request again: it must find its own claim, not another run's.
    let lost = 0;
    const name = 'loseFirstClaimAnswer';
    dynamo.client.middlewareStack.add(
      (next, context) => async (args) => {
        const out = await next(args);
        if (context.commandName === 'PutItemCommand' && lost === 0) {
          lost += 1;
          throw Object.assign(new Error('socket hang up'), { name: 'TimeoutError', $metadata: {} });
        }
        return out;
      },
      { step: 'finalizeRequest', priority: 'low', name },
    );
    try {
      const store = new DynamoDbStateStore(dynamo.client, dynamo.tableName);
      const lease = { nowMs: T0, leaseUntilMs: T0 + 270_000, expiresAtMs: T0 + 1e9 };
      expect(await store.claimRun('resent', T0, lease)).toBe(true);
      expect(lost).toBe(1);
      // Another delivery of the same tick, a moment later, still finds the claim taken.
      expect(await store.claimRun('resent', T0, { ...lease, nowMs: T0 + 5000 })).toBe(false);
    } finally {
      dynamo.client.middlewareStack.remove(name);
    }
  });
});
