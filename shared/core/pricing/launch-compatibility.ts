import type { InstanceTypeFacts, LaunchRequirements } from './types';

/**
 * Why EC2 would refuse to launch `facts`' type from the group's launch template and image, beyond
 * the architecture (checked on its own), or undefined when nothing known stands in the way. Each
 * rule is one RunInstances refuses (or an instance cannot boot under), from facts DescribeImages
 * and DescribeInstanceTypes report; an unknown fact never rejects, except a type's EFA support
 * and network maxima when the template asks for them (below), and an image's ENA support:
 * `launchRequirementsOf` reads it as not enabled unless DescribeImages says `EnaSupport: true`,
 * corrected by the types the group already runs:
 * - ENA: an AMI not enabled for ENA on a type that requires it ("InvalidParameterCombination:
 *   Enhanced networking with the Elastic Network Adapter (ENA) is required for the 'c5.large'
 *   instance type. Ensure that you are using an AMI that is enabled for ENA.").
 * - NVMe: an image not proven to boot on NVMe (`imageBootsNvme: false`, set by
 *   `observedLaunchRequirements` when the group runs only types without NVMe) on a type whose
 *   `EbsInfo.NvmeSupport` is `required`. EC2 launches it, but "EBS volumes are exposed as NVMe
 *   block devices on instances built on the Nitro System" and an image without NVMe drivers
 *   cannot find its root volume: the instance never becomes healthy.
 * - Boot mode: an AMI whose boot mode is `uefi` (or `legacy-bios`) on a type that does not support
 *   it ("When the boot mode parameter is set to uefi, EC2 attempts to launch the instance on
 *   UEFI"; "you must choose an instance type that supports UEFI", EC2 user guide, boot modes);
 *   `uefi-preferred` boots on either.
 * - Virtualization: a paravirtual AMI on a type that supports only HVM.
 * - EBS optimization: a template with `EbsOptimized: true` on a type whose EBS optimization is
 *   `unsupported` ("Unsupported: EBS-optimized instances are not supported for your requested
 *   configuration").
 * - CPU options: a template's `CpuOptions` core count or threads per core outside the type's
 *   `ValidCores`/`ValidThreadsPerCore` ("The valid number of cores that can be configured for the
 *   instance type", EC2 API reference, VCpuInfo); `AmdSevSnp` enabled on a type whose
 *   `ProcessorInfo.SupportedFeatures` lacks `amd-sev-snp` ("If the request returns amd-sev-snp, AMD
 *   SEV-SNP is supported. Otherwise, it is not supported").
 * - Network interfaces (`networkIncompatibility`): an `efa`/`efa-only` interface on a type whose
 *   `EfaSupported` is not `true`, more interfaces than `MaximumNetworkInterfaces`, a
 *   `NetworkCardIndex` beyond `MaximumNetworkCards`. What the template asks for is proven here, not
 *   assumed: unknown EFA support rejects an EFA template, an unknown maximum counts as one.
 */
export function launchIncompatibility(
  facts: InstanceTypeFacts,
  launch: LaunchRequirements | undefined,
): string | undefined {
  if (!launch) return undefined;
  const type = facts.instanceType;
  if (launch.imageEnaSupport === false && facts.enaSupport === 'required') {
    return `${type} requires ENA and the AMI is not enabled for ENA`;
  }
  if (launch.imageBootsNvme === false && facts.nvmeSupport === 'required') {
    const hypervisor = facts.hypervisor ? ` (${facts.hypervisor})` : '';
    return `${type}${hypervisor} exposes EBS volumes as NVMe devices and the image has run only on types without NVMe, so it may have no NVMe driver`;
  }
  const bootMode = launch.imageBootMode;
  if (
    (bootMode === 'uefi' || bootMode === 'legacy-bios') &&
    facts.supportedBootModes &&
    !facts.supportedBootModes.includes(bootMode)
  ) {
    return `${type} boots ${facts.supportedBootModes.join('/') || 'no mode'}, the AMI boots ${bootMode}`;
  }
  const virtualization = launch.imageVirtualizationType;
  if (
    virtualization &&
    facts.supportedVirtualizationTypes &&
    !facts.supportedVirtualizationTypes.includes(virtualization)
  ) {
    return `${type} does not run ${virtualization} AMIs`;
  }
  if (launch.ebsOptimized === true && facts.ebsOptimizedSupport === 'unsupported') {
    return `${type} is not EBS-optimized and the launch template asks for EBS optimization`;
  }
  return cpuOptionsIncompatibility(facts, launch) ?? networkIncompatibility(facts, launch);
}

