/**
 * Domain types of instance-type selection: what an instance type is, what it costs, what the user
 * requires, and what a selection is. Every number carries its unit in its name.
 */

/** Processor architectures as EC2 names them (an AMI has exactly one, an instance type one or more). */
export type CpuArchitecture = 'x86_64' | 'arm64' | 'i386' | 'x86_64_mac' | 'arm64_mac';

/** The facts about one instance type that selection needs (from EC2 DescribeInstanceTypes). */
export interface InstanceTypeFacts {
  readonly instanceType: string;
  /** The part before the dot: `m7g` for `m7g.large`. */
  readonly family: string;
  readonly vcpuCount: number;
  readonly memoryGiB: number;
  readonly architectures: readonly CpuArchitecture[];
  /** T-family credit-based instances. */
  readonly burstable: boolean;
  readonly currentGeneration: boolean;
  /** As EC2 reports it, e.g. `Up to 12.5 Gigabit`; informational. */
  readonly networkPerformance: string;
  /** `NetworkInfo.EnaSupport`: `required` types launch only from an AMI enabled for ENA. Absent: unknown. */
  readonly enaSupport?: 'unsupported' | 'supported' | 'required';
  /** `SupportedBootModes` (`legacy-bios`, `uefi`). Absent: unknown. */
  readonly supportedBootModes?: readonly string[];
  /** `SupportedVirtualizationTypes` (`hvm`, `paravirtual`). Absent: unknown. */
  readonly supportedVirtualizationTypes?: readonly string[];
  /** `EbsInfo.EbsOptimizedSupport`. Absent: unknown. */
  readonly ebsOptimizedSupport?: 'unsupported' | 'supported' | 'default';
  /**
   * `EbsInfo.NvmeSupport`: `required` types (every Nitro type) expose EBS volumes, the root volume
   * included, as NVMe devices, so their image needs NVMe drivers. Absent: unknown.
   */
  readonly nvmeSupport?: 'unsupported' | 'supported' | 'required';
  /** `Hypervisor`: `nitro` or `xen` (absent for bare metal, and when unknown); informational. */
  readonly hypervisor?: 'nitro' | 'xen';
  /** `VCpuInfo.ValidCores`: the core counts a launch may configure. Absent: unknown. */
  readonly validCores?: readonly number[];
  /** `VCpuInfo.ValidThreadsPerCore`. Absent: unknown. */
  readonly validThreadsPerCore?: readonly number[];
  /**
   * GPUs, inference accelerators, Neuron devices and FPGAs (`GpuInfo`, `InferenceAcceleratorInfo`,
   * `NeuronInfo`, `FpgaInfo`). Absent or empty: none (EC2 reports them for every type that has them).
   */
  readonly accelerators?: readonly AcceleratorFacts[];
  /** `InstanceStorageSupported`: local instance-store volumes. Absent: unknown. */
  readonly instanceStorageSupported?: boolean;
  /** `InstanceStorageInfo.TotalSizeInGB`, in GB as EC2 reports it; informational. */
  readonly instanceStorageTotalGB?: number;
  /** `NetworkInfo.EfaSupported`. Absent: unknown, so not proven to launch a template asking for EFA. */
  readonly efaSupported?: boolean;
  /** `NetworkInfo.MaximumNetworkInterfaces`, over all network cards. Absent: unknown (one is certain). */
  readonly maximumNetworkInterfaces?: number;
  /** `NetworkInfo.MaximumNetworkCards`. Absent: unknown (one is certain). */
  readonly maximumNetworkCards?: number;
  /**
   * `ProcessorInfo.SupportedFeatures` (`amd-sev-snp`). Absent: none; EC2 lists a feature only for
   * the types that support it.
   */
  readonly processorFeatures?: readonly string[];
}

/** One kind of accelerator device of an instance type, as DescribeInstanceTypes lists it. */
export interface AcceleratorFacts {
  /** Which list it comes from: `GpuInfo.Gpus`, `InferenceAcceleratorInfo.Accelerators`, `NeuronInfo.NeuronDevices`, `FpgaInfo.Fpgas`. */
  readonly kind: AcceleratorKind;
  /** e.g. `NVIDIA`, `AWS`; Neuron devices report none. */
  readonly manufacturer?: string;
  /** The model, e.g. `A10G`, `Inferentia2`. */
  readonly name: string;
  /** Devices of this model per instance (> 0). */
  readonly count: number;
}

/** The accelerator lists of DescribeInstanceTypes. */
export type AcceleratorKind = 'gpu' | 'inference-accelerator' | 'neuron-device' | 'fpga';

/**
 * What a group's launch template and its image ask of an instance type besides its architecture
 * (see `launchIncompatibility`). Every member is optional: unknown (an SSM-resolved image, a
 * setting the template leaves out) never rejects a type.
 */
