import type { GroupSnapshot } from '../../../shared/ports/scaling-target';
import { selectInstanceTypes } from '../../../shared/usecases/select-instance-types';
import { factsFor } from '../../fakes/pricing/catalog-builders';
import { FakePriceCatalog } from '../../fakes/pricing/fake-price-catalog';
import {
  apiGroup,
  byName,
  selectionConfig as config,
  SELECTION_REGION as REGION,
  recommendationOf,
  SELECTION_PRICES,
  webGroup,
  selectionWorld as world,
} from '../../helpers/select-instance-types-world';

describe('selectInstanceTypes applying a selection', () => {
  it('rolls a single-type group onto a new launch template version through the workflow', async () => {
    const w = world([webGroup()]);
    const result = await selectInstanceTypes(w.deps, {
      config: config({ pricing: { apply: true }, rollingUpdate: { autoStartOnInstanceTypeChange: true } }),
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
      launchTemplateId: 'lt-web',
      launchTemplateVersion: '10',
      reason: 'instance-type-change',
    });
  });

  it('creates no version for a single-type group when the workflow may not start its rollout', async () => {
    const w = world([webGroup()]);
    const result = await selectInstanceTypes(w.deps, {
      config: config({ pricing: { apply: true } }),
      region: REGION,
    });
    expect(byName(result.groups, 'web')).toMatchObject({
      kind: 'recommended',
      reason: expect.stringContaining('rollingUpdate.autoStartOnInstanceTypeChange is false'),
    });
    expect(w.applier.calls).toEqual([]);
  });

  it('creates no version for a group on $Default, which the rollout would pin to the new version number', async () => {
    const w = world([webGroup({ launchTemplate: { id: 'lt-web', version: '$Default' } })]);
    const result = await selectInstanceTypes(w.deps, {
      config: config({ pricing: { apply: true }, rollingUpdate: { autoStartOnInstanceTypeChange: true } }),
      region: REGION,
    });
    expect(byName(result.groups, 'web')).toMatchObject({
      kind: 'recommended',
      reason: expect.stringMatching(/launches its template's \$Default version.*later \$Default releases/),
    });
    expect(w.applier.calls).toEqual([]);
  });

  it('creates no version for a group on $Latest, which would launch it at once, outside the workflow', async () => {
    const w = world([webGroup({ launchTemplate: { id: 'lt-web', version: '$Latest' } })]);
    const result = await selectInstanceTypes(w.deps, {
      config: config({ pricing: { apply: true }, rollingUpdate: { autoStartOnInstanceTypeChange: true } }),
      region: REGION,
    });
    expect(byName(result.groups, 'web')).toMatchObject({
      kind: 'recommended',
      reason: expect.stringContaining("launches its template's $Latest version"),
    });
    expect(w.applier.calls).toEqual([]);
  });

  describe('a single-type group, whose DesiredCapacity counts instances', () => {
    /** `web` on 5 m7g.xlarge (4 vCPUs each): a 2-vCPU type is cheaper per vCPU. */
    const onXlarge = () => {
      const w = world([webGroup({ instanceTypes: ['m7g.xlarge'] })]);
      const template = w.instanceCatalog.templates['lt-web'];
      if (!template) throw new Error('no lt-web');
      w.instanceCatalog.templates['lt-web'] = { ...template, instanceType: 'm7g.xlarge' };
      return w;
    };
    const apply = (w: ReturnType<typeof world>, pricing: Record<string, unknown> = {}) =>
      selectInstanceTypes(w.deps, {
        config: config({
          pricing: { apply: true, ...pricing },
          rollingUpdate: { autoStartOnInstanceTypeChange: true },
        }),
        region: REGION,
      });

    it('is not moved to a cheaper type of another size, which is recommended beside its own size', async () => {
      const w = onXlarge();
      const web = byName((await apply(w)).groups, 'web');
      expect(web).toMatchObject({
        kind: 'recommended',
        reason: expect.stringMatching(/has 2 vCPUs where the group's m7g\.xlarge has 4: .*counts instances/),
      });
      const rec = recommendationOf(web);
      expect(rec.selection.items.map((i) => i.instanceType)).toEqual(['m7g.xlarge']);
      expect(rec.otherSize?.selection.items[0]?.capacityUnitsPerInstance).toBe(2);
      expect(rec.otherSize?.saving?.monthlySavingUsd).toBeGreaterThan(0);
      expect(w.applier.calls).toEqual([]);
    });

    it('takes the cheapest type of its own size', async () => {
      const w = onXlarge();
      w.instanceCatalog.facts.push(factsFor('m6g.xlarge'));
      for (const zone of Object.values(w.instanceCatalog.offerings)) zone.push('m6g.xlarge');
      const prices = { ...SELECTION_PRICES, 'm6g.xlarge': 0.172 };
      w.deps = { ...w.deps, pricingApi: new FakePriceCatalog({ [REGION]: prices }) };
      expect(byName((await apply(w)).groups, 'web')).toMatchObject({
        kind: 'applied',
        change: { kind: 'launch-template-version', instanceType: 'm6g.xlarge' },
      });
    });

    it('is not moved when no type of its size is a candidate', async () => {
      const w = onXlarge();
      const web = byName((await apply(w, { excludedFamilies: ['m7g'] })).groups, 'web');
      expect(web).toMatchObject({ kind: 'recommended', reason: expect.stringMatching(/counts instances/) });
      expect(recommendationOf(web).selection.items[0]?.capacityUnitsPerInstance).toBe(2);
      expect(w.applier.calls).toEqual([]);
    });
  });

  it('replaces a weighted mixed group’s overrides, with weights in the group’s unit', async () => {
    const w = world([apiGroup()]);
    const result = await selectInstanceTypes(w.deps, {
      config: config({ pricing: { apply: true }, rollingUpdate: { autoStartOnInstanceTypeChange: true } }),
      region: REGION,
    });
    const api = byName(result.groups, 'api');
    expect(api.kind).toBe('applied');
    const [call] = w.applier.calls;
    expect(call?.method).toBe('setMixedInstanceOverrides');
    expect(call?.args[1]).toEqual({ id: 'lt-api', version: '$Latest' });
    const overrides = call?.args[2] as { instanceType: string; weightedCapacity: number }[];
    for (const o of overrides) expect(o.weightedCapacity).toBe(factsFor(o.instanceType).vcpuCount);
    // Cheapest per vCPU first: m6a.large $0.048, then m6i.large and m6i.xlarge both $0.0535 (the
    // lower hourly price first). Auto Scaling's default `prioritized` strategy launches the first
    // for all capacity EC2 has of it; the selection's report lists them by name.
    expect(recommendationOf(api).selection.items.map((i) => i.instanceType)).toEqual([
      'm6a.large',
      'm6i.large',
      'm6i.xlarge',
    ]);
    expect(overrides.map((o) => o.instanceType)).toEqual(['m6a.large', 'm6i.large', 'm6i.xlarge']);
  });

  it('prices a mixed group’s saving as Auto Scaling launches: the requirement on its first type, today and after', async () => {
    const w = world([apiGroup()]);
    const result = await selectInstanceTypes(w.deps, {
      config: config({ pricing: { apply: true }, rollingUpdate: { autoStartOnInstanceTypeChange: true } }),
      region: REGION,
    });
    const rec = recommendationOf(byName(result.groups, 'api'));
    // 20 vCPUs: today 10 × m5.large ($0.107, its first override), after 10 × m6a.large ($0.096).
    expect(rec.requiredCapacityUnits).toBe(20);
    expect(rec.current.hourlyCostUsd).toBeCloseTo(1.07, 10);
    expect(rec.saving).toMatchObject({ currentMonthlyCostUsd: 781.1, recommendedMonthlyCostUsd: 700.8 });
  });

  it('puts the cheapest first in a group that already runs the selected types but launches a dearer one first', async () => {
    const selected = ['m6i.large', 'm6i.xlarge', 'm6a.large'];
    const withOverrides = (instanceTypes: string[], distribution?: Record<string, string>) => {
      const group = apiGroup();
      const mixed = group.mixedInstances as NonNullable<GroupSnapshot['mixedInstances']>;
      return world([
        {
          ...group,
          mixedInstances: {
            ...mixed,
            overrides: instanceTypes.map((instanceType) => ({
              instanceType,
              weightedCapacity: factsFor(instanceType).vcpuCount,
            })),
            ...(distribution ? { instancesDistribution: distribution } : {}),
          },
        },
      ]);
    };
    const run = async (w: ReturnType<typeof world>) =>
      byName(
        (
          await selectInstanceTypes(w.deps, {
            config: config({
              pricing: { apply: true },
              rollingUpdate: { autoStartOnInstanceTypeChange: true },
            }),
            region: REGION,
          })
        ).groups,
        'api',
      );
    // Prioritized (the default) launches m6i.large first: $0.0535 a vCPU where m6a.large costs $0.048.
    const dearerFirst = withOverrides(selected);
    const reordered = await run(dearerFirst);
    expect(reordered.kind).toBe('applied');
    expect(recommendationOf(reordered).saving?.monthlySavingUsd).toBeCloseTo((1.07 - 0.96) * 730, 1);
    expect(
      ((dearerFirst.applier.calls[0]?.args[2] ?? []) as { instanceType: string }[]).map(
        (o) => o.instanceType,
      ),
    ).toEqual(['m6a.large', 'm6i.large', 'm6i.xlarge']);
    // New fallbacks behind the same first type save nothing at the peak: recommended, not applied.
    const sameFirst = withOverrides(['m6a.large']);
    expect(await run(sameFirst)).toMatchObject({
      kind: 'recommended',
      reason: 'the current configuration costs no more at the forecast peak',
    });
    expect(sameFirst.applier.calls).toEqual([]);
    // Nor are the workflow's running executions listed for it: ListExecutions only for a change.
    expect(sameFirst.applier.runningReads).toBe(0);
    // Cheapest first already, or lowest-price (Auto Scaling picks m6a.large itself): nothing to change.
    for (const w of [
      withOverrides(['m6a.large', 'm6i.xlarge', 'm6i.large']),
      withOverrides(selected, { OnDemandAllocationStrategy: 'lowest-price' }),
    ]) {
      expect((await run(w)).kind).toBe('unchanged');
      expect(w.applier.calls).toEqual([]);
    }
  });

  it('lists first the type cheapest after the family discounts (a Savings Plan’s family runs)', async () => {
    const w = world([apiGroup()]);
    await selectInstanceTypes(w.deps, {
      config: config({ pricing: { apply: true, discountRatesByFamily: { m6i: 0.3 } } }),
      region: REGION,
    });
    const overrides = w.applier.calls[0]?.args[2] as { instanceType: string }[];
    // 30 % off m6i: $0.0375 a vCPU, where m6a.large costs $0.048 (by name it would come first).
    expect(overrides.map((o) => o.instanceType)).toEqual(['m6i.large', 'm6i.xlarge', 'm6a.large']);
  });

  it('prices a lowest-price group on the type Auto Scaling ranks first by its list price, at its discounted price', async () => {
    const w = world([
      apiGroup({
        mixedInstances: {
          launchTemplateId: 'lt-api',
          version: '1',
          overrides: [
            { instanceType: 'm6a.large', weightedCapacity: 2 },
            { instanceType: 'm5.large', weightedCapacity: 2 },
          ],
          usesAttributeBasedSelection: false,
          instancesDistribution: { OnDemandAllocationStrategy: 'lowest-price' },
        },
      }),
    ]);
    const result = await selectInstanceTypes(w.deps, {
      config: config({ pricing: { apply: true, diversifyAcross: 2, discountRatesByFamily: { m5: 0.3 } } }),
      region: REGION,
    });
    const api = byName(result.groups, 'api');
    const rec = recommendationOf(api);
    // lowest-price knows no Savings Plan: it launches m6a.large (list $0.096 < $0.107), 10 for 20 vCPUs.
    expect(rec.current.hourlyCostUsd).toBeCloseTo(10 * 0.096, 10);
    // An m5-only mix is launched as m5.large, at its discounted $0.0749.
    expect(rec.selection.items.every((i) => i.instanceType.startsWith('m5.'))).toBe(true);
    expect(rec.saving?.monthlySavingUsd).toBeCloseTo((0.96 - 10 * 0.0749) * 730, 1);
    expect(api.kind).toBe('applied');
  });

  it('leaves a lowest-price group that runs the selection, and says a discount does not steer lowest-price', async () => {
    const w = world([
      apiGroup({
        mixedInstances: {
          launchTemplateId: 'lt-api',
          version: '1',
          overrides: [
            { instanceType: 'm5.large', weightedCapacity: 2 },
            { instanceType: 'm6a.large', weightedCapacity: 2 },
          ],
          usesAttributeBasedSelection: false,
          instancesDistribution: { OnDemandAllocationStrategy: 'lowest-price' },
        },
      }),
    ]);
    // Weights for these two only: the selection is both, m5.large cheaper after the discount.
    const pricing = {
      apply: true,
      diversifyAcross: 2,
      discountRatesByFamily: { m5: 0.3 },
      capacityUnit: 'weights' as const,
      weights: { 'm5.large': 2, 'm6a.large': 2 },
    };
    const result = await selectInstanceTypes(w.deps, { config: config({ pricing }), region: REGION });
    const api = byName(result.groups, 'api');
    expect(api.kind).toBe('unchanged');
    expect(recommendationOf(api).diagnostics).toContainEqual(
      expect.stringMatching(/lowest-price launches m6a\.large first .* prioritized would launch the latter/),
    );
    expect(w.applier.calls).toEqual([]);
  });

  it('keeps a mixed group’s instances distribution and the launch templates of kept types', async () => {
    const api = apiGroup().mixedInstances as NonNullable<GroupSnapshot['mixedInstances']>;
    // m5.large launches first today; m6i.xlarge stays in the cheaper mix.
    const group = apiGroup({
      mixedInstances: {
        ...api,
        overrides: [
          { instanceType: 'm5.large', weightedCapacity: 2 },
          { instanceType: 'm6i.xlarge', weightedCapacity: 4 },
        ],
      },
    });
    const mixed = group.mixedInstances as NonNullable<GroupSnapshot['mixedInstances']>;
    const first = world([group]);
    await selectInstanceTypes(first.deps, {
      config: config({ pricing: { apply: true }, rollingUpdate: { autoStartOnInstanceTypeChange: true } }),
      region: REGION,
    });
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
    await selectInstanceTypes(w.deps, {
      config: config({ pricing: { apply: true }, rollingUpdate: { autoStartOnInstanceTypeChange: true } }),
      region: REGION,
    });
    const [call] = w.applier.calls;
    expect(call?.method).toBe('setMixedInstanceOverrides');
    const overrides = call?.args[2] as { instanceType: string; launchTemplate?: unknown }[];
    expect(overrides.map((o) => o.instanceType)).toEqual(chosen);
    for (const o of overrides) {
      expect(o.launchTemplate).toEqual(o.instanceType === kept ? { id: 'lt-own', version: '4' } : undefined);
    }
    expect(call?.args[3]).toEqual(distribution);
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
      config: config({ pricing: { apply: true }, rollingUpdate: { autoStartOnInstanceTypeChange: true } }),
      region: REGION,
    });
    const api = byName(result.groups, 'api');
    expect(api.kind === 'recommended' && api.reason).toMatch(/counts instances of different sizes/);
    expect(w.applier.calls).toEqual([]);
  });

  describe('a mixed group whose weights cannot take every candidate', () => {
    /** `api` on `overrides`, with m6a.xlarge priced `m6aXlargeUsd` (at 0.192, as cheap per vCPU as m6a.large). */
    const withM6aXlarge = (
      overrides: { instanceType: string; weightedCapacity?: number }[],
      m6aXlargeUsd = 0.192,
    ) => {
      const w = world([
        apiGroup({
          mixedInstances: {
            launchTemplateId: 'lt-api',
            version: '1',
            overrides,
            usesAttributeBasedSelection: false,
          },
        }),
      ]);
      w.instanceCatalog.facts.push(factsFor('m6a.xlarge'));
      for (const zone of Object.values(w.instanceCatalog.offerings)) zone.push('m6a.xlarge');
      const prices = { ...SELECTION_PRICES, 'm6a.xlarge': m6aXlargeUsd };
      w.deps = { ...w.deps, pricingApi: new FakePriceCatalog({ [REGION]: prices }) };
      return w;
    };
    const apply = (w: ReturnType<typeof world>) =>
      selectInstanceTypes(w.deps, { config: config({ pricing: { apply: true } }), region: REGION });
    const unweighted = [{ instanceType: 'm5.large' }, { instanceType: 'm6i.large' }];

    it('applies same-size types to an unweighted group without adding weights', async () => {
      const w = withM6aXlarge(unweighted);
      const api = byName((await apply(w)).groups, 'api');
      expect(api.kind).toBe('applied');
      expect(recommendationOf(api).otherSize).toBeUndefined();
      // m6a.large is cheapest; every type is the group's size, so none gets a weight.
      const overrides = w.applier.calls[0]?.args[2] as { instanceType: string }[];
      expect(overrides[0]).toEqual({ instanceType: 'm6a.large' });
      for (const o of overrides) {
        expect(o.instanceType).toMatch(/\.large$/);
        expect(Object.keys(o)).toEqual(['instanceType']);
      }
    });

    it('applies only types whose weight is a whole number to a weighted group', async () => {
      // Weight 1 per 4 vCPUs: a .large would weigh 0.5, which Auto Scaling refuses.
      const w = withM6aXlarge([
        { instanceType: 'm5.xlarge', weightedCapacity: 1 },
        { instanceType: 'm6i.xlarge', weightedCapacity: 1 },
      ]);
      expect(byName((await apply(w)).groups, 'api').kind).toBe('applied');
      const overrides = w.applier.calls[0]?.args[2] as { instanceType: string; weightedCapacity: number }[];
      expect(overrides[0]).toEqual({ instanceType: 'm6a.xlarge', weightedCapacity: 1 });
      for (const o of overrides) expect(o.instanceType).toMatch(/\.xlarge$/);
    });

    it('reports a cheaper mix the weights cannot take beside the one it applies', async () => {
      const w = withM6aXlarge(unweighted, 0.18);
      const api = byName((await apply(w)).groups, 'api');
      expect(api.kind).toBe('applied');
      const rec = recommendationOf(api);
      expect(rec.selection.items.every((i) => i.capacityUnitsPerInstance === 2)).toBe(true);
      expect(rec.otherSize?.selection.items.map((i) => i.instanceType)).toContain('m6a.xlarge');
      expect(rec.otherSize?.reason).toMatch(/m6a\.xlarge is a different size from today’s types/);
      expect(rec.otherSize?.saving?.monthlySavingUsd).toBeGreaterThan(rec.saving?.monthlySavingUsd ?? 0);
    });
  });
});
