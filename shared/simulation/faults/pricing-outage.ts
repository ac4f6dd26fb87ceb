import { TransientDependencyError } from '../../ports/errors';
import type { OnDemandPriceList, PriceCatalog, PricedOperatingSystem } from '../../ports/price-catalog';
import {
  type PriceSource,
  type SelectInstanceTypesDeps,
  type SelectInstanceTypesInput,
  selectInstanceTypes,
} from '../../usecases/select-instance-types';
import type { InvariantResult } from './run-fault-scenario';

/** A Pricing API that fails with `TransientDependencyError` while `down`; counts calls and failures. */
export class OutagePriceCatalog implements PriceCatalog {
  down = false;
  calls = 0;
  failures = 0;

  constructor(private readonly live: PriceCatalog) {}

  async onDemandPrices(region: string, operatingSystem: PricedOperatingSystem): Promise<OnDemandPriceList> {
    this.calls += 1;
    if (this.down) {
      this.failures += 1;
      throw new TransientDependencyError('Pricing', 'GetProducts');
    }
    return this.live.onDemandPrices(region, operatingSystem);
  }
}

/** One hourly selection run during the outage: what was expected and what came back. */
export interface PricingRun {
  readonly hour: number;
  readonly expected: PriceSource;
  readonly source: PriceSource | 'unavailable';
  readonly groupsFailed: number;
}

/**
 * Drives `selectInstanceTypes` every two hours (set `pricing.refreshHours` to 1) through a Pricing API outage: hour 0 the API answers
 * (and fills the cache), hours 1…`outageHours` it fails (cached prices expected), then the cache
 * is lost too (`loseCache`) for `staticHours` more hours (the static file expected). Invariants:
 * every run priced from the expected source, no group failed, the outage visible.
 * `deps.pricingApi` must be `api`; `setClockMs` moves the deps' clock.
 */
export async function runPricingOutage(options: {
  readonly deps: SelectInstanceTypesDeps;
  readonly api: OutagePriceCatalog;
  readonly input: SelectInstanceTypesInput;
  readonly startMs: number;
  readonly setClockMs: (ms: number) => void;
  readonly loseCache: () => void;
  readonly outageHours: number;
  readonly staticHours: number;
}): Promise<{ runs: PricingRun[]; invariants: InvariantResult[] }> {
  const runs: PricingRun[] = [];
  const total = 1 + options.outageHours + options.staticHours;
  for (let hour = 0; hour < total; hour += 1) {
    // Two hours apart: with `pricing.refreshHours` 1 every run finds the cache stale and asks the API.
    options.setClockMs(options.startMs + hour * 2 * 3_600_000);
    options.api.down = hour > 0;
    if (hour === 1 + options.outageHours) options.loseCache();
    const expected: PriceSource =
      hour === 0 ? 'pricing-api' : hour <= options.outageHours ? 'cache' : 'static-file';
    const result = await selectInstanceTypes(options.deps, options.input);
    runs.push({
      hour,
      expected,
      source: result.prices.kind === 'priced' ? result.prices.source : 'unavailable',
      groupsFailed: result.groups.filter((g) => g.kind === 'failed').length,
    });
  }
  const wrong = runs.filter((r) => r.source !== r.expected);
  const failed = runs.filter((r) => r.groupsFailed > 0);
  return {
    runs,
    invariants: [
      {
        name: 'every run priced from the expected fallback',
        held: wrong.length === 0,
        detail: wrong.map((r) => `hour ${r.hour}: ${r.source}, expected ${r.expected}`).join(', '),
      },
      {
        name: 'no group failed for want of prices',
        held: failed.length === 0,
        detail: failed.map((r) => `hour ${r.hour}: ${r.groupsFailed} failed`).join(', '),
      },
      {
        name: 'fault visible in counters',
        held: options.api.failures === options.outageHours + options.staticHours,
        detail: `${options.api.failures} Pricing API failures of ${options.api.calls} calls`,
      },
    ],
  };
}
