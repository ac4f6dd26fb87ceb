import { currentTypeNeeds, unmetNeed } from '../../../../shared/core/pricing/current-type-needs';
import type { AcceleratorFacts, InstanceTypeFacts } from '../../../../shared/core/pricing/types';
import { factsFor } from '../../../fakes/pricing/catalog-builders';

const a10g = (count: number): AcceleratorFacts => ({
  kind: 'gpu',
  manufacturer: 'NVIDIA',
  name: 'A10G',
  count,
});
const t4 = (count: number): AcceleratorFacts => ({ kind: 'gpu', manufacturer: 'NVIDIA', name: 'T4', count });
const inferentia2 = (count: number): AcceleratorFacts => ({
  kind: 'neuron-device',
  name: 'Inferentia2',
  count,
});

// Shapes of the types as DescribeInstanceTypes reports them (vCPUs, GiB, devices, instance store).
const G5_XLARGE = factsFor('g5.xlarge', {
  memoryGiB: 16,
  accelerators: [a10g(1)],
  instanceStorageSupported: true,
});
const G5_2XLARGE = factsFor('g5.2xlarge', {
  memoryGiB: 32,
  accelerators: [a10g(1)],
  instanceStorageSupported: true,
});
const G5_12XLARGE = factsFor('g5.12xlarge', {
  memoryGiB: 192,
  accelerators: [a10g(4)],
  instanceStorageSupported: true,
});
const G4DN_XLARGE = factsFor('g4dn.xlarge', {
  memoryGiB: 16,
  accelerators: [t4(1)],
  instanceStorageSupported: true,
});
const INF2_XLARGE = factsFor('inf2.xlarge', { memoryGiB: 16, accelerators: [inferentia2(1)] });
const R6G_LARGE = factsFor('r6g.large', { instanceStorageSupported: false });
const R6GD_LARGE = factsFor('r6gd.large', { instanceStorageSupported: true, instanceStorageTotalGB: 118 });
const vcpus = (f: InstanceTypeFacts) => f.vcpuCount;

describe('currentTypeNeeds', () => {
  it('keeps the least memory per vCPU, each accelerator model at its least per unit, and instance storage', () => {
    expect(currentTypeNeeds([G5_XLARGE, G5_2XLARGE, G4DN_XLARGE], vcpus)).toEqual({
      minMemoryGiBPerVcpu: 4,
      accelerators: [
        { kind: 'gpu', manufacturer: 'NVIDIA', name: 'A10G', minCountPerUnit: 1 / 8 },
        { kind: 'gpu', manufacturer: 'NVIDIA', name: 'T4', minCountPerUnit: 1 / 4 },
      ],
      instanceStorage: true,
      onDemandQuotaClasses: new Set(['g-and-vt']),
    });
  });

  it('asks nothing of a group without current facts', () => {
    expect(currentTypeNeeds([], vcpus)).toEqual({ accelerators: [], instanceStorage: false });
  });
});

describe('unmetNeed', () => {
  const needOf = (...current: InstanceTypeFacts[]) => currentTypeNeeds(current, vcpus);

  it.each<[string, InstanceTypeFacts[], InstanceTypeFacts, string | undefined]>([
    ['a memory-optimized group: a compute type', [R6G_LARGE], factsFor('c7g.large'), 'less-memory-per-vcpu'],
    ['a memory-optimized group: its own kind', [R6G_LARGE], factsFor('r7g.xlarge'), undefined],
    [
      'a GPU group: a type without GPUs',
      [G5_XLARGE],
      factsFor('m6i.xlarge', { memoryGiB: 16, instanceStorageSupported: true }),
      'missing-gpu',
    ],
    ['a GPU group: another GPU model', [G5_XLARGE], G4DN_XLARGE, 'missing-gpu'],
    ['a GPU group: fewer GPUs per vCPU', [G5_XLARGE], G5_2XLARGE, 'missing-gpu'],
    ['a GPU group: as many GPUs per vCPU as the least', [G5_XLARGE, G5_2XLARGE], G5_2XLARGE, undefined],
    ['a GPU group: more GPUs per vCPU', [G5_2XLARGE], G5_XLARGE, undefined],
    ['a group over two GPU models: either one', [G5_XLARGE, G4DN_XLARGE], G4DN_XLARGE, undefined],
    ['a Neuron group: a GPU type', [INF2_XLARGE], G5_XLARGE, 'missing-neuron-device'],
    ['a Neuron group: its own', [INF2_XLARGE], INF2_XLARGE, undefined],
    ['a group with instance storage: a type without', [R6GD_LARGE], R6G_LARGE, 'missing-instance-storage'],
    [
      'a group with instance storage: a type not known to have it',
      [R6GD_LARGE],
      factsFor('r7g.large'),
      'missing-instance-storage',
    ],
    ['a group without instance storage: a type with it', [R6G_LARGE], R6GD_LARGE, undefined],
    [
      'a group without accelerators: a GPU type, under another On-Demand quota',
      [factsFor('m6i.xlarge', { memoryGiB: 16 })],
      G5_XLARGE,
      'other-on-demand-quota',
    ],
    [
      'a group without accelerators: a type of another family under the same quota',
      [factsFor('m6i.xlarge', { memoryGiB: 16 })],
      factsFor('i4i.xlarge', { memoryGiB: 32 }),
      undefined,
    ],
  ])('%s', (_case, current, candidate, reason) => {
    expect(unmetNeed(candidate, candidate.vcpuCount, needOf(...current))).toBe(reason);
  });

  it('measures accelerators per capacity unit as the selection counts them', () => {
    // Weighted by benchmark: one g5.2xlarge serves like four g5.xlarge, so it gives less GPU per unit.
    const weights: Record<string, number> = { 'g5.xlarge': 1, 'g5.2xlarge': 4 };
    const needs = currentTypeNeeds([G5_XLARGE], (f) => weights[f.instanceType]);
    expect(unmetNeed(G5_2XLARGE, 4, needs)).toBe('missing-gpu');
    expect(unmetNeed(G5_12XLARGE, 4, needs)).toBeUndefined();
  });
});
