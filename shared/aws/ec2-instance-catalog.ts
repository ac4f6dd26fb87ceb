import {
  DescribeImagesCommand,
  DescribeInstanceTypeOfferingsCommand,
  DescribeInstanceTypesCommand,
  DescribeLaunchTemplateVersionsCommand,
  type EC2Client,
  type InstanceTypeInfo,
  type LaunchTemplateVersion,
  type ResponseLaunchTemplateData,
} from '@aws-sdk/client-ec2';
import type {
  AcceleratorFacts,
  AcceleratorKind,
  CpuArchitecture,
  InstanceTypeFacts,
  LaunchRequirements,
} from '../core/pricing/types';
import { ResourceNotFoundError } from '../ports/errors';
import {
  type InstanceCatalog,
  LAUNCH_TEMPLATE_VERSION,
  type LaunchTemplateFacts,
} from '../ports/instance-catalog';
import { translateEc2Error } from './ec2-error-translation';

const ARCHITECTURES: ReadonlySet<string> = new Set(['x86_64', 'arm64', 'i386', 'x86_64_mac', 'arm64_mac']);
/**
 * Zones per DescribeInstanceTypeOfferings call. The API reference states no limit on a filter's
 * values; a group spans a region's few zones, so this only bounds a request, it is no AWS quota.
 */
const ZONES_PER_CALL = 200;
const MAX_PAGES = 100;

const isArchitecture = (value: string | undefined): value is CpuArchitecture =>
  value !== undefined && ARCHITECTURES.has(value);

/** A device list entry of GpuInfo, InferenceAcceleratorInfo, NeuronInfo or FpgaInfo. */
interface DeviceInfo {
  readonly Name?: string | undefined;
  readonly Manufacturer?: string | undefined;
  readonly Count?: number | undefined;
}

/** The type's accelerators; a device without a count is left out (it names no device). */
function acceleratorsOf(info: InstanceTypeInfo): AcceleratorFacts[] {
  const lists: [AcceleratorKind, readonly DeviceInfo[] | undefined][] = [
    ['gpu', info.GpuInfo?.Gpus],
    ['inference-accelerator', info.InferenceAcceleratorInfo?.Accelerators],
    ['neuron-device', info.NeuronInfo?.NeuronDevices],
    ['fpga', info.FpgaInfo?.Fpgas],
  ];
  return lists.flatMap(([kind, devices]) =>
    (devices ?? []).flatMap((d) =>
      d.Count !== undefined && d.Count > 0
        ? [
            {
              kind,
              ...(d.Manufacturer ? { manufacturer: d.Manufacturer } : {}),
              // An unnamed model still counts: it matches only another unnamed one.
              name: d.Name ?? 'unnamed',
              count: d.Count,
            },
          ]
        : [],
    ),
  );
}

/** Maps one DescribeInstanceTypes entry; undefined when it lacks a name or vCPU count. */
export function instanceTypeFactsOf(info: InstanceTypeInfo): InstanceTypeFacts | undefined {
  const instanceType = info.InstanceType;
  const vcpuCount = info.VCpuInfo?.DefaultVCpus;
  if (!instanceType || !vcpuCount) return undefined;
  const accelerators = acceleratorsOf(info);
  return {
    instanceType,
    family: instanceType.split('.')[0] ?? instanceType,
    vcpuCount,
    memoryGiB: (info.MemoryInfo?.SizeInMiB ?? 0) / 1024,
    architectures: (info.ProcessorInfo?.SupportedArchitectures ?? []).filter(isArchitecture),
    burstable: info.BurstablePerformanceSupported === true,
    currentGeneration: info.CurrentGeneration === true,
    networkPerformance: info.NetworkInfo?.NetworkPerformance ?? 'unknown',
    ...(info.NetworkInfo?.EnaSupport ? { enaSupport: info.NetworkInfo.EnaSupport } : {}),
    ...(info.SupportedBootModes ? { supportedBootModes: info.SupportedBootModes } : {}),
    ...(info.SupportedVirtualizationTypes
      ? { supportedVirtualizationTypes: info.SupportedVirtualizationTypes }
      : {}),
    ...(info.EbsInfo?.EbsOptimizedSupport ? { ebsOptimizedSupport: info.EbsInfo.EbsOptimizedSupport } : {}),
    ...(info.EbsInfo?.NvmeSupport ? { nvmeSupport: info.EbsInfo.NvmeSupport } : {}),
    ...(info.Hypervisor ? { hypervisor: info.Hypervisor } : {}),
    ...(info.VCpuInfo?.ValidCores ? { validCores: info.VCpuInfo.ValidCores } : {}),
    ...(info.VCpuInfo?.ValidThreadsPerCore ? { validThreadsPerCore: info.VCpuInfo.ValidThreadsPerCore } : {}),
    ...(accelerators.length > 0 ? { accelerators } : {}),
    ...(info.InstanceStorageSupported !== undefined
      ? { instanceStorageSupported: info.InstanceStorageSupported }
      : {}),
    ...(info.InstanceStorageInfo?.TotalSizeInGB !== undefined
      ? { instanceStorageTotalGB: info.InstanceStorageInfo.TotalSizeInGB }
      : {}),
    ...networkFactsOf(info.NetworkInfo),
    ...(info.ProcessorInfo?.SupportedFeatures?.length
      ? { processorFeatures: info.ProcessorInfo.SupportedFeatures }
      : {}),
  };
}

