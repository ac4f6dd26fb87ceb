import { GetProductsCommand } from '@aws-sdk/client-pricing';
import { AutoScalingScalingTarget } from '../../../../shared/aws/auto-scaling-scaling-target';
import { overrideAwsTransport } from '../../../../shared/aws/aws-clients';
import { Ec2InstanceCatalog } from '../../../../shared/aws/ec2-instance-catalog';
import { Ec2SpotPriceCatalog } from '../../../../shared/aws/ec2-spot-price-catalog';
import { PricingApiPriceCatalog, pricingApiFilters } from '../../../../shared/aws/pricing-api-price-catalog';
import { parsePriceListEntries } from '../../../../shared/aws/pricing-api-price-list';
import { StaticFilePriceCatalog } from '../../../../shared/aws/static-prices/static-file-price-catalog';
import { userConfigSchema } from '../../../../shared/contracts/user-config';
import { INSTANCE_TYPES } from '../../../../shared/simulation/world/instance-types';
import {
  LICENSE_USD_PER_HOUR,
  WINDOWS_USD_PER_VCPU_HOUR,
} from '../../../../shared/simulation/world/simulated-pricing';
import { HighsMixSolver } from '../../../../shared/solvers/highs-mix-solver';
import { selectInstanceTypes } from '../../../../shared/usecases/select-instance-types';
import { InMemoryPriceCache } from '../../../fakes/pricing/in-memory-price-cache';
import { RecordingApplier } from '../../../fakes/pricing/recording-applier';
import { START, sideServicesWorld } from '../../../helpers/side-services-world';

afterEach(() => overrideAwsTransport(undefined));

describe('the simulated Pricing API', () => {
  it('returns price-list entries the adapter reads into the simulated on-demand prices', async () => {
    const { clients } = sideServicesWorld();
    const prices = await new PricingApiPriceCatalog(clients.pricing).onDemandPrices('us-east-1', 'Linux');
    expect(prices.skippedEntries).toBe(0);
    expect(prices.hourlyPriceUsdByType).toEqual(
      Object.fromEntries(Object.values(INSTANCE_TYPES).map((t) => [t.instanceType, t.hourlyPriceUsd])),
    );
  });

  it('holds the other products of a type, so only the adapter’s filters keep the Windows license-included price', async () => {
    const { clients } = sideServicesWorld();
    const windows = await new PricingApiPriceCatalog(clients.pricing).onDemandPrices('us-east-1', 'Windows');
    expect(windows.hourlyPriceUsdByType['m5.large']).toBeCloseTo(
      (INSTANCE_TYPES['m5.large']?.hourlyPriceUsd ?? Number.NaN) + 2 * WINDOWS_USD_PER_VCPU_HOUR,
      10,
    );
    // Without the license-model filter a Windows license of one's own, priced as Linux, wins.
    const unfiltered = (await clients.pricing.send(
      new GetProductsCommand({
        ServiceCode: 'AmazonEC2',
        Filters: pricingApiFilters('us-east-1', 'Windows').filter((f) => f.Field !== 'licenseModel'),
      }),
    )) as { PriceList?: string[] };
    const byol = parsePriceListEntries(unfiltered.PriceList ?? [], 'us-east-1');
    expect(byol.hourlyPriceUsdByType['m5.large']).toBe(INSTANCE_TYPES['m5.large']?.hourlyPriceUsd);
  });

  it.each(['RHEL', 'SUSE'] as const)(
    'prices %s on-demand for every type at its license charge above the Linux price',
    async (operatingSystem) => {
      const { clients } = sideServicesWorld();
      const catalog = new PricingApiPriceCatalog(clients.pricing);
      const linux = await catalog.onDemandPrices('us-east-1', 'Linux');
      const licensed = await catalog.onDemandPrices('us-east-1', operatingSystem);
      expect(licensed.skippedEntries).toBe(0);
      expect(Object.keys(licensed.hourlyPriceUsdByType).sort()).toEqual(Object.keys(INSTANCE_TYPES).sort());
      for (const [instanceType, hourlyUsd] of Object.entries(licensed.hourlyPriceUsdByType)) {
        const linuxUsd = linux.hourlyPriceUsdByType[instanceType] ?? Number.NaN;
        const spec = INSTANCE_TYPES[instanceType] ?? { vcpu: Number.NaN };
        expect(hourlyUsd).toBeGreaterThan(linuxUsd);
        expect(hourlyUsd - linuxUsd).toBeCloseTo(LICENSE_USD_PER_HOUR[operatingSystem](spec), 6);
      }
    },
  );

  it('pages through the offers with NextToken', async () => {
    const { world } = sideServicesWorld();
    const seen: string[] = [];
    let NextToken: string | undefined;
    do {
      const page = (await world.answer('pricing', 'GetProductsCommand', {
        ServiceCode: 'AmazonEC2',
        Filters: [{ Type: 'TERM_MATCH', Field: 'regionCode', Value: 'eu-west-1' }],
        MaxResults: 3,
        ...(NextToken ? { NextToken } : {}),
      })) as { PriceList: string[]; NextToken?: string };
      expect(page.PriceList.length).toBeLessThanOrEqual(3);
      seen.push(...page.PriceList);
      NextToken = page.NextToken;
    } while (NextToken);
    // Linux, Windows, RHEL and SUSE, each on-demand, Capacity Block and four other products (Windows also BYOL), for each type.
    expect(new Set(seen).size).toBe(Object.keys(INSTANCE_TYPES).length * (6 + 7 + 6 + 6));
    expect(JSON.parse(seen[0] as string).product.attributes.regionCode).toBe('eu-west-1');
  });
});

