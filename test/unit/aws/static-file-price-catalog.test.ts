import onDemandLinux from '../../../shared/aws/static-prices/on-demand-linux.json';
import { StaticFilePriceCatalog } from '../../../shared/aws/static-prices/static-file-price-catalog';
import { PricesUnavailableError } from '../../../shared/ports/price-catalog';

describe('StaticFilePriceCatalog', () => {
  const catalog = new StaticFilePriceCatalog();

  it('ships dated, sourced, positive Linux prices for several regions', async () => {
    expect(onDemandLinux.source).toMatch(/aws\.amazon\.com\/ec2\/pricing/);
    expect(Number.isFinite(catalog.asOfMs)).toBe(true);
    for (const region of ['us-east-1', 'us-west-2', 'eu-west-1', 'eu-central-1']) {
      const list = await catalog.onDemandPrices(region, 'Linux');
      expect(Object.keys(list.hourlyPriceUsdByType).length).toBeGreaterThan(100);
      for (const price of Object.values(list.hourlyPriceUsdByType)) expect(price).toBeGreaterThan(0);
    }
    expect((await catalog.onDemandPrices('us-east-1', 'Linux')).hourlyPriceUsdByType['m7g.large']).toBe(
      0.0816,
    );
  });

  it('throws PricesUnavailableError for other regions and operating systems', async () => {
    await expect(catalog.onDemandPrices('ap-east-2', 'Linux')).rejects.toThrow(PricesUnavailableError);
    await expect(catalog.onDemandPrices('us-east-1', 'Windows')).rejects.toThrow(PricesUnavailableError);
  });
});