/** `NetworkInfo`'s EFA support and interface and card maxima, each left out when EC2 omits it. */
function networkFactsOf(network: InstanceTypeInfo['NetworkInfo']) {
  return {
    ...(network?.EfaSupported !== undefined ? { efaSupported: network.EfaSupported } : {}),
    ...(network?.MaximumNetworkInterfaces !== undefined
      ? { maximumNetworkInterfaces: network.MaximumNetworkInterfaces }
      : {}),
    ...(network?.MaximumNetworkCards !== undefined
      ? { maximumNetworkCards: network.MaximumNetworkCards }
      : {}),
  };
}

/**
 * What the template's `NetworkInterfaces` ask of a type: how many, the highest `NetworkCardIndex`
 * above 0, the position of the first `efa` or `efa-only` interface.
 */
function networkRequirementsOf(interfaces: ResponseLaunchTemplateData['NetworkInterfaces']) {
  if (!interfaces?.length) return {};
  const card = Math.max(...interfaces.map((n) => n.NetworkCardIndex ?? 0));
  const efa = interfaces.findIndex((n) => n.InterfaceType === 'efa' || n.InterfaceType === 'efa-only');
  return {
    networkInterfaceCount: interfaces.length,
    ...(card > 0 ? { maxNetworkCardIndex: card } : {}),
    ...(efa >= 0 ? { efaNetworkInterface: efa } : {}),
  };
}

/**
 * What a template (its EBS optimization, `CpuOptions`, `NetworkInterfaces`) and its image
 * (DescribeImages' `Image`) ask of an instance type. An image whose
 * `EnaSupport` ("Specifies whether enhanced networking with ENA is enabled") is not `true` counts
 * as not enabled; `observedLaunchRequirements` corrects that when the group already runs a type
 * that requires ENA.
 */
export function launchRequirementsOf(
  data: Pick<ResponseLaunchTemplateData, 'EbsOptimized' | 'CpuOptions' | 'NetworkInterfaces'>,
  image?: { EnaSupport?: boolean; BootMode?: string; VirtualizationType?: string },
): LaunchRequirements {
  const { EbsOptimized: ebsOptimized, CpuOptions: cpu } = data;
  return {
    ...(ebsOptimized !== undefined ? { ebsOptimized } : {}),
    ...(cpu?.CoreCount !== undefined ? { cpuCoreCount: cpu.CoreCount } : {}),
    ...(cpu?.ThreadsPerCore !== undefined ? { cpuThreadsPerCore: cpu.ThreadsPerCore } : {}),
    ...(cpu?.AmdSevSnp === 'enabled' ? { amdSevSnp: true } : {}),
    ...networkRequirementsOf(data.NetworkInterfaces),
    ...(image ? { imageEnaSupport: image.EnaSupport === true } : {}),
    ...(image?.BootMode ? { imageBootMode: image.BootMode } : {}),
    ...(image?.VirtualizationType ? { imageVirtualizationType: image.VirtualizationType } : {}),
  };
}

/** `typeBoundSettingsOf` as `LaunchTemplateFacts` carries it: absent when there is none. */
const typeBound = (data: ResponseLaunchTemplateData) => {
  const settings = typeBoundSettingsOf(data);
  return settings.length > 0 ? { typeBoundSettings: settings } : {};
};

/**
 * The template's settings that tie its instances to something the selection does not price or
 * check per type (`LaunchTemplateFacts.typeBoundSettings`), as EC2's `ResponseLaunchTemplateData`
 * states them: Spot market options, a capacity reservation targeted or required, a tenancy other
 * than `default`, hibernation, Nitro Enclaves.
 */
export function typeBoundSettingsOf(
  data: Pick<
    ResponseLaunchTemplateData,
    | 'InstanceMarketOptions'
    | 'CapacityReservationSpecification'
    | 'Placement'
    | 'HibernationOptions'
    | 'EnclaveOptions'
  >,
): string[] {
  const reservation = data.CapacityReservationSpecification;
  const tenancy = data.Placement?.Tenancy;
  return [
    ...(data.InstanceMarketOptions?.MarketType
      ? [`InstanceMarketOptions ${data.InstanceMarketOptions.MarketType}`]
      : []),
    ...(reservation?.CapacityReservationTarget
      ? ['a CapacityReservationTarget (a reservation is for one type)']
      : []),
    ...(reservation?.CapacityReservationPreference &&
    reservation.CapacityReservationPreference !== 'open' &&
    reservation.CapacityReservationPreference !== 'none'
      ? [`CapacityReservationPreference ${reservation.CapacityReservationPreference}`]
      : []),
    ...(tenancy && tenancy !== 'default'
      ? [`Placement.Tenancy ${tenancy} (prices are for shared tenancy)`]
      : []),
    ...(data.HibernationOptions?.Configured
      ? ['HibernationOptions.Configured (not every type hibernates)']
      : []),
    ...(data.EnclaveOptions?.Enabled ? ['EnclaveOptions.Enabled (not every type runs Nitro Enclaves)'] : []),
  ];
}