/** Why the template's network interfaces cannot be attached to the type, or undefined. */
function networkIncompatibility(facts: InstanceTypeFacts, launch: LaunchRequirements): string | undefined {
  const type = facts.instanceType;
  const efa = launch.efaNetworkInterface;
  if (efa !== undefined && facts.efaSupported !== true) {
    const verb = facts.efaSupported === false ? 'does not support' : 'is not known to support';
    return `${type} ${verb} EFA, which the launch template's network interface ${efa} asks for`;
  }
  const interfaces = launch.networkInterfaceCount ?? 0;
  const maxInterfaces = facts.maximumNetworkInterfaces ?? 1;
  if (interfaces > maxInterfaces) {
    return `${type} takes at most ${maxInterfaces} network interfaces, the launch template lists ${interfaces}`;
  }
  const card = launch.maxNetworkCardIndex ?? 0;
  const cards = facts.maximumNetworkCards ?? 1;
  if (card >= cards) {
    return `${type} has ${cards} network card(s), the launch template's network interfaces use card index ${card}`;
  }
  return undefined;
}

/** Why the template's CPU options are not valid for the type, or undefined. */
function cpuOptionsIncompatibility(facts: InstanceTypeFacts, launch: LaunchRequirements): string | undefined {
  const { cpuCoreCount: cores, cpuThreadsPerCore: threads } = launch;
  if (cores !== undefined && facts.validCores && !facts.validCores.includes(cores)) {
    return `${facts.instanceType} cannot be configured with ${cores} cores (the template's CPU options)`;
  }
  if (threads !== undefined && facts.validThreadsPerCore && !facts.validThreadsPerCore.includes(threads)) {
    return `${facts.instanceType} cannot be configured with ${threads} threads per core (the template's CPU options)`;
  }
  if (launch.amdSevSnp && !facts.processorFeatures?.includes('amd-sev-snp')) {
    return `${facts.instanceType} does not support AMD SEV-SNP, which the launch template's CPU options enable`;
  }
  return undefined;
}

/**
 * The launch requirements, corrected and completed by what the group runs today (`currentTypes`:
 * the types launching from the template whose image this is, not those with a template of their
 * own):
 * - ENA: an image not reported as enabled for ENA (`EnaSupport` false or absent) that already
 *   boots a type requiring ENA is enabled for it after all.
 * - NVMe: EC2 reports no NVMe driver of an image, so whether it boots with its EBS root volume as
 *   an NVMe device is proven only by running it on a type whose `NvmeSupport` is `required`
 *   (`imageBootsNvme: true`); when every current type is known not to require NVMe (the Xen
 *   m4/c4/r4 kind), it is unproven (`false`); a current type of unknown NVMe support leaves it
 *   unknown. `supported` proves nothing: such a type may attach the volume another way.
 * Undefined `launch` (nothing known of the template) stays undefined.
 */
export function observedLaunchRequirements(
  launch: LaunchRequirements | undefined,
  currentTypes: readonly string[],
  facts: ReadonlyMap<string, InstanceTypeFacts>,
): LaunchRequirements | undefined {
  if (!launch) return launch;
  const current = currentTypes.map((t) => facts.get(t)?.nvmeSupport);
  const bootsNvme = current.includes('required')
    ? true
    : current.length > 0 && current.every((n) => n === 'unsupported' || n === 'supported')
      ? false
      : undefined;
  const runsEna =
    launch.imageEnaSupport === false && currentTypes.some((t) => facts.get(t)?.enaSupport === 'required');
  return {
    ...launch,
    ...(runsEna ? { imageEnaSupport: true } : {}),
    ...(bootsNvme !== undefined ? { imageBootsNvme: bootsNvme } : {}),
  };
}
