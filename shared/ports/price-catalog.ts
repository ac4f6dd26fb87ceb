/**
 * Where instance prices come from: the AWS Price List (Pricing API), a cache of its last answer, a
 * static file shipped in the build, and EC2 Spot price history.
 */

/** Operating systems as the Price List names them (the `pricing.operatingSystem` config values). */
export type PricedOperatingSystem = 'Linux' | 'Windows' | 'RHEL' | 'SUSE';

/** On-demand prices of one region and operating system. */
export interface OnDemandPriceList {
  readonly region: string;
  readonly operatingSystem: PricedOperatingSystem;
  /** USD per instance-hour by instance type; every value finite and > 0. */
  readonly hourlyPriceUsdByType: Readonly<Record<string, number>>;
  /** Price List entries that could not be read (bad JSON, missing or non-positive USD price). */
  readonly skippedEntries: number;
}

/** A price list with the time it was fetched (or, for the static file, the date of its prices). */
export interface DatedPriceList extends OnDemandPriceList {
  readonly fetchedAtMs: number;
}

/** A source of on-demand prices. */
export interface PriceCatalog {
  /**
   * The on-demand price of every instance type of a region.
   * @throws TransientDependencyError when the source may answer later (throttling, 5xx, timeout).
   * @throws RejectedRequestError when the request was refused (permissions, bad filter).
   * @throws PricesUnavailableError when the source has no prices for the region and OS.
   */
  onDemandPrices(region: string, operatingSystem: PricedOperatingSystem): Promise<OnDemandPriceList>;
}

/** Durable copy of the last price list fetched per region and OS. */
export interface PriceCache {
  /** The cached list, however old, until its `expiresAtMs`; undefined when there is none or it has expired. */
  get(region: string, operatingSystem: PricedOperatingSystem): Promise<DatedPriceList | undefined>;
  /** Replaces the cached list; `expiresAtMs` is when the store may delete it. */
  put(list: DatedPriceList, expiresAtMs: number): Promise<void>;
}

/** The current Spot price of one type in one availability zone. */
export interface SpotPrice {
  readonly instanceType: string;
  readonly availabilityZone: string;
  readonly hourlyPriceUsd: number;
}

/** Current Spot prices of one operating system from EC2. */
export interface SpotPriceCatalog {
  /** Latest known Spot price per (type, zone) among the given ones; pairs without a price are absent. */
  currentSpotPrices(
    zones: readonly string[],
    instanceTypes: readonly string[],
    operatingSystem: PricedOperatingSystem,
  ): Promise<SpotPrice[]>;
}

/** A price source holds no prices for the region and operating system asked for. */
export class PricesUnavailableError extends Error {
  override readonly name = 'PricesUnavailableError' as const;
  constructor(
    readonly source: string,
    readonly region: string,
    readonly operatingSystem: string,
    options?: { cause?: unknown },
  ) {
    super(`${source} has no ${operatingSystem} prices for ${region}`, options);
  }
}
