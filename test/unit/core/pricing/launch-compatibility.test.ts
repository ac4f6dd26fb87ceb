import { checkApplicable } from '../../../../shared/core/pricing/check-applicable';
import { filterCandidates } from '../../../../shared/core/pricing/filter-candidates';
import {
  launchIncompatibility,
  observedLaunchRequirements,
} from '../../../../shared/core/pricing/launch-compatibility';
import { selectSingleType } from '../../../../shared/core/pricing/select-single-type';
import type { InstanceTypeFacts, LaunchRequirements } from '../../../../shared/core/pricing/types';
import { DEFAULT_REQUIREMENTS, factsFor } from '../../../fakes/pricing/catalog-builders';

/** A Nitro type as DescribeInstanceTypes reports one: ENA required, UEFI and legacy BIOS, HVM only. */
const nitro = (type: string, extra: Partial<InstanceTypeFacts> = {}) =>
  factsFor(type, {
    enaSupport: 'required',
    supportedBootModes: ['legacy-bios', 'uefi'],
    supportedVirtualizationTypes: ['hvm'],
    ebsOptimizedSupport: 'default',
    nvmeSupport: 'required',
    hypervisor: 'nitro',
    ...extra,
  });
/** A Xen type of the old kind: no ENA, legacy BIOS only, both virtualizations, EBS optimization off. */
const xen = (type: string) =>
  factsFor(type, {
    enaSupport: 'unsupported',
    supportedBootModes: ['legacy-bios'],
    supportedVirtualizationTypes: ['hvm', 'paravirtual'],
    ebsOptimizedSupport: 'unsupported',
    nvmeSupport: 'unsupported',
    hypervisor: 'xen',
  });

describe('launchIncompatibility', () => {
  it.each<[string, InstanceTypeFacts, LaunchRequirements, RegExp]>([
    [
      'an AMI without ENA on a type requiring it',
      nitro('m5.large'),
      { imageEnaSupport: false },
      /requires ENA/,
    ],
    [
      'a UEFI AMI on a legacy-BIOS type',
      xen('t2.large'),
      { imageBootMode: 'uefi' },
      /boots legacy-bios, the AMI boots uefi/,
    ],
    [
      'a legacy-BIOS AMI on a UEFI-only type',
      nitro('m7g.large', { supportedBootModes: ['uefi'] }),
      { imageBootMode: 'legacy-bios' },
      /boots uefi/,
    ],
    [
      'a paravirtual AMI on an HVM-only type',
      nitro('m5.large'),
      { imageVirtualizationType: 'paravirtual' },
      /paravirtual/,
    ],
    ['EBS optimization asked of a type without it', xen('t2.large'), { ebsOptimized: true }, /EBS-optimized/],
    [
      'a core count the type cannot be configured with',
      nitro('m5.large', { validCores: [1] }),
      { cpuCoreCount: 2 },
      /m5\.large cannot be configured with 2 cores/,
    ],
    [
      'two threads per core on a type with one',
      nitro('m7g.large', { validCores: [1, 2], validThreadsPerCore: [1] }),
      { cpuCoreCount: 2, cpuThreadsPerCore: 2 },
      /2 threads per core/,
    ],
    [
      'an EFA interface on a type without EFA',
      nitro('m6a.32xlarge', { efaSupported: false }),
      { efaNetworkInterface: 0 },
      /^m6a\.32xlarge does not support EFA, which the launch template's network interface 0 asks for$/,
    ],
    [
      'an EFA interface on a type whose EFA support EC2 did not report',
      nitro('m6a.32xlarge'),
      { efaNetworkInterface: 1, networkInterfaceCount: 2 },
      /m6a\.32xlarge is not known to support EFA, which the launch template's network interface 1 asks for/,
    ],
    [
      'AMD SEV-SNP on a type without it',
      nitro('m7i.large'),
      { amdSevSnp: true },
      /m7i\.large does not support AMD SEV-SNP, which the launch template's CPU options enable/,
    ],
    [
      'more network interfaces than the type takes',
      nitro('t3.nano', { maximumNetworkInterfaces: 2 }),
      { networkInterfaceCount: 3 },
      /t3\.nano takes at most 2 network interfaces, the launch template lists 3/,
    ],
    [
      'two network interfaces on a type whose maximum EC2 did not report',
      nitro('m5.large'),
      { networkInterfaceCount: 2 },
      /m5\.large takes at most 1 network interfaces/,
    ],
    [
      'a network card index the type does not have',
      nitro('m5.large', { maximumNetworkInterfaces: 3, maximumNetworkCards: 1 }),
      { networkInterfaceCount: 2, maxNetworkCardIndex: 1 },
      /m5\.large has 1 network card\(s\), the launch template's network interfaces use card index 1/,
    ],
  ])('refuses %s', (_, facts, launch, why) => {
    expect(launchIncompatibility(facts, launch)).toMatch(why);
  });

  it.each<[string, InstanceTypeFacts, LaunchRequirements | undefined]>([
    ['an ENA AMI on a type requiring ENA', nitro('m5.large'), { imageEnaSupport: true }],
    ['an AMI without ENA on a type without it', xen('t2.large'), { imageEnaSupport: false }],
    ['a uefi-preferred AMI on a legacy-BIOS type', xen('t2.large'), { imageBootMode: 'uefi-preferred' }],
    ['EBS optimization on a type optimized by default', nitro('m5.large'), { ebsOptimized: true }],
    ['EBS optimization left off on a type without it', xen('t2.large'), { ebsOptimized: false }],
    [
      'facts EC2 did not report',
      factsFor('m5.large'),
      { imageEnaSupport: false, imageBootMode: 'uefi', ebsOptimized: true },
    ],
    ['nothing known of the template', nitro('m5.large'), undefined],
    [
      'CPU options the type can be configured with',
      nitro('m5.xlarge', { validCores: [2], validThreadsPerCore: [1, 2] }),
      { cpuCoreCount: 2, cpuThreadsPerCore: 1 },
    ],
    [
      'an EFA interface on a type with EFA',
      nitro('c6in.32xlarge', { efaSupported: true, maximumNetworkInterfaces: 16, maximumNetworkCards: 2 }),
      { efaNetworkInterface: 0, networkInterfaceCount: 2, maxNetworkCardIndex: 1 },
    ],
    [
      'AMD SEV-SNP on a type that supports it',
      nitro('m6a.large', { processorFeatures: ['amd-sev-snp'] }),
      { amdSevSnp: true },
    ],
    [
      'one network interface on a type whose maximum EC2 did not report',
      nitro('m5.large'),
      { networkInterfaceCount: 1 },
    ],
  ])('allows %s', (_, facts, launch) => {
    expect(launchIncompatibility(facts, launch)).toBeUndefined();
  });
});

