import { parseConfig } from '../../../shared/contracts/parse-config';
import type { PlannedUpdate } from '../../../shared/contracts/update-plan';
import { userConfigSchema } from '../../../shared/contracts/user-config';
import { HighsMixSolver } from '../../../shared/solvers/highs-mix-solver';
import { checkUpdateConflicts } from '../../../shared/usecases/check-update-conflicts';
import { computeUpdatePlan } from '../../../shared/usecases/compute-update-plan';
import { lockUpdatePlan } from '../../../shared/usecases/lock-update-plan';
import { validateRollingUpdate } from '../../../shared/usecases/validate-rolling-update';
import { FakeScalingTarget, groupSnapshot } from '../../fakes/fake-scaling-target';
import { MemoryDiscoveredDependencyStore } from '../../fakes/memory-discovered-dependency-store';
import { MemoryStateStore } from '../../fakes/memory-state-store';
import { MemoryUpdatePlanStore } from '../../fakes/memory-update-plan-store';
import { upperBoundForecast } from '../../helpers/demand-forecast';
import { ONE_PRICE } from '../../helpers/one-price';

/*
 * The update paths with `dependencies.xray.enabled` and no declared edge: web → api is known only
 * from the discovery the scaling loop stored. Plans keep the two apart, and each conflict check
 * treats them as dependent, as they do for a declared edge.
 */
const T0 = Date.parse('2026-03-02T01:00:00Z');
const HOUR_MS = 3_600_000;
const config = (xray: boolean) =>
  parseConfig(
    userConfigSchema,
    {
      mode: 'forecast-and-scale',
      groups: { names: ['web', 'api'] },
      dependencies: xray
        ? { xray: { enabled: true, serviceToGroup: { 'web-frontend': 'web', 'orders-api': 'api' } } }
        : {},
    },
    'test config',
  );
/** The discovery the loop stored an hour ago (`stored: false`: none yet). */
const discovery = ({ stored = true, ageMs = HOUR_MS } = {}) =>
  new MemoryDiscoveredDependencyStore(
    stored
      ? { discoveredAtMs: T0 - ageMs, edges: [{ from: 'web', to: 'api', requestCount: 1200 }] }
      : undefined,
  );
const groups = (refreshing: string[] = []) =>
  new FakeScalingTarget(
    ['web', 'api'].map((name) =>
      groupSnapshot({
        name,
        desiredCapacity: 4,
        inServiceCapacity: 4,
        maxSize: 8,
        launchTemplate: { id: 'lt-1', version: '6' },
        instanceRefreshInProgress: refreshing.includes(name),
      }),
    ),
  );
const clock = { nowMs: () => T0 };

describe('computeUpdatePlan with X-Ray-discovered dependencies', () => {
  const compute = (discoveredDependencies: MemoryDiscoveredDependencyStore, xray = true) =>
    computeUpdatePlan(
      {
        scalingTarget: groups(),
        metricHistory: { loadHistory: async () => new Map() },
        forecast: upperBoundForecast(() => 120, clock.nowMs),
        prices: ONE_PRICE,
        solver: new HighsMixSolver(),
        launchTemplates: { launchTemplate: async () => ({ launchTemplateId: 'lt-1', versionNumber: 6 }) },
        clock,
        deployment: 'Prescale',
        discoveredDependencies,
      },
      config(xray),
      {
        request: {
          groups: [
            { groupName: 'web', launchTemplateVersion: '7' },
            { groupName: 'api', launchTemplateVersion: '7' },
          ],
          deadline: new Date(T0 + 4 * HOUR_MS).toISOString(),
        },
        executionName: 'plan-1',
      },
      { region: 'eu-west-1' },
    ) as Promise<PlannedUpdate>;
  const slotOf = (plan: PlannedUpdate, group: string) =>
    plan.slots.find((s) => s.groups.some((g) => g.groupName === group))?.slotIndex;

  it('puts web and api in different slots when the stored discovery shows web calling api', async () => {
    const plan = await compute(discovery());
    expect(plan.outcome).toBe('planned');
    expect(slotOf(plan, 'web')).not.toBe(slotOf(plan, 'api'));
    expect(plan.order).toEqual(['web', 'api']);
  });

  it('updates them together on the declared edges alone when the discovery is stale, absent or X-Ray is off, saying why', async () => {
    const stale = await compute(discovery({ ageMs: 25 * HOUR_MS }));
    expect(slotOf(stale, 'web')).toBe(slotOf(stale, 'api'));
    expect(stale.warnings).toContainEqual(
      expect.stringMatching(/^the X-Ray discovery stored at .* is 25 h old/),
    );
    const absent = await compute(discovery({ stored: false }));
    expect(slotOf(absent, 'web')).toBe(slotOf(absent, 'api'));
    expect(absent.warnings).toContainEqual(expect.stringMatching(/^no X-Ray discovery stored yet/));
    const off = discovery();
    const plan = await compute(off, false);
    expect(slotOf(plan, 'web')).toBe(slotOf(plan, 'api'));
    expect(off.reads).toBe(0);
  });
});

