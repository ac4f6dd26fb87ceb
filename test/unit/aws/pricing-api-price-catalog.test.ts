import { GetProductsCommand, PricingClient } from '@aws-sdk/client-pricing';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { pricingApiEndpointRegion, pricingApiRegion } from '../../../shared/aws/pricing-api-endpoint-region';
import { PricingApiPriceCatalog, pricingApiFilters } from '../../../shared/aws/pricing-api-price-catalog';
import { UnavailablePriceCatalog } from '../../../shared/aws/unavailable-price-catalog';
import { RejectedRequestError, TransientDependencyError } from '../../../shared/ports/errors';
import { PricesUnavailableError } from '../../../shared/ports/price-catalog';
import malformed from '../../fixtures/pricing/get-products-malformed.json';
import page1 from '../../fixtures/pricing/get-products-us-east-1-page-1.json';
import page2 from '../../fixtures/pricing/get-products-us-east-1-page-2.json';

const pricing = mockClient(PricingClient);
const catalog = new PricingApiPriceCatalog(pricing as unknown as PricingClient);

beforeEach(() => pricing.reset());

describe('PricingApiPriceCatalog', () => {
  it('pages through GetProducts with the on-demand filters and reads every page', async () => {
    pricing.on(GetProductsCommand).resolvesOnce(page1).resolvesOnce(page2);
    const list = await catalog.onDemandPrices('us-east-1', 'Linux');
    expect(Object.keys(list.hourlyPriceUsdByType)).toHaveLength(9);
    expect(list).toMatchObject({ region: 'us-east-1', operatingSystem: 'Linux', skippedEntries: 0 });
    expect(pricing).toHaveReceivedCommandTimes(GetProductsCommand, 2);
    expect(pricing).toHaveReceivedNthCommandWith(1, GetProductsCommand, {
      ServiceCode: 'AmazonEC2',
      FormatVersion: 'aws_v1',
      MaxResults: 100,
      Filters: [
        { Type: 'TERM_MATCH', Field: 'regionCode', Value: 'us-east-1' },
        { Type: 'TERM_MATCH', Field: 'operatingSystem', Value: 'Linux' },
        { Type: 'TERM_MATCH', Field: 'tenancy', Value: 'Shared' },
        { Type: 'TERM_MATCH', Field: 'preInstalledSw', Value: 'NA' },
        { Type: 'TERM_MATCH', Field: 'capacitystatus', Value: 'Used' },
        { Type: 'TERM_MATCH', Field: 'licenseModel', Value: 'No License required' },
      ],
    });
    expect(pricing).toHaveReceivedNthCommandWith(2, GetProductsCommand, { NextToken: page1.NextToken });
  });

  it('counts malformed entries instead of failing', async () => {
    pricing.on(GetProductsCommand).resolves(malformed);
    const list = await catalog.onDemandPrices('us-east-1', 'Linux');
    expect(list.hourlyPriceUsdByType).toEqual({ 'm5.large': 0.096, 'm7g.large': 0.0816 });
    expect(list.skippedEntries).toBe(8);
  });

  it('throws PricesUnavailableError when no entry has a price', async () => {
    pricing.on(GetProductsCommand).resolves({ PriceList: [] });
    await expect(catalog.onDemandPrices('xx-none-1', 'Linux')).rejects.toThrow(PricesUnavailableError);
  });

  it('says so when the entries are priced in another currency (CNY in the China partition)', async () => {
    // A PriceList entry as the aws-cn partition's Price List Query API answers it.
    const entry = {
      product: {
        productFamily: 'Compute Instance',
        attributes: { instanceType: 'm5.large', regionCode: 'cn-north-1', operatingSystem: 'Linux' },
        sku: 'ABCDEFGHIJKLMNOP',
      },
      terms: {
        OnDemand: {
          'ABCDEFGHIJKLMNOP.JRTCKXETXF': {
            priceDimensions: {
              'ABCDEFGHIJKLMNOP.JRTCKXETXF.6YS6EN2CT7': {
                unit: 'Hrs',
                pricePerUnit: { CNY: '0.7680000000' },
              },
            },
          },
        },
      },
    };
    pricing.on(GetProductsCommand).resolves({ PriceList: [JSON.stringify(entry)] });
    await expect(catalog.onDemandPrices('cn-north-1', 'Linux')).rejects.toThrow(
      new PricesUnavailableError('the Pricing API (1 entries, none priced in USD)', 'cn-north-1', 'Linux'),
    );
  });

  it('translates throttling and server errors into TransientDependencyError', async () => {
    pricing
      .on(GetProductsCommand)
      .rejects(Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' }));
    await expect(catalog.onDemandPrices('us-east-1', 'Linux')).rejects.toThrow(TransientDependencyError);
    pricing.on(GetProductsCommand).rejects(
      Object.assign(new Error('boom'), {
        name: 'InternalErrorException',
        $metadata: { httpStatusCode: 500 },
      }),
    );
    await expect(catalog.onDemandPrices('us-east-1', 'Linux')).rejects.toThrow(TransientDependencyError);
  });

  it('translates refusals into RejectedRequestError', async () => {
    pricing.on(GetProductsCommand).rejects(
      Object.assign(new Error('not allowed'), {
        name: 'AccessDeniedException',
        $metadata: { httpStatusCode: 403 },
      }),
    );
    await expect(catalog.onDemandPrices('us-east-1', 'Linux')).rejects.toThrow(RejectedRequestError);
  });
});

describe('pricingApiFilters', () => {
  it('names the operating system as the Price List does', () => {
    expect(pricingApiFilters('eu-west-1', 'RHEL')[1]).toEqual({
      Type: 'TERM_MATCH',
      Field: 'operatingSystem',
      Value: 'RHEL',
    });
  });
});

describe('pricingApiEndpointRegion', () => {
  it.each([
    ['eu-west-1', 'eu-central-1'],
    ['me-south-1', 'eu-central-1'],
    ['ap-southeast-2', 'ap-south-1'],
    ['us-west-2', 'us-east-1'],
    ['sa-east-1', 'us-east-1'],
    [undefined, 'us-east-1'],
    ['cn-north-1', 'cn-northwest-1'],
    ['cn-northwest-1', 'cn-northwest-1'],
    ['mx-central-1', 'us-east-1'],
    ['ca-west-1', 'us-east-1'],
    ['il-central-1', 'eu-central-1'],
  ])('calls the Pricing API from the endpoint nearest %s', (region, endpoint) => {
    expect(pricingApiEndpointRegion(region)).toBe(endpoint);
  });
});

describe('pricingApiEndpointRegion outside the aws partition', () => {
  it.each([
    'us-gov-west-1',
    'us-gov-east-1',
    'us-iso-east-1',
    'us-isob-east-1',
    'us-isof-south-1',
    'eu-isoe-west-1',
    'eusc-de-east-1',
    'xy-future-1',
  ])('reports no endpoint in %s, whose partition has none', (region) => {
    expect(pricingApiEndpointRegion(region)).toBeUndefined();
  });
});

describe('pricingApiRegion', () => {
  it.each([
    ['eu-west-1', undefined, 'eu-central-1'],
    ['eu-west-1', '', 'eu-central-1'],
    ['us-gov-west-1', undefined, undefined],
    ['eu-west-1', 'us-east-1', 'us-east-1'],
    ['xy-future-1', 'ap-south-1', 'ap-south-1'],
    ['cn-north-1', 'cn-northwest-1', 'cn-northwest-1'],
  ])('in %s with PRESCALE_PRICING_REGION %j calls %s', (region, override, endpoint) => {
    expect(pricingApiRegion(region, override)).toBe(endpoint);
  });

  it.each(['eu-west-1', 'US-EAST-1', ' us-east-1', 'pricing.us-east-1.amazonaws.com'])(
    'refuses PRESCALE_PRICING_REGION %j, which has no Pricing API endpoint',
    (override) => {
      expect(() => pricingApiRegion('eu-west-1', override)).toThrow(
        expect.objectContaining({
          name: 'InvalidConfigError',
          message: expect.stringContaining(
            `PRESCALE_PRICING_REGION: a region with a Price List Query API endpoint: us-east-1, eu-central-1, ap-south-1 (aws partition) or cn-northwest-1 (aws-cn); received ${JSON.stringify(override)}`,
          ),
        }),
      );
    },
  );
});

describe('UnavailablePriceCatalog', () => {
  it('reports prices unavailable with the reason, without calling anything', async () => {
    const catalog = new UnavailablePriceCatalog(
      'the Pricing API (not offered in the partition of us-gov-west-1)',
    );
    await expect(catalog.onDemandPrices('us-gov-west-1', 'Linux')).rejects.toThrow(
      new PricesUnavailableError(
        'the Pricing API (not offered in the partition of us-gov-west-1)',
        'us-gov-west-1',
        'Linux',
      ),
    );
  });
});