describe('launch requirements in selection', () => {
  it('rejects types the template cannot launch, counted under launch-template-incompatible', () => {
    const { candidates, rejected } = filterCandidates({
      facts: [nitro('m5.large'), nitro('c5.large', { memoryGiB: 4 }), xen('m4.large')],
      onDemandHourlyUsd: { 'm5.large': 0.096, 'c5.large': 0.085, 'm4.large': 0.1 },
      offeredInEveryZone: new Set(['m5.large', 'c5.large', 'm4.large']),
      architecture: 'x86_64',
      launchRequirements: { imageEnaSupport: false },
      requirements: { ...DEFAULT_REQUIREMENTS, currentGenerationOnly: false },
    });
    expect(candidates.map((c) => c.instanceType)).toEqual(['m4.large']);
    expect(rejected).toEqual({ 'launch-template-incompatible': 2 });
  });

  it('never picks a cheaper type without EFA for a template with an EFA interface', () => {
    const efa = { efaSupported: true, maximumNetworkInterfaces: 15 };
    const { candidates, rejected } = filterCandidates({
      facts: [
        nitro('m6a.32xlarge', { vcpuCount: 128, efaSupported: false, maximumNetworkInterfaces: 15 }),
        nitro('m6i.32xlarge', { vcpuCount: 128, ...efa }),
      ],
      onDemandHourlyUsd: { 'm6a.32xlarge': 5.53, 'm6i.32xlarge': 6.14 },
      offeredInEveryZone: new Set(['m6a.32xlarge', 'm6i.32xlarge']),
      architecture: 'x86_64',
      launchRequirements: { efaNetworkInterface: 0, networkInterfaceCount: 1 },
      requirements: DEFAULT_REQUIREMENTS,
    });
    expect(rejected).toEqual({ 'launch-template-incompatible': 1 });
    const choice = selectSingleType(candidates, 256);
    expect(choice).toMatchObject({
      kind: 'selected',
      selection: { items: [{ instanceType: 'm6i.32xlarge' }] },
    });
  });

  it('fails the pre-apply check of a type without EFA for a template with an EFA interface', () => {
    const check = checkApplicable({
      instanceTypes: ['m6a.32xlarge'],
      zones: ['eu-west-1a'],
      offeredInEveryZone: new Set(['m6a.32xlarge']),
      architecture: 'x86_64',
      facts: new Map([['m6a.32xlarge', nitro('m6a.32xlarge', { efaSupported: false })]]),
      launchRequirements: { efaNetworkInterface: 0, networkInterfaceCount: 1 },
    });
    expect(check).toEqual({
      kind: 'unsafe',
      reasons: [
        "m6a.32xlarge does not support EFA, which the launch template's network interface 0 asks for",
      ],
    });
  });

  it('fails the pre-apply check of such a type', () => {
    const check = checkApplicable({
      instanceTypes: ['m5.large'],
      zones: ['eu-west-1a'],
      offeredInEveryZone: new Set(['m5.large']),
      architecture: 'x86_64',
      facts: new Map([['m5.large', nitro('m5.large')]]),
      launchRequirements: { imageEnaSupport: false },
    });
    expect(check).toEqual({ kind: 'unsafe', reasons: [expect.stringMatching(/m5\.large requires ENA/)] });
  });

  it('takes an image reported without ENA as enabled when the group already runs a type requiring it', () => {
    const facts = new Map([
      ['m5.large', nitro('m5.large')],
      ['m4.large', xen('m4.large')],
    ]);
    expect(observedLaunchRequirements({ imageEnaSupport: false }, ['m5.large'], facts)).toEqual({
      imageEnaSupport: true,
      imageBootsNvme: true,
    });
    expect(observedLaunchRequirements({ imageEnaSupport: false }, ['m4.large'], facts)).toEqual({
      imageEnaSupport: false,
      imageBootsNvme: false,
    });
    expect(observedLaunchRequirements(undefined, ['m5.large'], facts)).toBeUndefined();
  });

  it('rejects a type requiring NVMe for a group whose image has run only on Xen types', () => {
    // A group on m4.large whose image is enabled for ENA: m6a.large launches, but its root volume
    // is an NVMe device the image may have no driver for.
    const facts = new Map([
      ['m4.large', xen('m4.large')],
      ['m6a.large', nitro('m6a.large')],
    ]);
    const launch = observedLaunchRequirements(
      { imageEnaSupport: true, imageVirtualizationType: 'hvm' },
      ['m4.large'],
      facts,
    );
    const { candidates, rejected } = filterCandidates({
      facts: [...facts.values()],
      onDemandHourlyUsd: { 'm4.large': 0.1, 'm6a.large': 0.0864 },
      offeredInEveryZone: new Set(facts.keys()),
      architecture: 'x86_64',
      ...(launch ? { launchRequirements: launch } : {}),
      requirements: { ...DEFAULT_REQUIREMENTS, currentGenerationOnly: false },
    });
    expect(candidates.map((c) => c.instanceType)).toEqual(['m4.large']);
    expect(rejected).toEqual({ 'launch-template-incompatible': 1 });
    expect(launchIncompatibility(nitro('m6a.large'), launch)).toBe(
      'm6a.large (nitro) exposes EBS volumes as NVMe devices and the image has run only on types without NVMe, so it may have no NVMe driver',
    );
  });

  it('takes an image as booting on NVMe once the group runs a type requiring NVMe', () => {
    const facts = new Map([
      ['m4.large', xen('m4.large')],
      ['m5.large', nitro('m5.large')],
      ['m9.large', factsFor('m9.large')],
    ]);
    expect(observedLaunchRequirements({}, ['m4.large', 'm5.large'], facts)).toEqual({ imageBootsNvme: true });
    expect(observedLaunchRequirements({}, ['m4.large'], facts)).toEqual({ imageBootsNvme: false });
    // A current type whose NVMe support is unknown proves nothing either way.
    expect(observedLaunchRequirements({}, ['m4.large', 'm9.large'], facts)).toEqual({});
    expect(observedLaunchRequirements({}, [], facts)).toEqual({});
    expect(launchIncompatibility(nitro('m6a.large'), { imageBootsNvme: true })).toBeUndefined();
    expect(launchIncompatibility(factsFor('m6a.large'), { imageBootsNvme: false })).toBeUndefined();
  });

  it('fails the pre-apply check of a type requiring NVMe for an image run only on Xen types', () => {
    const check = checkApplicable({
      instanceTypes: ['m6a.large'],
      zones: ['eu-west-1a'],
      offeredInEveryZone: new Set(['m6a.large']),
      architecture: 'x86_64',
      facts: new Map([['m6a.large', nitro('m6a.large')]]),
      launchRequirements: { imageEnaSupport: true, imageBootsNvme: false },
    });
    expect(check).toEqual({
      kind: 'unsafe',
      reasons: [expect.stringMatching(/m6a\.large \(nitro\) exposes EBS volumes as NVMe/)],
    });
  });
});
