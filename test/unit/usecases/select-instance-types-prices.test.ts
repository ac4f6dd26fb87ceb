import { TransientDependencyError } from '../../../shared/ports/errors';
import { PricesUnavailableError } from '../../../shared/ports/price-catalog';
import { selectInstanceTypes } from '../../../shared/usecases/select-instance-types';
import { FakePriceCatalog } from '../../fakes/pricing/fake-price-catalog';
import {
  applyingSelectionConfig,
  byName,
  selectionConfig as config,
  SELECTION_NOW_MS as NOW_MS,
  SELECTION_PRICES as PRICES,
  SELECTION_REGION as REGION,
  recommendationOf,
  selectionWorld as world,
} from '../../helpers/select-instance-types-world';

const HOUR_MS = 3_600_000;

describe('selectInstanceTypes price sources', () => {
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

  it.each([
    ['us-gov-west-1', 'the Pricing API (not offered in the partition of us-gov-west-1)'],
    ['cn-north-1', 'the Pricing API (412 entries, none priced in USD)'],
  ])(
    'skips every group, naming %s and why, when every source answers it has no prices for it',
    async (region, api) => {
      const w = world();
      w.pricingApi.failWith = new PricesUnavailableError(api, region, 'Linux');
      const result = await selectInstanceTypes(w.deps, { config: config(), region });
      const reason = `${region} cannot be priced: ${api} has no Linux prices for ${region}; fake has no Linux prices for ${region}`;
      expect(result.prices).toEqual({ kind: 'unpriceable', reason, problems: expect.any(Array) });
      expect(result.groups).toEqual([
        { kind: 'skipped', groupName: 'web', reason },
        { kind: 'skipped', groupName: 'api', reason },
      ]);
    },
  );

  it('fails every group, to be tried again, when a source could not answer', async () => {
    const w = world();
    w.pricingApi.failWith = new PricesUnavailableError('the Pricing API', 'us-gov-west-1', 'Linux');
    w.priceCache.failGet = new TransientDependencyError('DynamoDB', 'GetItem');
    const result = await selectInstanceTypes(w.deps, { config: config(), region: 'us-gov-west-1' });
    expect(result.prices.kind).toBe('unavailable');
    expect(result.groups.map((g) => g.kind)).toEqual(['failed', 'failed']);
  });

  it('fails every group with PricesUnavailableError when the Pricing API failed and no other source has prices', async () => {
    const w = world();
    w.pricingApi.failWith = new Error('down');
    const result = await selectInstanceTypes(w.deps, { config: config(), region: 'ap-east-9' });
    expect(result.prices.kind).toBe('unavailable');
    expect(result.groups.map((g) => g.kind)).toEqual(['failed', 'failed']);
    const first = result.groups[0];
    expect(first?.kind === 'failed' && first.error).toBeInstanceOf(PricesUnavailableError);
  });
});

describe('selectInstanceTypes applying on its prices', () => {
  /** A cached list of the API's prices fetched `ageHours` before the run. */
  const cachedAgo = (ageHours: number) => ({
    region: REGION,
    operatingSystem: 'Linux' as const,
    hourlyPriceUsdByType: PRICES,
    skippedEntries: 0,
    fetchedAtMs: NOW_MS - ageHours * HOUR_MS,
  });

  it('applies on prices the Pricing API just gave, and on a cached list younger than pricing.refreshHours', async () => {
    const live = world();
    const fromApi = await selectInstanceTypes(live.deps, {
      config: applyingSelectionConfig(),
      region: REGION,
    });
    expect(fromApi.prices).toMatchObject({ source: 'pricing-api', stale: false });
    expect(fromApi.groups.map((g) => g.kind)).toEqual(['applied', 'applied']);

    const cached = world();
    await cached.priceCache.put(cachedAgo(11), NOW_MS + HOUR_MS);
    const fromCache = await selectInstanceTypes(cached.deps, {
      config: applyingSelectionConfig(),
      region: REGION,
    });
    expect(fromCache.prices).toMatchObject({ source: 'cache', stale: false });
    expect(fromCache.groups.map((g) => g.kind)).toEqual(['applied', 'applied']);
  });

  it('only recommends, applying nothing, on a cached list older than pricing.refreshHours', async () => {
    const w = world();
    w.pricingApi.failWith = new TransientDependencyError('Pricing', 'GetProducts');
    await w.priceCache.put(cachedAgo(13), NOW_MS + HOUR_MS);
    const result = await selectInstanceTypes(w.deps, { config: applyingSelectionConfig(), region: REGION });
    expect(result.prices).toMatchObject({ source: 'cache', stale: true });
    const reason =
      'the prices are stale: the cached list fetched 2026-11-21T17:00:00.000Z, older than pricing.refreshHours (12 h), stands in for the Pricing API (prices.problems says why); no change is applied on stale prices';
    expect(result.groups).toEqual([
      expect.objectContaining({ kind: 'recommended', groupName: 'web', reason }),
      expect.objectContaining({ kind: 'recommended', groupName: 'api', reason }),
    ]);
    expect(w.applier.calls).toEqual([]);
  });

  it.each([
    ['dated before the run', Date.UTC(2025, 0, 15), '2025-01-15T00:00:00.000Z'],
    ['dated within pricing.refreshHours', NOW_MS - HOUR_MS, '2026-11-22T05:00:00.000Z'],
  ])('only recommends, applying nothing, on the static price file %s', async (_, asOfMs, asOf) => {
    const w = world();
    w.pricingApi.failWith = new TransientDependencyError('Pricing', 'GetProducts');
    const result = await selectInstanceTypes(
      { ...w.deps, staticPrices: new FakePriceCatalog({ [REGION]: PRICES }, asOfMs) },
      { config: applyingSelectionConfig(), region: REGION },
    );
    expect(result.prices).toMatchObject({ source: 'static-file' });
    const reason = `the prices are the static price file's, as of ${asOf}, standing in for the Pricing API (prices.problems says why): no change is applied on them`;
    expect(result.groups).toEqual([
      expect.objectContaining({ kind: 'recommended', groupName: 'web', reason }),
      expect.objectContaining({ kind: 'recommended', groupName: 'api', reason }),
    ]);
    expect(w.applier.calls).toEqual([]);
  });

  it('reports pricing.apply being false first, whatever the prices', async () => {
    const w = world();
    w.pricingApi.failWith = new TransientDependencyError('Pricing', 'GetProducts');
    await w.priceCache.put(cachedAgo(48), NOW_MS + HOUR_MS);
    const result = await selectInstanceTypes(w.deps, { config: config(), region: REGION });
    expect(byName(result.groups, 'web')).toMatchObject({
      kind: 'recommended',
      reason: 'recommend-only (pricing.apply is false)',
    });
  });
});
