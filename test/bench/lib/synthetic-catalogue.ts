import type { InstanceTypeFacts } from '../../../shared/core/pricing/types';

/** Mulberry32: a small seeded generator of uniform numbers in [0, 1). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SIZES: [string, number][] = [
  ['medium', 1],
  ['large', 2],
  ['xlarge', 4],
  ['2xlarge', 8],
  ['4xlarge', 16],
  ['8xlarge', 32],
  ['12xlarge', 48],
  ['16xlarge', 64],
  ['24xlarge', 96],
  ['32xlarge', 128],
  ['48xlarge', 192],
  ['metal', 96],
];

/** Class letter, USD per vCPU-hour, GiB per vCPU. */
const CLASSES: [string, number, number][] = [
  ['m', 0.048, 4],
  ['c', 0.0425, 2],
  ['r', 0.063, 8],
  ['x', 0.104, 16],
  ['i', 0.078, 8],
  ['z', 0.093, 8],
];
/** Family suffix and price factor. */
const VARIANTS: [string, number][] = [
  ['', 1],
  ['d', 1.18],
  ['n', 1.25],
  ['dn', 1.4],
];
/** Processor letter, price factor, architecture. */
const PROCESSORS: [string, number, 'arm64' | 'x86_64'][] = [
  ['g', 0.8, 'arm64'],
  ['a', 0.9, 'x86_64'],
  ['i', 1, 'x86_64'],
];
/** Family, architecture, USD per vCPU-hour. */
const BURSTABLE_FAMILIES = [
  ['t3', 'x86_64', 0.0208],
  ['t3a', 'x86_64', 0.0188],
  ['t4g', 'arm64', 0.0168],
] as const;
const BURSTABLE_SIZES = [
  ['nano', 2],
  ['micro', 2],
  ['small', 2],
  ['medium', 2],
  ['large', 2],
  ['xlarge', 4],
  ['2xlarge', 8],
] as const;

export interface Catalogue {
  readonly facts: InstanceTypeFacts[];
  readonly prices: Record<string, number>;
}

/** One non-burstable family; the price factors are kept apart so prices multiply in the same order. */
interface FamilyShape {
  readonly family: string;
  readonly processor: string;
  readonly arch: 'arm64' | 'x86_64';
  readonly generation: number;
  readonly memPerVcpu: number;
  readonly perVcpu: number;
  readonly procFactor: number;
  readonly variantFactor: number;
}

/**
 * A seeded catalogue shaped like a large region: families like EC2's (class letter, generation,
 * processor g = Graviton, a = AMD, i = Intel, d/n extras) and the burstable T families, with prices.
 */
export function syntheticCatalogue(seed = 42): Catalogue {
  const random = mulberry32(seed);
  const catalogue: Catalogue = { facts: [], prices: {} };
  for (const [cls, perVcpu, memPerVcpu] of CLASSES) {
    for (const generation of [5, 6, 7, 8]) {
      for (const [proc, procFactor, arch] of PROCESSORS) {
        for (const [variant, variantFactor] of VARIANTS) {
          if ((cls === 'x' || cls === 'z' || cls === 'i') && variant.includes('n')) continue;
          if (generation === 8 && proc !== 'g') continue;
          if (random() < 0.35) continue;
          const family = `${cls}${generation}${proc === 'i' && generation === 5 ? '' : proc}${variant}`;
          addFamilySizes(random, catalogue, {
            family,
            processor: proc,
            arch,
            generation,
            memPerVcpu,
            perVcpu,
            procFactor,
            variantFactor,
          });
        }
      }
    }
  }
  addBurstableTypes(catalogue);
  return catalogue;
}

/** The family's sizes, a seeded tenth of them missing, a newer generation dearer, ±2 % price noise. */
function addFamilySizes(random: () => number, catalogue: Catalogue, shape: FamilyShape): void {
  const { family, generation } = shape;
  const genFactor = 1 + (generation - 6) * 0.05;
  for (const [size, vcpu] of SIZES) {
    if (shape.processor === 'g' && vcpu > 64 && size !== 'metal') continue;
    if (random() < 0.1) continue;
    const type = `${family}.${size}`;
    catalogue.facts.push({
      instanceType: type,
      family,
      vcpuCount: vcpu,
      memoryGiB: vcpu * shape.memPerVcpu,
      architectures: [shape.arch],
      burstable: false,
      currentGeneration: generation >= 6,
      networkPerformance: 'Up to 12.5 Gigabit',
    });
    const jitter = 1 + (random() - 0.5) * 0.04;
    catalogue.prices[type] =
      Math.round(vcpu * shape.perVcpu * shape.procFactor * shape.variantFactor * genFactor * jitter * 1e5) /
      1e5;
  }
}

function addBurstableTypes(catalogue: Catalogue): void {
  for (const [family, arch, perVcpu] of BURSTABLE_FAMILIES) {
    for (const [size, vcpu] of BURSTABLE_SIZES) {
      const type = `${family}.${size}`;
      catalogue.facts.push({
        instanceType: type,
        family,
        vcpuCount: vcpu,
        memoryGiB: vcpu * 2,
        architectures: [arch],
        burstable: true,
        currentGeneration: true,
        networkPerformance: 'Up to 5 Gigabit',
      });
      catalogue.prices[type] = Math.round(vcpu * perVcpu * 1e5) / 1e5;
    }
  }
}
