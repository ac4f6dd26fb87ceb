import { userConfigSchema } from '../../../../shared/contracts/user-config';
import { OutagePriceCatalog, runPricingOutage } from '../../../../shared/simulation/faults/pricing-outage';
import { HighsMixSolver } from '../../../../shared/solvers/highs-mix-solver';
import { FakeScalingTarget, groupSnapshot } from '../../../fakes/fake-scaling-target';
import { factsFor } from '../../../fakes/pricing/catalog-builders';
import { FakeInstanceCatalog } from '../../../fakes/pricing/fake-instance-catalog';
import { FakePriceCatalog } from '../../../fakes/pricing/fake-price-catalog';
import { InMemoryPriceCache } from '../../../fakes/pricing/in-memory-price-cache';
import { RecordingApplier } from '../../../fakes/pricing/recording-applier';

const REGION = 'eu-west-1';
const ZONES = ['eu-west-1a', 'eu-west-1b'];
const PRICES: Record<string, number> = { 'm6g.large': 0.086, 'm7g.large': 0.0912, 'c7g.large': 0.0816 };

describe('fault injection: Pricing API outage', () => {
  it('prices every run from the cache, then the static file, and fails no group', async () => {
    const types = Object.keys(PRICES);
    let nowMs = Date.UTC(2026, 10, 22);
    const api = new OutagePriceCatalog(new FakePriceCatalog({ [REGION]: PRICES }));
    const clock = { nowMs: () => nowMs };
    const priceCache = new InMemoryPriceCache(clock);
    const { invariants, runs } = await runPricingOutage({
      deps: {
        isGloballyPaused: async () => false,
        deployment: 'Prescale',
        groups: new FakeScalingTarget([
          groupSnapshot({
            name: 'web',
            desiredCapacity: 5,
            availabilityZones: ZONES,
            launchTemplate: { id: 'lt-web', version: '$Default' },
            instanceTypes: ['m6g.large'],
          }),
        ]),
        instanceCatalog: new FakeInstanceCatalog(
          types.map((t) => factsFor(t)),
          { 'eu-west-1a': types, 'eu-west-1b': types },
          {
            'lt-web': {
              launchTemplateId: 'lt-web',
              versionNumber: 1,
              instanceType: 'm6g.large',
              imageArchitecture: 'arm64',
            },
          },
        ),
        pricingApi: api,
        priceCache,
        staticPrices: new FakePriceCatalog({ [REGION]: PRICES }, Date.UTC(2025, 0, 15)),
        solver: new HighsMixSolver(),
        applier: new RecordingApplier(),
        clock,
      },
      api,
      input: {
        config: userConfigSchema.parse({ groups: { names: ['web'] }, pricing: { refreshHours: 1 } }),
        region: REGION,
      },
      startMs: nowMs,
      setClockMs: (ms) => {
        nowMs = ms;
      },
      loseCache: () => priceCache.items.clear(),
      outageHours: 3,
      staticHours: 2,
    });
    expect(invariants.filter((i) => !i.held)).toEqual([]);
    expect(runs.map((r) => r.source)).toEqual([
      'pricing-api',
      'cache',
      'cache',
      'cache',
      'static-file',
      'static-file',
    ]);
  });
});