describe('the conflict checks with X-Ray-discovered dependencies', () => {
  const locks = async () => {
    const store = new MemoryStateStore();
    await store.acquireLock({
      groupName: 'web',
      holder: 'web-v7',
      acquiredAtMs: T0,
      expiresAtMs: T0 + HOUR_MS,
    });
    return store;
  };
  const planLocks = new MemoryUpdatePlanStore();
  const state = { plan: { groupName: 'api', executionName: 'api-v7' } } as never;

  it('checkUpdateConflicts finds web, which X-Ray shows calling api, being updated', async () => {
    const deps = { locks: await locks(), planLocks, clock, discoveredDependencies: discovery() };
    expect(await checkUpdateConflicts(deps, config(true), state)).toEqual({
      kind: 'conflict',
      reason:
        'dependent group web (a dependency seen in X-Ray) is being updated by web-v7; dependent groups are never updated at the same time, nothing was changed',
    });
    const stale = { ...deps, discoveredDependencies: discovery({ ageMs: 25 * HOUR_MS }) };
    expect(await checkUpdateConflicts(stale, config(true), state)).toEqual({ kind: 'clear' });
  });

  it('lockUpdatePlan refuses a plan of api while web is being updated, and takes no lock', async () => {
    const plans = new MemoryUpdatePlanStore();
    const deps = { locks: await locks(), planLocks: plans, clock, discoveredDependencies: discovery() };
    const plan = {
      planName: 'plan-api',
      groups: [{ groupName: 'api', targetVersion: '7', previousVersion: '6' }],
      lockExpiresAtMs: T0 + 6 * HOUR_MS,
    };
    expect(await lockUpdatePlan(deps, config(true), plan)).toEqual({
      kind: 'conflict',
      reason:
        'dependent group web (a dependency seen in X-Ray) is being updated by web-v7; nothing was changed',
    });
    expect([...plans.locks.values()]).toEqual([]);
  });

  it('validateRollingUpdate refuses api while web refreshes, and names the discovery in its notes when it cannot use it', async () => {
    const validate = async (discoveredDependencies: MemoryDiscoveredDependencyStore) =>
      validateRollingUpdate(
        {
          scalingTarget: groups(['web']),
          launchTemplates: {
            launchTemplate: async (id: string, version: string) => ({
              launchTemplateId: id,
              versionNumber: Number(version),
              imageId: `ami-${version}`,
            }),
          },
          clock,
          locks: new MemoryStateStore(),
          planLocks,
          discoveredDependencies,
          alarmStates: { unknownAlarms: async () => [] },
          isGloballyPaused: async () => false,
          deployment: 'Prescale',
        },
        config(true),
        { request: { groupName: 'api', launchTemplateVersion: '7' }, executionName: 'api-v7' },
      );
    expect(await validate(discovery())).toEqual({
      outcome: 'rejected',
      reason:
        'dependent group web (a dependency seen in X-Ray) has an instance refresh in progress; dependent groups are never updated at the same time',
    });
    const absent = await validate(discovery({ stored: false }));
    expect(absent).toMatchObject({ outcome: 'valid' });
    expect(absent.outcome === 'valid' && absent.notes).toContainEqual(
      expect.stringMatching(/^no X-Ray discovery stored yet/),
    );
  });
});
