import { type UserConfigInput, userConfigSchema } from '../../shared/contracts/user-config';
import type { GroupSnapshot } from '../../shared/ports/scaling-target';
import { HighsMixSolver } from '../../shared/solvers/highs-mix-solver';
import type {
  GroupSelectionResult,
  SelectInstanceTypesDeps,
} from '../../shared/usecases/select-instance-types';
import { FakeScalingTarget, groupSnapshot } from '../fakes/fake-scaling-target';
import { MemoryStateStore } from '../fakes/memory-state-store';
import { factsFor } from '../fakes/pricing/catalog-builders';
import { FakeInstanceCatalog } from '../fakes/pricing/fake-instance-catalog';
import { FakePriceCatalog } from '../fakes/pricing/fake-price-catalog';
import { InMemoryPriceCache } from '../fakes/pricing/in-memory-price-cache';
import { MemoryAppliedChangeRecords } from '../fakes/pricing/memory-applied-change-records';
import { MemoryRolloutRecords } from '../fakes/pricing/memory-rollout-records';
import { RecordingApplier } from '../fakes/pricing/recording-applier';

/** The `selectInstanceTypes` tests' clock. */
export const SELECTION_NOW_MS = Date.UTC(2026, 10, 22, 6);
/** The region every catalog of the tests prices. */
export const SELECTION_REGION = 'eu-west-1';
const ZONES = ['eu-west-1a', 'eu-west-1b'];

const TYPES = [
  'm5.large',
  'm5.xlarge',
  'm6i.large',
  'm6i.xlarge',
  'm6a.large',
  'm6g.large',
  'm7g.large',
  'm7g.xlarge',
  'c7g.large',
  'c7g.xlarge',
  'c6gn.large',
  'r6g.large',
  't4g.large',
];
/** On-demand hourly prices (USD) the Pricing API fake answers in the region. */
export const SELECTION_PRICES: Record<string, number> = {
  'm5.large': 0.107,
  'm5.xlarge': 0.214,
  'm6i.large': 0.107,
  'm6i.xlarge': 0.214,
  'm6a.large': 0.096,
  'm6g.large': 0.086,
  'm7g.large': 0.0912,
  'm7g.xlarge': 0.1824,
  'c7g.large': 0.0816,
  'c7g.xlarge': 0.1632,
  'c6gn.large': 0.0972,
  'r6g.large': 0.1128,
  't4g.large': 0.0736,
};
const solver = new HighsMixSolver();

/** Groups `web` and `api` enrolled by name, scaling (forecast-only applies nothing), `input` on top. */
export function selectionConfig(input: Partial<UserConfigInput> = {}) {
  return userConfigSchema.parse({ mode: 'forecast-and-scale', groups: { names: ['web', 'api'] }, ...input });
}

/**
 * A selection that applies what it finds and rolls a single-type group's new type out
 * (`pricing.apply`, `rollingUpdate.autoStartOnInstanceTypeChange`), `pricing` on top.
 */
export const applyingSelectionConfig = (pricing: Partial<UserConfigInput['pricing']> = {}) =>
  selectionConfig({
    pricing: { apply: true, ...pricing },
    rollingUpdate: { autoStartOnInstanceTypeChange: true },
  });

/**
 * A selection that applies and rolls out what it finds, whose rollouts may wait three days for
 * their window: the setting under which a rollout waiting without the group lock must hold it.
 */
export const rolloutSelectionConfig = () =>
  selectionConfig({
    pricing: { apply: true },
    rollingUpdate: { autoStartOnInstanceTypeChange: true, maxWaitHours: 72 },
  });

/**
 * `selectInstanceTypes` deps over fakes: 13 instance types offered in both zones (c7g.xlarge in
 * eu-west-1a only), launch templates `lt-web` (arm64, c6gn.large) and `lt-api` (x86_64), Pricing API
 * and static-file prices, an empty price cache, a recording applier and the groups given.
 */
