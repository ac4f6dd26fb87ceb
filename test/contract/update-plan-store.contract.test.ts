import { PutItemCommand } from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { DynamoDbDiscoveredDependencyStore } from '../../shared/aws/dynamo-db-discovered-dependency-store';
import { DynamoDbPlanLocks } from '../../shared/aws/dynamo-db-plan-locks';
import { DynamoDbStateStore } from '../../shared/aws/dynamo-db-state-store';
import { DynamoDbUpdatePlanStore } from '../../shared/aws/dynamo-db-update-plan-store';
import { parseConfig } from '../../shared/contracts/parse-config';
import { UPDATE_PLAN_KEYS } from '../../shared/contracts/update-plan';
import { userConfigSchema } from '../../shared/contracts/user-config';
import type { UpdatePlanStore } from '../../shared/ports/update-plan-store';
import { checkUpdateConflicts } from '../../shared/usecases/check-update-conflicts';
import { lockUpdatePlan } from '../../shared/usecases/lock-update-plan';
import { MemoryUpdatePlanStore } from '../fakes/memory-update-plan-store';
import { type LocalDynamoDb, startDynalite } from '../helpers/start-dynalite';

const T0 = Date.UTC(2026, 5, 1);
const HOUR_MS = 3_600_000;

let dynamo: LocalDynamoDb;
beforeAll(async () => {
  dynamo = await startDynalite();
});
afterAll(async () => {
  await dynamo.stop();
});

let n = 0;
const unique = (name: string) => `${name}-${n++}-${Math.round(Math.random() * 1e6)}`;

describe.each([
  ['MemoryUpdatePlanStore', () => new MemoryUpdatePlanStore() as UpdatePlanStore],
  [
    'DynamoDbUpdatePlanStore on dynalite',
    () => new DynamoDbUpdatePlanStore(dynamo.client, dynamo.tableName) as UpdatePlanStore,
  ],
])('UpdatePlanStore contract: %s', (_name, make) => {
  let store: UpdatePlanStore;
  beforeEach(() => {
    store = make();
  });
  /** What the workflow's "Record plan" state writes. */
  const recordPlan = async (name: string) => {
    if (store instanceof MemoryUpdatePlanStore) store.plans.set(name, undefined);
    else
      await dynamo.client.send(
        new PutItemCommand({
          TableName: dynamo.tableName,
          Item: marshall({ pk: UPDATE_PLAN_KEYS.planPk(name), sk: UPDATE_PLAN_KEYS.recordSk, plan: '{}' }),
        }),
      );
  };
  const lock = (groupName: string, holder: string, acquiredAtMs = T0) => ({
    groupName,
    holder,
    acquiredAtMs,
    expiresAtMs: acquiredAtMs + HOUR_MS,
  });

  it('gives a group to one plan at a time, and again to the same plan on a retry', async () => {
    const group = unique('web');
    expect(await store.acquirePlanLock(lock(group, 'plan-a'))).toBe(true);
    expect(await store.acquirePlanLock(lock(group, 'plan-b'))).toBe(false);
    expect(await store.acquirePlanLock(lock(group, 'plan-a'))).toBe(true);
    expect((await store.getPlanLock(group, T0))?.holder).toBe('plan-a');
  });

  it('lets another plan take an expired lock, and reports no lock once expired', async () => {
    const group = unique('web');
    await store.acquirePlanLock(lock(group, 'plan-a'));
    expect(await store.getPlanLock(group, T0 + HOUR_MS)).toBeUndefined();
    expect(await store.acquirePlanLock(lock(group, 'plan-b', T0 + HOUR_MS))).toBe(true);
  });

  it('releases only its own lock', async () => {
    const group = unique('web');
    await store.acquirePlanLock(lock(group, 'plan-a'));
    await store.releasePlanLock(group, 'plan-b');
    expect((await store.getPlanLock(group, T0))?.holder).toBe('plan-a');
    await store.releasePlanLock(group, 'plan-a');
    expect(await store.getPlanLock(group, T0)).toBeUndefined();
  });

  it('records a cancel only for a recorded plan', async () => {
    const plan = unique('plan');
    expect(await store.requestCancel(plan, { reason: 'freeze', requestedAtMs: T0 })).toBe('not-found');
    expect(await store.cancelRequest(plan)).toBeUndefined();
    await recordPlan(plan);
    expect(await store.cancelRequest(plan)).toBeUndefined();
    expect(await store.requestCancel(plan, { reason: 'freeze', requestedAtMs: T0 })).toBe('requested');
    expect(await store.cancelRequest(plan)).toEqual({ reason: 'freeze', requestedAtMs: T0 });
  });
});