export interface LaunchRequirements {
  /** DescribeImages `EnaSupport`. */
  readonly imageEnaSupport?: boolean;
  /**
   * Whether the image is known to boot with its EBS volumes exposed as NVMe. EC2 reports no such
   * attribute of an image: `observedLaunchRequirements` sets it from the types the image runs on
   * today (`true`: one of them requires NVMe; `false`: every one is known not to). Absent: unknown.
   */
  readonly imageBootsNvme?: boolean;
  /** DescribeImages `BootMode`: `legacy-bios`, `uefi` or `uefi-preferred`. */
  readonly imageBootMode?: string;
  /** DescribeImages `VirtualizationType`: `hvm` or `paravirtual`. */
  readonly imageVirtualizationType?: string;
  /** The launch template's `EbsOptimized`. */
  readonly ebsOptimized?: boolean;
  /** The launch template's `CpuOptions.CoreCount`. */
  readonly cpuCoreCount?: number;
  /** The launch template's `CpuOptions.ThreadsPerCore`. */
  readonly cpuThreadsPerCore?: number;
  /** The launch template's `CpuOptions.AmdSevSnp` is `enabled`. */
  readonly amdSevSnp?: boolean;
  /** How many interfaces the launch template's `NetworkInterfaces` lists (absent: none). */
  readonly networkInterfaceCount?: number;
  /** The highest `NetworkCardIndex` of the template's network interfaces, when above 0. */
  readonly maxNetworkCardIndex?: number;
  /**
   * The position in the template's `NetworkInterfaces` of the first whose `InterfaceType` is `efa`
   * or `efa-only`: only a type with EFA launches it.
   */
  readonly efaNetworkInterface?: number;
}

/** What the user requires of a candidate; a structural subset of the `pricing` config block. */
export interface SelectionRequirements {
  /** `vcpu`: one capacity unit per vCPU. `weights`: units from `weights`; types without one are excluded. */
  readonly capacityUnit: 'vcpu' | 'weights';
  readonly weights: Readonly<Record<string, number>>;
  readonly minVcpu: number;
  readonly minMemoryGiB: number;
  /** Families (`m7g`) or prefixes ending in `*` (`m7*`); empty allows every family. */
  readonly allowedFamilies: readonly string[];
  readonly excludedFamilies: readonly string[];
  readonly allowBurstable: boolean;
  readonly currentGenerationOnly: boolean;
  /** Savings Plan or RI discount by family, 0–1 (0.3 = 30 % off on-demand). */
  readonly discountRatesByFamily: Readonly<Record<string, number>>;
}

/** A type that passed every filter, with its price and capacity. */
export interface Candidate {
  readonly instanceType: string;
  readonly family: string;
  /** Capacity one instance provides, in the configured unit (> 0). */
  readonly capacityUnits: number;
  /** On-demand price after the family's discount, USD per instance-hour (> 0). */
  readonly hourlyPriceUsd: number;
  /** Undiscounted on-demand price, USD per instance-hour. */
  readonly onDemandHourlyPriceUsd: number;
  /** Highest Spot price over the group's zones, when Spot prices were asked for and known in every zone. */
  readonly spotHourlyPriceUsd?: number;
}

/** One type of a selection and how many instances of it serve the required capacity. */
export interface SelectionItem {
  readonly instanceType: string;
  readonly instanceCount: number;
  readonly capacityUnitsPerInstance: number;
  /** On-demand price after the family's discount, USD per instance-hour: what an instance costs. */
  readonly hourlyPriceUsd: number;
  /** Undiscounted on-demand price, USD per instance-hour: what `lowest-price` allocation ranks by. */
  readonly onDemandHourlyPriceUsd: number;
}

/** A set of instance types and counts, with totals. */
export interface InstanceSelection {
  /** Sorted by instance type. */
  readonly items: readonly SelectionItem[];
  readonly totalCapacityUnits: number;
  readonly hourlyCostUsd: number;
  /** Spot cost of the same counts, when every item has a Spot price. */
  readonly spotHourlyCostUsd?: number;
}

/** Why a type was not a candidate; each type counts under its first failing reason. */
export type RejectionReason =
  | 'no-price'
  | 'not-offered-in-every-zone'
  | 'architecture'
  | 'launch-template-incompatible'
  | 'previous-generation'
  | 'burstable'
  | 'family-not-allowed'
  | 'family-excluded'
  | 'below-min-vcpu'
  | 'below-min-memory'
  | 'no-weight'
  | 'less-memory-per-vcpu'
  | 'missing-gpu'
  | 'missing-inference-accelerator'
  | 'missing-neuron-device'
  | 'missing-fpga'
  | 'missing-instance-storage'
  | 'other-on-demand-quota';

/** Hours in an average month, the figure AWS uses on its pricing pages. */
export const HOURS_PER_MONTH = 730;
