import type { GroupSnapshot } from '../../../shared/ports/scaling-target';
import { selectInstanceTypes } from '../../../shared/usecases/select-instance-types';
import { factsFor } from '../../fakes/pricing/catalog-builders';
import { FakePriceCatalog } from '../../fakes/pricing/fake-price-catalog';
import {
  apiGroup,
  byName,
  selectionConfig as config,
  SELECTION_REGION as REGION,
  recommendationOf,
  SELECTION_PRICES,
  webGroup,
  selectionWorld as world,
} from '../../helpers/select-instance-types-world';

const a10g = [{ kind: 'gpu' as const, manufacturer: 'NVIDIA', name: 'A10G', count: 1 }];

/**
 * `api` on g5.xlarge and g5.2xlarge (one A10G each, weighted 4 and 8) and `web` on 5 r6g.large
 * (16 GiB for 2 vCPUs), with the g5 types offered and priced (us-east-1 on-demand).
 */
function hardwareWorld() {
  const mixed = apiGroup().mixedInstances as NonNullable<GroupSnapshot['mixedInstances']>;
  const w = world([
    apiGroup({
      mixedInstances: {
        ...mixed,
        overrides: [
          { instanceType: 'g5.xlarge', weightedCapacity: 4 },
          { instanceType: 'g5.2xlarge', weightedCapacity: 8 },
        ],
      },
    }),
    webGroup({ instanceTypes: ['r6g.large'] }),
  ]);
  const template = w.instanceCatalog.templates['lt-web'];
  if (!template) throw new Error('no lt-web');
  w.instanceCatalog.templates['lt-web'] = { ...template, instanceType: 'r6g.large' };
  w.instanceCatalog.facts.push(
    factsFor('g5.xlarge', { memoryGiB: 16, accelerators: a10g, instanceStorageSupported: true }),
    factsFor('g5.2xlarge', { memoryGiB: 32, accelerators: a10g, instanceStorageSupported: true }),
  );
  for (const zone of Object.values(w.instanceCatalog.offerings)) zone.push('g5.xlarge', 'g5.2xlarge');
  const prices = { ...SELECTION_PRICES, 'g5.xlarge': 1.006, 'g5.2xlarge': 1.212 };
  w.deps = { ...w.deps, pricingApi: new FakePriceCatalog({ [REGION]: prices }) };
  return w;
}

describe('selectInstanceTypes keeping what the group’s types give', () => {
  it('keeps a GPU group on its GPU model and a memory-optimized group on its memory per vCPU', async () => {
    const w = hardwareWorld();
    const result = await selectInstanceTypes(w.deps, {
      config: config({ pricing: { apply: true }, rollingUpdate: { autoStartOnInstanceTypeChange: true } }),
      region: REGION,
    });
    const api = recommendationOf(byName(result.groups, 'api'));
    // Every x86 type of the world is cheaper per vCPU, and has no GPU.
    expect(api.selection.items.map((i) => i.instanceType)).toEqual(['g5.2xlarge', 'g5.xlarge']);
    expect(api.rejected).toMatchObject({ 'missing-gpu': 5 });
    // c7g.large and the m types are cheaper, with 2 and 4 GiB per vCPU against r6g.large's 8.
    const web = byName(result.groups, 'web');
    expect(web).toMatchObject({ kind: 'unchanged' });
    expect(recommendationOf(web).rejected).toMatchObject({ 'less-memory-per-vcpu': 5 });
    for (const call of w.applier.calls) {
      const types =
        call.method === 'setMixedInstanceOverrides' ? (call.args[2] as { instanceType: string }[]) : [];
      for (const o of types) expect(o.instanceType).toMatch(/^g5\./);
      expect(call.method).not.toBe('createLaunchTemplateVersion');
    }
  });
});

describe('selectInstanceTypes and an image that has run only on Xen types', () => {
  it('keeps a group on m4 types off the Nitro types, which expose its root volume as NVMe', async () => {
    const mixed = apiGroup().mixedInstances as NonNullable<GroupSnapshot['mixedInstances']>;
    const w = world([
      apiGroup({
        mixedInstances: {
          ...mixed,
          overrides: [
            { instanceType: 'm4.large', weightedCapacity: 2 },
            { instanceType: 'm4.xlarge', weightedCapacity: 4 },
          ],
        },
        instanceTypes: ['m4.large'],
      }),
    ]);
    // DescribeInstanceTypes: every type of the world is Nitro (NVMe required), m4 is Xen.
    w.instanceCatalog.facts = w.instanceCatalog.facts.map((f) => ({
      ...f,
      enaSupport: 'required' as const,
      nvmeSupport: 'required' as const,
      hypervisor: 'nitro' as const,
    }));
    const xen = { enaSupport: 'supported', nvmeSupport: 'unsupported', hypervisor: 'xen' } as const;
    w.instanceCatalog.facts.push(factsFor('m4.large', xen), factsFor('m4.xlarge', xen));
    for (const zone of Object.values(w.instanceCatalog.offerings)) zone.push('m4.large', 'm4.xlarge');
    w.instanceCatalog.templates['lt-api'] = {
      launchTemplateId: 'lt-api',
      versionNumber: 3,
      imageArchitecture: 'x86_64',
      launchRequirements: { imageEnaSupport: true, imageVirtualizationType: 'hvm' },
    };
    const prices = { ...SELECTION_PRICES, 'm4.large': 0.111, 'm4.xlarge': 0.222 };
    w.deps = { ...w.deps, pricingApi: new FakePriceCatalog({ [REGION]: prices }) };
    const result = await selectInstanceTypes(w.deps, {
      config: config({ groups: { names: ['api'] }, pricing: { apply: true, currentGenerationOnly: false } }),
      region: REGION,
    });
    const api = recommendationOf(byName(result.groups, 'api'));
    // m5, m6i and m6a are cheaper per vCPU and launch from the AMI, but it may lack NVMe drivers.
    expect(api.rejected).toMatchObject({ 'launch-template-incompatible': 5 });
    expect(api.selection.items.map((i) => i.instanceType)).toEqual(
      expect.arrayContaining([expect.stringMatching(/^m4\./)]),
    );
    for (const i of api.selection.items) expect(i.instanceType).toMatch(/^m4\./);
    for (const call of w.applier.calls)
      for (const o of call.method === 'setMixedInstanceOverrides'
        ? (call.args[2] as { instanceType: string }[])
        : [])
        expect(o.instanceType).toMatch(/^m4\./);
  });
});