export function selectionWorld(groups: GroupSnapshot[] = [webGroup(), apiGroup()]) {
  const instanceCatalog = new FakeInstanceCatalog(
    TYPES.map((t) => factsFor(t)),
    { 'eu-west-1a': TYPES, 'eu-west-1b': TYPES.filter((t) => t !== 'c7g.xlarge') },
    {
      'lt-web': {
        launchTemplateId: 'lt-web',
        versionNumber: 7,
        instanceType: 'c6gn.large',
        imageArchitecture: 'arm64',
      },
      'lt-api': { launchTemplateId: 'lt-api', versionNumber: 3, imageArchitecture: 'x86_64' },
    },
  );
  const pricingApi = new FakePriceCatalog({ [SELECTION_REGION]: SELECTION_PRICES });
  const staticPrices = new FakePriceCatalog(
    { [SELECTION_REGION]: { ...SELECTION_PRICES, 'c7g.large': 0.08 } },
    Date.UTC(2025, 0, 15),
  );
  const clock = { nowMs: () => SELECTION_NOW_MS };
  const priceCache = new InMemoryPriceCache(clock);
  const applier = new RecordingApplier();
  const stateStore = new MemoryStateStore();
  const rollouts = new MemoryRolloutRecords();
  const appliedChanges = new MemoryAppliedChangeRecords();
  const target = new FakeScalingTarget(groups);
  /** The deployment-wide kill switch; set `on` to pull it. */
  const killSwitch = { on: false };
  const deps: SelectInstanceTypesDeps = {
    groups: target,
    instanceCatalog,
    pricingApi,
    priceCache,
    staticPrices,
    solver,
    applier,
    clock,
    stateStore,
    rollouts,
    appliedChanges,
    isGloballyPaused: async () => killSwitch.on,
    deployment: 'Prescale',
  };
  return {
    deps,
    killSwitch,
    instanceCatalog,
    pricingApi,
    staticPrices,
    priceCache,
    applier,
    stateStore,
    rollouts,
    appliedChanges,
    target,
  };
}

/**
 * Single-type group `web`: 5 c6gn.large (2 vCPUs, 4 GiB) in both zones on version 7 of `lt-web`
 * (a number: a rollout would pin a group on `$Default` to its new version), `overrides` on
 * top; c7g.large, the same size and memory, is cheaper.
 */
export function webGroup(overrides: Partial<GroupSnapshot> = {}): GroupSnapshot {
  return groupSnapshot({
    name: 'web',
    desiredCapacity: 5,
    availabilityZones: ZONES,
    launchTemplate: { id: 'lt-web', version: '7' },
    instanceTypes: ['c6gn.large'],
    ...overrides,
  });
}

/** Mixed group `api`: 20 units desired, m5.large and m5.xlarge weighted 2 and 4, `overrides` on top. */
export function apiGroup(overrides: Partial<GroupSnapshot> = {}): GroupSnapshot {
  return groupSnapshot({
    name: 'api',
    desiredCapacity: 20,
    availabilityZones: ZONES,
    mixedInstances: {
      launchTemplateId: 'lt-api',
      version: '$Latest',
      overrides: [
        { instanceType: 'm5.large', weightedCapacity: 2 },
        { instanceType: 'm5.xlarge', weightedCapacity: 4 },
      ],
      usesAttributeBasedSelection: false,
    },
    instanceTypes: ['m5.large'],
    ...overrides,
  });
}

/** The result for group `name`; throws when there is none. */
export function byName(results: readonly GroupSelectionResult[], name: string): GroupSelectionResult {
  const found = results.find((r) => r.groupName === name);
  if (!found) throw new Error(`no result for ${name}`);
  return found;
}

/** The result's recommendation; throws when it has none. */
export function recommendationOf(result: GroupSelectionResult) {
  if (!('recommendation' in result)) throw new Error(`no recommendation: ${JSON.stringify(result)}`);
  return result.recommendation;
}
