import fc from 'fast-check';
import { type UserConfigInput, userConfigSchema } from '../../../shared/contracts/user-config';
import type { CpuArchitecture, InstanceTypeFacts } from '../../../shared/core/pricing/types';
import { ResourceNotFoundError, TransientDependencyError } from '../../../shared/ports/errors';
import { PricesUnavailableError } from '../../../shared/ports/price-catalog';
import type { GroupSnapshot } from '../../../shared/ports/scaling-target';
import type { RunRecord } from '../../../shared/ports/state-store';
import { HighsMixSolver } from '../../../shared/solvers/highs-mix-solver';
import {
  type GroupSelectionResult,
  type SelectInstanceTypesDeps,
  selectInstanceTypes,
} from '../../../shared/usecases/select-instance-types';
import { FakeScalingTarget, groupSnapshot } from '../../fakes/fake-scaling-target';
import { MemoryStateStore } from '../../fakes/memory-state-store';
import { factsFor } from '../../fakes/pricing/catalog-builders';
import { FakeInstanceCatalog } from '../../fakes/pricing/fake-instance-catalog';
import { FakePriceCatalog } from '../../fakes/pricing/fake-price-catalog';
import { InMemoryPriceCache } from '../../fakes/pricing/in-memory-price-cache';
import { RecordingApplier } from '../../fakes/pricing/recording-applier';

const NOW_MS = Date.UTC(2026, 10, 22, 6);
const HOUR_MS = 3_600_000;
const REGION = 'eu-west-1';
const ZONES = ['eu-west-1a', 'eu-west-1b'];

const TYPES = [
  'm5.large',
  'm5.xlarge',
  'm6i.large',
  'm6i.xlarge',
  'c6i.large',
  'm6g.large',
  'm7g.large',
  'm7g.xlarge',
  'c7g.large',
  'c7g.xlarge',
  'r6g.large',
  't4g.large',
];
const PRICES: Record<string, number> = {
  'm5.large': 0.107,
  'm5.xlarge': 0.214,
  'm6i.large': 0.107,
  'm6i.xlarge': 0.214,
  'c6i.large': 0.096,
  'm6g.large': 0.086,
  'm7g.large': 0.0912,
  'm7g.xlarge': 0.1824,
  'c7g.large': 0.0816,
  'c7g.xlarge': 0.1632,
  'r6g.large': 0.1128,
  't4g.large': 0.0736,
};
const solver = new HighsMixSolver();

function config(input: Partial<UserConfigInput> = {}) {
  return userConfigSchema.parse({ groups: { names: ['web', 'api'] }, ...input });
}

function world(groups: GroupSnapshot[] = [webGroup(), apiGroup()]) {
  const instanceCatalog = new FakeInstanceCatalog(
    TYPES.map((t) => factsFor(t)),
    { 'eu-west-1a': TYPES, 'eu-west-1b': TYPES.filter((t) => t !== 'c7g.xlarge') },
    {
      'lt-web': {
        launchTemplateId: 'lt-web',
        versionNumber: 7,
        instanceType: 'm6g.large',
        imageArchitecture: 'arm64',
      },
      'lt-api': { launchTemplateId: 'lt-api', versionNumber: 3, imageArchitecture: 'x86_64' },
    },
  );
  const pricingApi = new FakePriceCatalog({ [REGION]: PRICES });
  const staticPrices = new FakePriceCatalog(
    { [REGION]: { ...PRICES, 'c7g.large': 0.08 } },
    Date.UTC(2025, 0, 15),
  );
  const priceCache = new InMemoryPriceCache();
  const applier = new RecordingApplier();
  const stateStore = new MemoryStateStore();
  const target = new FakeScalingTarget(groups);
  const deps: SelectInstanceTypesDeps = {
    groups: target,
    instanceCatalog,
    pricingApi,
    priceCache,
    staticPrices,
    solver,
    applier,
    clock: { nowMs: () => NOW_MS },
    stateStore,
  };
  return { deps, instanceCatalog, pricingApi, staticPrices, priceCache, applier, stateStore, target };
}

function webGroup(overrides: Partial<GroupSnapshot> = {}): GroupSnapshot {
  return groupSnapshot({
    name: 'web',
    desiredCapacity: 5,
    availabilityZones: ZONES,
    launchTemplate: { id: 'lt-web', version: '$Default' },
    instanceTypes: ['m6g.large'],
    ...overrides,
  });
}