describe('Spot prices per operating system in the simulated EC2', () => {
  const clock = { nowMs: () => START };

  it("answers each product's own prices: Windows with its license on top of Linux/UNIX", async () => {
    const { clients } = sideServicesWorld();
    const spot = new Ec2SpotPriceCatalog(clients.ec2, clock);
    const zones = ['us-east-1a', 'us-east-1b'];
    const linux = await spot.currentSpotPrices(zones, ['m5.large', 'm7g.large'], 'Linux');
    const windows = await spot.currentSpotPrices(zones, ['m5.large', 'm7g.large'], 'Windows');
    expect(linux).toHaveLength(4);
    expect(windows).toHaveLength(4);
    for (const w of windows) {
      const l = linux.find(
        (p) => p.instanceType === w.instanceType && p.availabilityZone === w.availabilityZone,
      );
      const license = WINDOWS_USD_PER_VCPU_HOUR * (INSTANCE_TYPES[w.instanceType]?.vcpu ?? Number.NaN);
      expect(w.hourlyPriceUsd - (l?.hourlyPriceUsd ?? Number.NaN)).toBeCloseTo(license, 5);
    }
  });

  it.each(['RHEL', 'SUSE'] as const)(
    'answers %s Spot prices with its license on top of Linux/UNIX',
    async (operatingSystem) => {
      const { clients } = sideServicesWorld();
      const spot = new Ec2SpotPriceCatalog(clients.ec2, clock);
      const zones = ['us-east-1a', 'us-east-1b'];
      const linux = await spot.currentSpotPrices(zones, ['m5.large', 'm7g.large'], 'Linux');
      const licensed = await spot.currentSpotPrices(zones, ['m5.large', 'm7g.large'], operatingSystem);
      expect(licensed).toHaveLength(4);
      for (const p of licensed) {
        const l = linux.find(
          (q) => q.instanceType === p.instanceType && q.availabilityZone === p.availabilityZone,
        );
        const spec = INSTANCE_TYPES[p.instanceType] ?? { vcpu: Number.NaN };
        expect(p.hourlyPriceUsd - (l?.hourlyPriceUsd ?? Number.NaN)).toBeCloseTo(
          LICENSE_USD_PER_HOUR[operatingSystem](spec),
          5,
        );
      }
    },
  );

  /** Selection through the real adapters on the simulated world, for each operating system asked. */
  function selectionWorld() {
    const { clients } = sideServicesWorld();
    const deps = {
      groups: new AutoScalingScalingTarget(clients.autoScaling),
      instanceCatalog: new Ec2InstanceCatalog(clients.ec2),
      pricingApi: new PricingApiPriceCatalog(clients.pricing),
      priceCache: new InMemoryPriceCache(clock),
      staticPrices: new StaticFilePriceCatalog(),
      spotPrices: new Ec2SpotPriceCatalog(clients.ec2, clock),
      solver: new HighsMixSolver(),
      applier: new RecordingApplier(),
      clock,
      isGloballyPaused: async () => false,
      deployment: 'Prescale',
    };
    type OperatingSystem = 'Linux' | 'Windows' | 'RHEL' | 'SUSE';
    const config = (operatingSystem: OperatingSystem) =>
      userConfigSchema.parse({ groups: { names: ['web'] }, pricing: { operatingSystem, includeSpot: true } });
    const recommendation = async (operatingSystem: OperatingSystem) => {
      const result = await selectInstanceTypes(deps, {
        config: config(operatingSystem),
        region: 'us-east-1',
      });
      expect(result.prices).toMatchObject({ kind: 'priced', source: 'pricing-api' });
      const group = result.groups[0] as {
        kind: string;
        recommendation?: {
          selection: {
            items: { instanceType: string; instanceCount: number; hourlyPriceUsd: number }[];
            spotHourlyCostUsd?: number;
          };
          diagnostics: string[];
        };
      };
      expect(group.kind).toBe('recommended');
      return group.recommendation as NonNullable<typeof group.recommendation>;
    };
    return { deps, recommendation };
  }

  it('recommends for a Windows fleet from Windows on-demand and Spot prices, through the real adapters', async () => {
    const { deps, recommendation } = selectionWorld();
    const windows = await recommendation('Windows');
    const linux = await recommendation('Linux');
    expect(windows.diagnostics.join()).not.toMatch(/Spot prices skipped/);
    for (const item of windows.selection.items) {
      const spec = INSTANCE_TYPES[item.instanceType];
      expect(item.hourlyPriceUsd).toBeCloseTo(
        (spec?.hourlyPriceUsd ?? 0) + WINDOWS_USD_PER_VCPU_HOUR * (spec?.vcpu ?? 0),
        6,
      );
    }
    // The license is charged on Spot too: a Windows fleet's Spot cost is above a Linux one's.
    expect(windows.selection.spotHourlyCostUsd).toBeGreaterThan(
      linux.selection.spotHourlyCostUsd ?? Number.POSITIVE_INFINITY,
    );
    expect(deps.applier.calls).toEqual([]);
  });

  it('recommends for a RHEL fleet from RHEL on-demand and Spot prices, through the real adapters', async () => {
    const { deps, recommendation } = selectionWorld();
    const rhel = await recommendation('RHEL');
    const linux = await recommendation('Linux');
    expect(rhel.diagnostics.join()).not.toMatch(/Spot prices skipped/);
    expect(rhel.selection.items.length).toBeGreaterThan(0);
    for (const item of rhel.selection.items) {
      const spec = INSTANCE_TYPES[item.instanceType] ?? { hourlyPriceUsd: Number.NaN, vcpu: Number.NaN };
      expect(item.instanceCount).toBeGreaterThan(0);
      expect(item.hourlyPriceUsd).toBeCloseTo(spec.hourlyPriceUsd + LICENSE_USD_PER_HOUR.RHEL(spec), 6);
    }
    expect(rhel.selection.spotHourlyCostUsd).toBeGreaterThan(
      linux.selection.spotHourlyCostUsd ?? Number.POSITIVE_INFINITY,
    );
    expect(deps.applier.calls).toEqual([]);
  });

  it.each([
    ['Linux', 'Linux/UNIX', 'RunInstances'],
    ['Windows', 'Windows', 'RunInstances:0002'],
    ['RHEL', 'Red Hat Enterprise Linux', 'RunInstances:0010'],
    ['SUSE', 'SUSE Linux', 'RunInstances:000g'],
  ] as const)(
    'bills a %s image as AWS does (PlatformDetails %s, UsageOperation %s), read through the adapter',
    async (platform, platformDetails, usageOperation) => {
      const { world, clients } = sideServicesWorld();
      const ec2 = world.services.ec2;
      ec2.registerImage({ imageId: 'ami-0os', name: 'os', architecture: 'x86_64', platform });
      ec2.createLaunchTemplate({
        id: 'lt-0os',
        name: 'os',
        data: { ImageId: 'ami-0os', InstanceType: 'm5.large' },
      });
      const template = await new Ec2InstanceCatalog(clients.ec2).launchTemplate('lt-0os', '1');
      expect(template.imageBilling).toEqual({ platformDetails, usageOperation });
    },
  );
});
