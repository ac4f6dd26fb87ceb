import fc from 'fast-check';
import type { CpuArchitecture, InstanceTypeFacts } from '../../../shared/core/pricing/types';
import { ResourceNotFoundError } from '../../../shared/ports/errors';
import type { RunRecord } from '../../../shared/ports/state-store';
import { selectInstanceTypes } from '../../../shared/usecases/select-instance-types';
import { factsFor } from '../../fakes/pricing/catalog-builders';
import { FakeInstanceCatalog } from '../../fakes/pricing/fake-instance-catalog';
import { FakePriceCatalog } from '../../fakes/pricing/fake-price-catalog';
import {
  apiGroup,
  byName,
  selectionConfig as config,
  SELECTION_NOW_MS as NOW_MS,
  SELECTION_REGION as REGION,
  recommendationOf,
  webGroup,
  selectionWorld as world,
} from '../../helpers/select-instance-types-world';

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
      current: { instanceTypes: ['c6gn.large'] },
    });
    expect(rec.selection.items).toEqual([
      {
        instanceType: 'c7g.large',
        instanceCount: 5,
        capacityUnitsPerInstance: 2,
        hourlyPriceUsd: 0.0816,
        onDemandHourlyPriceUsd: 0.0816,
      },
    ]);
    expect(rec.saving?.monthlySavingUsd).toBeCloseTo((0.0972 - 0.0816) * 5 * 730, 1);

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

  it('asks for the Spot prices of the configured operating system', async () => {
    const w = world([webGroup()]);
    const asked: string[] = [];
    w.deps = {
      ...w.deps,
      spotPrices: {
        currentSpotPrices: async (zones, types, operatingSystem) => {
          asked.push(operatingSystem);
          return zones.flatMap((availabilityZone) =>
            types.map((instanceType) => ({ instanceType, availabilityZone, hourlyPriceUsd: 0.05 })),
          );
        },
      },
    };
    const result = await selectInstanceTypes(w.deps, {
      config: config({ pricing: { includeSpot: true, operatingSystem: 'Windows' } }),
      region: REGION,
    });
    const rec = recommendationOf(byName(result.groups, 'web'));
    expect(asked).toEqual(['Windows']);
    expect(rec.selection.spotHourlyCostUsd).toBeCloseTo(5 * 0.05, 10);
    expect(w.priceCache.items.get(`${REGION}#Windows`)).toBeDefined();
    expect(w.priceCache.items.get(`${REGION}#Linux`)).toBeUndefined();
  });

  it('says so when Spot is asked for but no Spot price source is wired', async () => {
    const w = world([webGroup()]);
    w.deps = { ...w.deps, spotPrices: undefined };
    const result = await selectInstanceTypes(w.deps, {
      config: config({ pricing: { includeSpot: true } }),
      region: REGION,
    });
    const rec = recommendationOf(byName(result.groups, 'web'));
    expect(rec.selection.spotHourlyCostUsd).toBeUndefined();
    expect(rec.diagnostics).toContain('Spot prices skipped: no Spot price source is wired');
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
