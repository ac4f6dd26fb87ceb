import fc from 'fast-check';
import { parsePriceListEntries, readPriceListEntry } from '../../../shared/aws/pricing-api-price-list';
import euWest1 from '../../fixtures/pricing/get-products-eu-west-1.json';
import malformed from '../../fixtures/pricing/get-products-malformed.json';
import page1 from '../../fixtures/pricing/get-products-us-east-1-page-1.json';
import page2 from '../../fixtures/pricing/get-products-us-east-1-page-2.json';

const usEast1 = [...page1.PriceList, ...page2.PriceList];

describe('parsePriceListEntries', () => {
  it('reads on-demand USD per hour by type from the Price List shape, ignoring Reserved terms', () => {
    expect(parsePriceListEntries(usEast1, 'us-east-1')).toEqual({
      hourlyPriceUsdByType: {
        'm5.large': 0.096,
        'm5.xlarge': 0.192,
        'm6g.large': 0.077,
        'm7g.large': 0.0816,
        'm7g.xlarge': 0.1632,
        'c6i.large': 0.085,
        'c7g.xlarge': 0.145,
        'r6g.large': 0.1008,
        't3.medium': 0.0416,
      },
      skipped: {},
      malformedCount: 0,
    });
    expect(parsePriceListEntries(euWest1.PriceList, 'eu-west-1').hourlyPriceUsdByType['m7g.large']).toBe(
      0.0912,
    );
  });

  it('skips entries of another region when a region is given', () => {
    const parsed = parsePriceListEntries([...usEast1, ...euWest1.PriceList], 'eu-west-1');
    expect(Object.keys(parsed.hourlyPriceUsdByType)).toHaveLength(5);
    expect(parsed.skipped).toEqual({ 'other-region': 9 });
    expect(parsed.malformedCount).toBe(0);
  });

  it('skips and counts malformed entries without throwing', () => {
    expect(parsePriceListEntries(malformed.PriceList, 'us-east-1')).toEqual({
      hourlyPriceUsdByType: { 'm5.large': 0.096, 'm7g.large': 0.0816 },
      skipped: {
        'bad-json': 2,
        'missing-usd': 2,
        'non-positive-price': 2,
        'missing-on-demand-term': 1,
        'missing-instance-type': 1,
      },
      malformedCount: 8,
    });
  });

  it('gives the same prices whatever the order of the entries, keeping the lowest duplicate', () => {
    const cheaperDuplicate = (page1.PriceList[0] as string).replace(
      '"USD":"0.0960000000"',
      '"USD":"0.0900000000"',
    );
    const all = [...usEast1, ...malformed.PriceList, cheaperDuplicate];
    const expected = parsePriceListEntries(all, 'us-east-1');
    expect(expected.hourlyPriceUsdByType['m5.large']).toBe(0.09);
    fc.assert(
      fc.property(fc.shuffledSubarray(all, { minLength: all.length }), (shuffled) => {
        expect(parsePriceListEntries(shuffled, 'us-east-1')).toEqual(expected);
      }),
    );
  });

  it('never throws on arbitrary text or JSON', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.string(), fc.json())), (entries) => {
        const parsed = parsePriceListEntries(entries);
        for (const price of Object.values(parsed.hourlyPriceUsdByType)) expect(price).toBeGreaterThan(0);
      }),
    );
  });
});

describe('readPriceListEntry', () => {
  it('skips Capacity Block and other non-on-demand market options', () => {
    const entry = (page1.PriceList[0] as string).replace(
      '"marketoption":"OnDemand"',
      '"marketoption":"CapacityBlock"',
    );
    expect(readPriceListEntry(entry)).toEqual({ skipped: 'other-market' });
  });
});