function apiGroup(overrides: Partial<GroupSnapshot> = {}): GroupSnapshot {
  return groupSnapshot({
    name: 'api',
    desiredCapacity: 20,
    availabilityZones: ZONES,
    mixedInstances: {
      launchTemplateId: 'lt-api',
      version: '$Latest',
      overrides: [
        { instanceType: 'm5.large', weightedCapacity: 2 },
        { instanceType: 'm5.xlarge', weightedCapacity: 4 },
      ],
      usesAttributeBasedSelection: false,
    },
    instanceTypes: ['m5.large'],
    ...overrides,
  });
}

function byName(results: readonly GroupSelectionResult[], name: string): GroupSelectionResult {
  const found = results.find((r) => r.groupName === name);
  if (!found) throw new Error(`no result for ${name}`);
  return found;
}

function recommendationOf(result: GroupSelectionResult) {
  if (!('recommendation' in result)) throw new Error(`no recommendation: ${JSON.stringify(result)}`);
  return result.recommendation;
}

describe('selectInstanceTypes', () => {
  it('recommends without applying by default, and caches the prices it fetched', async () => {
    const w = world();
    const result = await selectInstanceTypes(w.deps, { config: config(), region: REGION });
    expect(result.prices).toMatchObject({
      kind: 'priced',
      source: 'pricing-api',
      stale: false,
      fetchedAtMs: NOW_MS,
    });
    expect(w.priceCache.items.get(`${REGION}#Linux`)?.list.fetchedAtMs).toBe(NOW_MS);

    const web = byName(result.groups, 'web');
    expect(web).toMatchObject({ kind: 'recommended', reason: 'recommend-only (pricing.apply is false)' });
    const rec = recommendationOf(web);
    expect(rec).toMatchObject({
      groupKind: 'single-type',
      architecture: 'arm64',
      requiredCapacityUnits: 10,
      capacitySource: 'desired-capacity',
      method: 'lowest-unit-cost',
      current: { instanceTypes: ['m6g.large'] },
    });
    expect(rec.selection.items).toEqual([
      { instanceType: 'c7g.large', instanceCount: 5, capacityUnitsPerInstance: 2, hourlyPriceUsd: 0.0816 },
    ]);
    expect(rec.saving?.monthlySavingUsd).toBeCloseTo((0.086 - 0.0816) * 5 * 730, 1);

    const api = recommendationOf(byName(result.groups, 'api'));
    expect(api).toMatchObject({
      groupKind: 'mixed-instances',
      method: 'integer-program',
      architecture: 'x86_64',
    });
    expect(api.requiredCapacityUnits).toBe(20);
    expect(api.selection.items.length).toBeGreaterThanOrEqual(3);
    expect(api.selection.totalCapacityUnits).toBeGreaterThanOrEqual(20);
    expect(api.saving?.monthlySavingUsd).toBeGreaterThan(0);
    expect(w.applier.calls).toEqual([]);
  });

  it('uses the cache without calling the Pricing API while it is fresh', async () => {
    const w = world();
    await w.priceCache.put(
      {
        region: REGION,
        operatingSystem: 'Linux',
        hourlyPriceUsdByType: PRICES,
        skippedEntries: 0,
        fetchedAtMs: NOW_MS - HOUR_MS,
      },
      NOW_MS + HOUR_MS,
    );
    const result = await selectInstanceTypes(w.deps, { config: config(), region: REGION });
    expect(result.prices).toMatchObject({ source: 'cache', stale: false });
    expect(w.pricingApi.calls).toBe(0);
  });

  it('falls back to stale cached prices when the Pricing API fails, and says so', async () => {
    const w = world();
    w.pricingApi.failWith = new TransientDependencyError('Pricing', 'GetProducts');
    await w.priceCache.put(
      {
        region: REGION,
        operatingSystem: 'Linux',
        hourlyPriceUsdByType: PRICES,
        skippedEntries: 0,
        fetchedAtMs: NOW_MS - 48 * HOUR_MS,
      },
      NOW_MS + HOUR_MS,
    );
    const result = await selectInstanceTypes(w.deps, { config: config(), region: REGION });
    expect(result.prices).toMatchObject({ kind: 'priced', source: 'cache', stale: true });
    expect(result.prices.problems.join()).toMatch(/Pricing API failed: TransientDependencyError/);
    expect(byName(result.groups, 'web').kind).toBe('recommended');
  });

  it('falls back to the static file when the Pricing API fails and nothing is cached', async () => {
    const w = world();
    w.pricingApi.failWith = new TransientDependencyError('Pricing', 'GetProducts');
    w.priceCache.failGet = new TransientDependencyError('DynamoDB', 'GetItem');
    const result = await selectInstanceTypes(w.deps, { config: config(), region: REGION });
    expect(result.prices).toMatchObject({
      kind: 'priced',
      source: 'static-file',
      stale: true,
      fetchedAtMs: Date.UTC(2025, 0, 15),
    });
    expect(recommendationOf(byName(result.groups, 'web')).selection.items[0]?.hourlyPriceUsd).toBe(0.08);
  });

  it('fails every group with PricesUnavailableError when no source has prices', async () => {
    const w = world();
    w.pricingApi.failWith = new Error('down');
    const result = await selectInstanceTypes(w.deps, { config: config(), region: 'ap-east-9' });
    expect(result.prices.kind).toBe('unavailable');
    expect(result.groups.map((g) => g.kind)).toEqual(['failed', 'failed']);
    const first = result.groups[0];
    expect(first?.kind === 'failed' && first.error).toBeInstanceOf(PricesUnavailableError);
  });

  it('rolls a single-type group onto a new launch template version through the workflow', async () => {
    const w = world([webGroup()]);
    const result = await selectInstanceTypes(w.deps, {
      config: config({ pricing: { apply: true } }),
      region: REGION,
    });
    expect(byName(result.groups, 'web')).toMatchObject({
      kind: 'applied',
      change: {
        kind: 'launch-template-version',
        launchTemplateId: 'lt-web',
        sourceVersion: 7,
        instanceType: 'c7g.large',
        newVersion: 10,
      },
    });
    expect(w.applier.calls.map((c) => c.method)).toEqual([
      'createLaunchTemplateVersion',
      'startRollingUpdate',
    ]);
    expect(w.applier.calls[1]?.args[0]).toEqual({
      groupName: 'web',
      launchTemplateVersion: '10',
      reason: 'instance-type-change',
    });
  });

  it('replaces a weighted mixed group’s overrides, with weights in the group’s unit', async () => {
    const w = world([apiGroup()]);
    const result = await selectInstanceTypes(w.deps, {
      config: config({ pricing: { apply: true } }),
      region: REGION,
    });
    const api = byName(result.groups, 'api');
    expect(api.kind).toBe('applied');
    const [call] = w.applier.calls;
    expect(call?.method).toBe('setMixedInstanceOverrides');
    expect(call?.args[1]).toEqual({ id: 'lt-api', version: '$Latest' });
    const overrides = call?.args[2] as { instanceType: string; weightedCapacity: number }[];
    for (const o of overrides) expect(o.weightedCapacity).toBe(factsFor(o.instanceType).vcpuCount);
    expect(overrides.map((o) => o.instanceType)).toEqual(
      recommendationOf(api).selection.items.map((i) => i.instanceType),
    );
  });

  it('keeps a mixed group’s instances distribution and the launch templates of kept types', async () => {
    const group = apiGroup();
    const mixed = group.mixedInstances as NonNullable<GroupSnapshot['mixedInstances']>;
    const first = world([group]);
    await selectInstanceTypes(first.deps, { config: config({ pricing: { apply: true } }), region: REGION });
    const chosen = ((first.applier.calls[0]?.args[2] ?? []) as { instanceType: string }[]).map(
      (o) => o.instanceType,
    );
    const kept = mixed.overrides.map((o) => o.instanceType).find((t) => chosen.includes(t as string));
    expect(kept).toBeDefined();
    const distribution = { OnDemandBaseCapacity: 2, SpotAllocationStrategy: 'price-capacity-optimized' };
    const w = world([
      {
        ...group,
        mixedInstances: {
          ...mixed,
          overrides: mixed.overrides.map((o) =>
            o.instanceType === kept ? { ...o, launchTemplate: { id: 'lt-own', version: '4' } } : o,
          ),
          instancesDistribution: distribution,
        },
      },
    ]);
    await selectInstanceTypes(w.deps, { config: config({ pricing: { apply: true } }), region: REGION });
    const [call] = w.applier.calls;
    expect(call?.method).toBe('setMixedInstanceOverrides');
    const overrides = call?.args[2] as { instanceType: string; launchTemplate?: unknown }[];
    expect(overrides.map((o) => o.instanceType)).toEqual(chosen);
    for (const o of overrides) {
      expect(o.launchTemplate).toEqual(o.instanceType === kept ? { id: 'lt-own', version: '4' } : undefined);
    }
    expect(call?.args[3]).toEqual(distribution);
  });

  it('reports what it would do in a dry run and changes nothing', async () => {
    const w = world();
    const result = await selectInstanceTypes(w.deps, {
      config: config({ dryRun: true, pricing: { apply: true } }),
      region: REGION,
    });
    expect(result.groups.map((g) => g.kind)).toEqual(['dry-run', 'dry-run']);
    expect(w.applier.calls).toEqual([]);
  });

  it('never touches a group whose instance refresh is in progress', async () => {
    const w = world([webGroup({ instanceRefreshInProgress: true })]);
    const result = await selectInstanceTypes(w.deps, {
      config: config({ pricing: { apply: true } }),
      region: REGION,
    });
    expect(byName(result.groups, 'web')).toMatchObject({
      kind: 'recommended',
      reason: 'an instance refresh is in progress',
    });
    expect(w.applier.calls).toEqual([]);
  });

  it('checks offerings again right before applying and stops when a type was withdrawn', async () => {
    const w = world([webGroup()]);
    const read = w.instanceCatalog.typesOfferedInEveryZone.bind(w.instanceCatalog);
    w.instanceCatalog.typesOfferedInEveryZone = async (zones) => {
      const offered = await read(zones);
      if (w.instanceCatalog.offeringReads > 1) return new Set([...offered].filter((t) => t !== 'c7g.large'));
      return offered;
    };
    const result = await selectInstanceTypes(w.deps, {
      config: config({ pricing: { apply: true } }),
      region: REGION,
    });
    const web = byName(result.groups, 'web');
    expect(web.kind).toBe('recommended');
    expect(web.kind === 'recommended' && web.reason).toMatch(
      /pre-apply check failed: c7g.large is not offered/,
    );
    expect(w.applier.calls).toEqual([]);
  });

  it('checks a refresh started between selection and apply', async () => {
    const w = world([webGroup()]);
    const describe = w.target.describeGroups.bind(w.target);
    let reads = 0;
    w.deps = {
      ...w.deps,
      groups: {
        describeGroups: async (selector) => {
          const groups = await describe(selector);
          return reads++ === 0 ? groups : groups.map((g) => ({ ...g, instanceRefreshInProgress: true }));
        },
      },
    };
    const result = await selectInstanceTypes(w.deps, {
      config: config({ pricing: { apply: true } }),
      region: REGION,
    });
    const web = byName(result.groups, 'web');
    expect(web.kind === 'recommended' && web.reason).toBe(
      'pre-apply check failed: an instance refresh is in progress',
    );
  });

  it('recommends only when no rolling-update workflow exists for a single-type group', async () => {
    const w = world([webGroup()]);
    w.deps = { ...w.deps, applier: new RecordingApplier(false) };
    const result = await selectInstanceTypes(w.deps, {
      config: config({ pricing: { apply: true } }),
      region: REGION,
    });
    expect(byName(result.groups, 'web')).toMatchObject({
      kind: 'recommended',
      reason: 'no rolling-update workflow is deployed to roll out a new instance type',
    });
  });

  it('does not apply to an unweighted mixed group whose types differ in size', async () => {
    const w = world([
      apiGroup({
        mixedInstances: {
          launchTemplateId: 'lt-api',
          version: '1',
          overrides: [{ instanceType: 'm5.large' }, { instanceType: 'm5.xlarge' }],
          usesAttributeBasedSelection: false,
        },
      }),
    ]);
    const result = await selectInstanceTypes(w.deps, {
      config: config({ pricing: { apply: true } }),
      region: REGION,
    });
    const api = byName(result.groups, 'api');
    expect(api.kind === 'recommended' && api.reason).toMatch(/counts instances of different sizes/);
    expect(w.applier.calls).toEqual([]);
  });

  it('applies same-size types to an unweighted mixed group without adding weights', async () => {
    const w = world([
      apiGroup({
        mixedInstances: {
          launchTemplateId: 'lt-api',
          version: '1',
          overrides: [{ instanceType: 'm5.large' }, { instanceType: 'm6i.large' }],
          usesAttributeBasedSelection: false,
        },
      }),
    ]);
    const result = await selectInstanceTypes(w.deps, {
      config: config({ pricing: { apply: true, diversifyAcross: 2 } }),
      region: REGION,
    });
    expect(byName(result.groups, 'api').kind).toBe('applied');
    // c6i.large is cheapest; m5.large and m6i.large tie for second. Every type is 2 vCPU: no weights.
    const overrides = w.applier.calls[0]?.args[2] as { instanceType: string }[];
    expect(overrides).toHaveLength(2);
    expect(overrides[0]).toEqual({ instanceType: 'c6i.large' });
    expect(['m5.large', 'm6i.large']).toContain(overrides[1]?.instanceType);
    expect(Object.keys(overrides[1] ?? {})).toEqual(['instanceType']);
  });

  it('respects a lock held by the rolling update and the paused tag', async () => {
    const w = world([webGroup(), apiGroup({ tags: { 'prescale:paused': 'true' } })]);
    await w.stateStore.acquireLock({
      groupName: 'web',
      holder: 'rolling-update',
      acquiredAtMs: NOW_MS,
      expiresAtMs: NOW_MS + HOUR_MS,
    });
    const result = await selectInstanceTypes(w.deps, {
      config: config({ pricing: { apply: true } }),
      region: REGION,
    });
    expect(byName(result.groups, 'web')).toMatchObject({
      kind: 'recommended',
      reason: 'the group is locked by rolling-update',
    });
    expect(byName(result.groups, 'api')).toMatchObject({
      kind: 'recommended',
      reason: 'the group is paused',
    });
    expect(w.applier.calls).toEqual([]);
  });

  it('sizes for the forecast peak of the latest run record', async () => {
    const w = world([webGroup()]);
    const record: RunRecord = {
      groupName: 'web',
      tickMs: NOW_MS - 300_000,
      mode: 'forecast-and-scale',
      forecastStartMs: NOW_MS - 300_000,
      stepSeconds: 300,
      plannedLoad: [1, 2, 3],
      medianLoad: [1, 2, 3],
      planningQuantile: 0.9,
      plannedCapacity: [4, 9, 6],
      models: ['seasonal-naive'],
      outcome: { kind: 'unchanged', reason: 'test' },
    };
    await w.stateStore.putRunRecord(record);
    const result = await selectInstanceTypes(w.deps, { config: config(), region: REGION });
    expect(recommendationOf(byName(result.groups, 'web'))).toMatchObject({
      capacitySource: 'forecast',
      requiredCapacityUnits: 18,
    });
  });

  it('keeps going when one group fails, and skips groups that are not enrolled', async () => {
    const w = world([webGroup({ launchTemplate: { id: 'lt-gone', version: '1' } }), apiGroup()]);
    const result = await selectInstanceTypes(w.deps, {
      config: config(),
      region: REGION,
      groupNames: ['web', 'api', 'other'],
    });
    const web = byName(result.groups, 'web');
    expect(web.kind === 'failed' && web.error).toBeInstanceOf(ResourceNotFoundError);
    expect(byName(result.groups, 'api').kind).toBe('recommended');
    expect(byName(result.groups, 'other')).toMatchObject({ kind: 'skipped' });
  });

  it('skips attribute-based groups and says why a group has no candidates', async () => {
    const w = world([
      apiGroup({
        mixedInstances: {
          launchTemplateId: 'lt-api',
          version: '1',
          overrides: [],
          usesAttributeBasedSelection: true,
        },
      }),
      webGroup(),
    ]);
    const result = await selectInstanceTypes(w.deps, {
      config: config({ pricing: { allowedFamilies: ['x9*'] } }),
      region: REGION,
    });
    expect(byName(result.groups, 'api')).toMatchObject({ kind: 'skipped' });
    expect(byName(result.groups, 'web')).toMatchObject({
      kind: 'infeasible',
      rejected: expect.objectContaining({ 'family-not-allowed': expect.any(Number) }),
    });
  });

  it('adds Spot costs when asked, using the dearest zone', async () => {
    const w = world([webGroup()]);
    w.deps = {
      ...w.deps,
      spotPrices: {
        currentSpotPrices: async (zones, types) =>
          zones.flatMap((zone, i) =>
            types.map((instanceType) => ({
              instanceType,
              availabilityZone: zone,
              hourlyPriceUsd: 0.03 + i * 0.01,
            })),
          ),
      },
    };
    const result = await selectInstanceTypes(w.deps, {
      config: config({ pricing: { includeSpot: true } }),
      region: REGION,
    });
    expect(recommendationOf(byName(result.groups, 'web')).selection.spotHourlyCostUsd).toBeCloseTo(
      5 * 0.04,
      10,
    );
  });

  it('falls back to the greedy mix when the solver is unavailable', async () => {
    const w = world([apiGroup()]);
    w.deps = {
      ...w.deps,
      solver: {
        solve: async () => {
          throw new Error('no wasm');
        },
      },
    };
    const result = await selectInstanceTypes(w.deps, { config: config(), region: REGION });
    const rec = recommendationOf(byName(result.groups, 'api'));
    expect(rec.method).toBe('greedy-fallback');
    expect(rec.diagnostics.join()).toMatch(/solver unavailable/);
  });

  it('only ever recommends types of the AMI architecture offered in every zone of the group', async () => {
    const names = [
      'a1.large',
      'a1.xlarge',
      'b2.large',
      'b2.2xlarge',
      'c3.large',
      'c3.xlarge',
      'd4.large',
      'e5.xlarge',
    ];
    const typeArb = fc.record({
      arm: fc.boolean(),
      price: fc.integer({ min: 10, max: 500 }).map((m) => m / 1000),
      zones: fc.subarray(['z-a', 'z-b', 'z-c'], { minLength: 1 }),
    });
    await fc.assert(
      fc.asyncProperty(
        fc.array(typeArb, { minLength: names.length, maxLength: names.length }),
        fc.constantFrom<CpuArchitecture>('arm64', 'x86_64'),
        fc.subarray(['z-a', 'z-b', 'z-c'], { minLength: 1 }),
        fc.integer({ min: 1, max: 30 }),
        fc.boolean(),
        async (specs, arch, groupZones, desired, mixedGroup) => {
          const facts: InstanceTypeFacts[] = names.map((n, i) =>
            factsFor(n, { architectures: [specs[i]?.arm ? 'arm64' : 'x86_64'] }),
          );
          const offerings: Record<string, string[]> = {};
          names.forEach((n, i) => {
            for (const z of specs[i]?.zones ?? []) offerings[z] = [...(offerings[z] ?? []), n];
          });
          const prices = Object.fromEntries(names.map((n, i) => [n, specs[i]?.price ?? 0.1]));
          const group = mixedGroup
            ? apiGroup({
                desiredCapacity: desired,
                availabilityZones: groupZones,
                mixedInstances: {
                  launchTemplateId: 'lt',
                  version: '1',
                  overrides: [{ instanceType: 'a1.large' }],
                  usesAttributeBasedSelection: false,
                },
              })
            : webGroup({
                desiredCapacity: desired,
                availabilityZones: groupZones,
                launchTemplate: { id: 'lt', version: '1' },
              });
          const w = world([group]);
          const catalog = new FakeInstanceCatalog(facts, offerings, {
            lt: {
              launchTemplateId: 'lt',
              versionNumber: 1,
              instanceType: 'a1.large',
              imageArchitecture: arch,
            },
          });
          const result = await selectInstanceTypes(
            { ...w.deps, instanceCatalog: catalog, pricingApi: new FakePriceCatalog({ [REGION]: prices }) },
            {
              config: config({ groups: { names: [group.name] }, pricing: { minMemoryGiB: 0 } }),
              region: REGION,
            },
          );
          const [only] = result.groups;
          if (!only || !('recommendation' in only)) return;
          const everywhere = await catalog.typesOfferedInEveryZone(groupZones);
          for (const item of only.recommendation.selection.items) {
            expect(everywhere.has(item.instanceType)).toBe(true);
            expect(facts.find((f) => f.instanceType === item.instanceType)?.architectures).toContain(arch);
          }
          expect(only.recommendation.selection.totalCapacityUnits).toBeGreaterThanOrEqual(
            only.recommendation.requiredCapacityUnits,
          );
        },
      ),
      { numRuns: 40 },
    );
  });
});