/** `InstanceCatalog` on the EC2 API of the Lambda's region. */
export class Ec2InstanceCatalog implements InstanceCatalog {
  constructor(private readonly client: EC2Client) {}

  async instanceTypes(): Promise<InstanceTypeFacts[]> {
    const facts: InstanceTypeFacts[] = [];
    let NextToken: string | undefined;
    let pages = 0;
    try {
      do {
        const out = await this.client.send(
          new DescribeInstanceTypesCommand({ MaxResults: 100, ...(NextToken ? { NextToken } : {}) }),
        );
        for (const info of out.InstanceTypes ?? []) {
          const f = instanceTypeFactsOf(info);
          if (f) facts.push(f);
        }
        NextToken = out.NextToken;
        pages++;
      } while (NextToken && pages < MAX_PAGES);
    } catch (error) {
      throw translateEc2Error(error, 'DescribeInstanceTypes');
    }
    return facts.sort((a, b) => (a.instanceType < b.instanceType ? -1 : 1));
  }

  async typesOfferedInEveryZone(zones: readonly string[]): Promise<ReadonlySet<string>> {
    const wanted = [...new Set(zones)];
    if (wanted.length === 0) return new Set();
    const typesByZone = new Map<string, Set<string>>(wanted.map((z) => [z, new Set<string>()]));
    try {
      for (let i = 0; i < wanted.length; i += ZONES_PER_CALL) {
        let NextToken: string | undefined;
        let pages = 0;
        do {
          const out = await this.client.send(
            new DescribeInstanceTypeOfferingsCommand({
              LocationType: 'availability-zone',
              Filters: [{ Name: 'location', Values: wanted.slice(i, i + ZONES_PER_CALL) }],
              MaxResults: 1000,
              ...(NextToken ? { NextToken } : {}),
            }),
          );
          for (const o of out.InstanceTypeOfferings ?? []) {
            if (o.InstanceType && o.Location) typesByZone.get(o.Location)?.add(o.InstanceType);
          }
          NextToken = out.NextToken;
          pages++;
        } while (NextToken && pages < MAX_PAGES);
      }
    } catch (error) {
      throw translateEc2Error(error, 'DescribeInstanceTypeOfferings');
    }
    const [first, ...rest] = [...typesByZone.values()];
    return new Set([...(first ?? [])].filter((t) => rest.every((zone) => zone.has(t))));
  }

  async launchTemplate(launchTemplateId: string, version: string): Promise<LaunchTemplateFacts> {
    const resource = { type: LAUNCH_TEMPLATE_VERSION, id: `${launchTemplateId}:${version}` };
    let found: LaunchTemplateVersion | undefined;
    try {
      const out = await this.client.send(
        new DescribeLaunchTemplateVersionsCommand({
          LaunchTemplateId: launchTemplateId,
          Versions: [version],
        }),
      );
      found = out.LaunchTemplateVersions?.[0];
    } catch (error) {
      throw translateEc2Error(error, 'DescribeLaunchTemplateVersions', resource);
    }
    if (!found || found.VersionNumber === undefined)
      throw new ResourceNotFoundError(resource.type, resource.id);
    const data = found.LaunchTemplateData ?? {};
    const imageId = data.ImageId;
    const facts: LaunchTemplateFacts = {
      launchTemplateId,
      versionNumber: found.VersionNumber,
      ...(data.InstanceType ? { instanceType: data.InstanceType } : {}),
      ...(imageId ? { imageId } : {}),
      launchRequirements: launchRequirementsOf(data),
      ...typeBound(data),
    };
    // `resolve:ssm:` image ids are resolved at launch; their architecture is inferred by the caller.
    if (!imageId?.startsWith('ami-')) return facts;
    try {
      const out = await this.client.send(new DescribeImagesCommand({ ImageIds: [imageId] }));
      const image = out.Images?.[0];
      if (!image) throw new ResourceNotFoundError('image', imageId);
      const architecture = image.Architecture;
      return {
        ...facts,
        ...(isArchitecture(architecture) ? { imageArchitecture: architecture } : {}),
        launchRequirements: launchRequirementsOf(data, image),
        ...(image.PlatformDetails
          ? {
              imageBilling: {
                platformDetails: image.PlatformDetails,
                ...(image.UsageOperation ? { usageOperation: image.UsageOperation } : {}),
              },
            }
          : {}),
      };
    } catch (error) {
      throw translateEc2Error(error, 'DescribeImages', { type: 'image', id: imageId });
    }
  }
}