describe('plan locks on dynalite', () => {
  const config = (groups: string[]) =>
    parseConfig(
      userConfigSchema,
      {
        mode: 'forecast-and-scale',
        groups: { names: groups },
        dependencies: {
          edges: [
            { from: groups[0], to: groups[1] },
            { from: groups[1], to: groups[2] },
          ],
        },
      },
      'test config',
    );
  const deps = () => ({
    locks: new DynamoDbStateStore(dynamo.client, dynamo.tableName),
    planLocks: new DynamoDbUpdatePlanStore(dynamo.client, dynamo.tableName),
    clock: { nowMs: () => T0 },
    discoveredDependencies: new DynamoDbDiscoveredDependencyStore(dynamo.client, dynamo.tableName),
  });
  const plan = (planName: string, groups: string[]) => ({
    planName,
    groups: groups.map((groupName) => ({ groupName, targetVersion: '7', previousVersion: '6' })),
    lockExpiresAtMs: T0 + 6 * HOUR_MS,
  });

  it('takes every member or none: a member held by another plan releases the ones already taken', async () => {
    const [web, api, db] = [unique('a-web'), unique('b-api'), unique('c-db')] as [string, string, string];
    const d = deps();
    await d.planLocks.acquirePlanLock({
      groupName: db,
      holder: 'plan-earlier',
      acquiredAtMs: T0,
      expiresAtMs: T0 + HOUR_MS,
    });
    const result = await lockUpdatePlan(d, config([web, api, db]), plan('plan-new', [web, api, db]));
    expect(result).toEqual({
      kind: 'conflict',
      reason: `${db} belongs to update plan plan-earlier; nothing was changed`,
    });
    expect(await d.planLocks.getPlanLock(web, T0)).toBeUndefined();
    expect(await d.planLocks.getPlanLock(api, T0)).toBeUndefined();
    expect((await d.planLocks.getPlanLock(db, T0))?.holder).toBe('plan-earlier');
  });

  it('backs off when a dependent group is already being updated alone', async () => {
    const [web, api, db] = [unique('web'), unique('api'), unique('db')] as [string, string, string];
    const d = deps();
    await d.locks.acquireLock({
      groupName: db,
      holder: `${db}-v3`,
      acquiredAtMs: T0,
      expiresAtMs: T0 + HOUR_MS,
    });
    const result = await lockUpdatePlan(d, config([web, api, db]), plan('plan-new', [web, api]));
    expect(result).toEqual({
      kind: 'conflict',
      reason: `dependent group ${db} is being updated by ${db}-v3; nothing was changed`,
    });
    expect(await d.planLocks.getPlanLock(web, T0)).toBeUndefined();
  });

  it('never lets a plan and a single-group update of dependent groups both proceed when they race', async () => {
    for (let round = 0; round < 5; round++) {
      const [web, api, db] = [unique('web'), unique('api'), unique('db')] as [string, string, string];
      const d = deps();
      const single = `${db}-v9`;
      // The single-group update of db: its group lock, then the check (as "Check dependent groups").
      const singleRun = (async () => {
        await d.locks.acquireLock({
          groupName: db,
          holder: single,
          acquiredAtMs: T0,
          expiresAtMs: T0 + HOUR_MS,
        });
        return checkUpdateConflicts(d, config([web, api, db]), {
          plan: { groupName: db, executionName: single } as never,
        });
      })();
      const [planResult, singleResult] = await Promise.all([
        lockUpdatePlan(d, config([web, api, db]), plan(`plan-${round}`, [web, api])),
        singleRun,
      ]);
      expect(planResult.kind === 'locked' && singleResult.kind === 'clear').toBe(false);
    }
  });
});

describe('DynamoDbPlanLocks on dynalite', () => {
  it('reads the plan lock DynamoDbUpdatePlanStore takes, until it expires or is released', async () => {
    const store = new DynamoDbUpdatePlanStore(dynamo.client, dynamo.tableName);
    const reader = new DynamoDbPlanLocks(dynamo.client, dynamo.tableName);
    const group = unique('web');
    const lock = { groupName: group, holder: 'plan-a', acquiredAtMs: T0, expiresAtMs: T0 + HOUR_MS };
    expect(await reader.getPlanLock(group, T0)).toBeUndefined();
    expect(await store.acquirePlanLock(lock)).toBe(true);
    expect(await reader.getPlanLock(group, T0 + 1)).toEqual(lock);
    expect(await reader.getPlanLock(group, T0 + HOUR_MS)).toBeUndefined();
    await store.releasePlanLock(group, 'plan-a');
    expect(await reader.getPlanLock(group, T0 + 1)).toBeUndefined();
  });
});
