import { TransientDependencyError } from '../../../shared/ports/errors';
import { PricesUnavailableError } from '../../../shared/ports/price-catalog';
import { selectInstanceTypes } from '../../../shared/usecases/select-instance-types';
import {
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
