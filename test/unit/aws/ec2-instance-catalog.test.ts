import {
  DescribeImagesCommand,
  DescribeInstanceTypeOfferingsCommand,
  DescribeInstanceTypesCommand,
  DescribeLaunchTemplateVersionsCommand,
  EC2Client,
  type InstanceTypeInfo,
} from '@aws-sdk/client-ec2';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { Ec2InstanceCatalog, instanceTypeFactsOf } from '../../../shared/aws/ec2-instance-catalog';
import { launchIncompatibility } from '../../../shared/core/pricing/launch-compatibility';
import { ResourceNotFoundError, TransientDependencyError } from '../../../shared/ports/errors';

const ec2 = mockClient(EC2Client);
const catalog = new Ec2InstanceCatalog(ec2 as unknown as EC2Client);

beforeEach(() => ec2.reset());

// Shapes from the InstanceTypeInfo data type in the Amazon EC2 API reference.
const m7gLarge: InstanceTypeInfo = {
  InstanceType: 'm7g.large',
  CurrentGeneration: true,
  BurstablePerformanceSupported: false,
  ProcessorInfo: { SupportedArchitectures: ['arm64'], SustainedClockSpeedInGhz: 2.6 },
  VCpuInfo: { DefaultVCpus: 2, DefaultCores: 2, DefaultThreadsPerCore: 1 },
  MemoryInfo: { SizeInMiB: 8192 },
  NetworkInfo: { NetworkPerformance: 'Up to 12.5 Gigabit' },
};
const t3Medium: InstanceTypeInfo = {
  InstanceType: 't3.medium',
  CurrentGeneration: true,
  BurstablePerformanceSupported: true,
  ProcessorInfo: { SupportedArchitectures: ['x86_64'] },
  VCpuInfo: { DefaultVCpus: 2 },
  MemoryInfo: { SizeInMiB: 4096 },
  NetworkInfo: { NetworkPerformance: 'Up to 5 Gigabit' },
};

describe('Ec2InstanceCatalog', () => {
  it('pages through DescribeInstanceTypes and maps facts (MiB to GiB)', async () => {
    ec2
      .on(DescribeInstanceTypesCommand)
      .resolvesOnce({ InstanceTypes: [t3Medium], NextToken: 'next' })
      .resolvesOnce({ InstanceTypes: [m7gLarge, { InstanceType: 'broken.large' as never }] });
    expect(await catalog.instanceTypes()).toEqual([
      {
        instanceType: 'm7g.large',
        family: 'm7g',
        vcpuCount: 2,
        memoryGiB: 8,
        architectures: ['arm64'],
        burstable: false,
        currentGeneration: true,
        networkPerformance: 'Up to 12.5 Gigabit',
      },
      expect.objectContaining({ instanceType: 't3.medium', burstable: true, memoryGiB: 4 }),
    ]);
    expect(ec2).toHaveReceivedNthCommandWith(2, DescribeInstanceTypesCommand, {
      MaxResults: 100,
      NextToken: 'next',
    });
  });

  it('keeps only types offered in every zone of the group', async () => {
    ec2
      .on(DescribeInstanceTypeOfferingsCommand)
      .resolvesOnce({
        InstanceTypeOfferings: [
          { InstanceType: 'm7g.large', LocationType: 'availability-zone', Location: 'eu-west-1a' },
          { InstanceType: 'm7g.large', LocationType: 'availability-zone', Location: 'eu-west-1b' },
          { InstanceType: 'c7gn.large', LocationType: 'availability-zone', Location: 'eu-west-1a' },
        ],
        NextToken: 'p2',
      })
      .resolvesOnce({
        InstanceTypeOfferings: [
          { InstanceType: 'm5.large', LocationType: 'availability-zone', Location: 'eu-west-1b' },
        ],
      });
    const offered = await catalog.typesOfferedInEveryZone(['eu-west-1a', 'eu-west-1b']);
    expect([...offered]).toEqual(['m7g.large']);
    expect(ec2).toHaveReceivedNthCommandWith(1, DescribeInstanceTypeOfferingsCommand, {
      LocationType: 'availability-zone',
      Filters: [{ Name: 'location', Values: ['eu-west-1a', 'eu-west-1b'] }],
    });
    expect(await catalog.typesOfferedInEveryZone([])).toEqual(new Set());
  });

  it('resolves a launch template version and its image architecture', async () => {
    ec2.on(DescribeLaunchTemplateVersionsCommand).resolves({
      LaunchTemplateVersions: [
        {
          LaunchTemplateId: 'lt-0abc',
          VersionNumber: 7,
          DefaultVersion: true,
          LaunchTemplateData: { ImageId: 'ami-0123456789abcdef0', InstanceType: 'm5.large' },
        },
      ],
    });
    ec2
      .on(DescribeImagesCommand)
      .resolves({ Images: [{ ImageId: 'ami-0123456789abcdef0', Architecture: 'x86_64' }] });
    expect(await catalog.launchTemplate('lt-0abc', '$Default')).toEqual({
      launchTemplateId: 'lt-0abc',
      versionNumber: 7,
      instanceType: 'm5.large',
      imageId: 'ami-0123456789abcdef0',
      imageArchitecture: 'x86_64',
      // An image without EnaSupport true counts as not enabled for ENA.
      launchRequirements: { imageEnaSupport: false },
    });
    expect(ec2).toHaveReceivedCommandWith(DescribeLaunchTemplateVersionsCommand, {
      LaunchTemplateId: 'lt-0abc',
      Versions: ['$Default'],
    });
  });

  it("reads what the image is billed as: its PlatformDetails and UsageOperation (the Price List API's operation)", async () => {
    ec2.on(DescribeLaunchTemplateVersionsCommand).resolves({
      LaunchTemplateVersions: [
        { VersionNumber: 3, LaunchTemplateData: { ImageId: 'ami-1', InstanceType: 'm5.large' } },
      ],
    });
    // A Windows Server image as DescribeImages describes it (EC2 User Guide, "AMI billing information fields").
    ec2.on(DescribeImagesCommand).resolves({
      Images: [
        {
          ImageId: 'ami-1',
          Architecture: 'x86_64',
          Platform: 'Windows', // the SDK model's PlatformValues spelling
          PlatformDetails: 'Windows',
          UsageOperation: 'RunInstances:0002',
          EnaSupport: true,
        },
      ],
    });
    expect((await catalog.launchTemplate('lt-0abc', '3')).imageBilling).toEqual({
      platformDetails: 'Windows',
      usageOperation: 'RunInstances:0002',
    });
  });

  it('leaves the billing unknown when the image does not give its PlatformDetails', async () => {
    ec2.on(DescribeLaunchTemplateVersionsCommand).resolves({
      LaunchTemplateVersions: [{ VersionNumber: 3, LaunchTemplateData: { ImageId: 'ami-1' } }],
    });
    ec2.on(DescribeImagesCommand).resolves({
      Images: [{ ImageId: 'ami-1', Architecture: 'x86_64', UsageOperation: 'RunInstances' }],
    });
    expect(await catalog.launchTemplate('lt-0abc', '3')).not.toHaveProperty('imageBilling');
  });

  it('reads what the template and its image ask of a type: ENA, boot mode, virtualization, EBS optimization, CPU options', async () => {
    ec2.on(DescribeInstanceTypesCommand).resolves({
      InstanceTypes: [
        {
          ...t3Medium,
          Hypervisor: 'nitro',
          SupportedBootModes: ['legacy-bios', 'uefi'],
          SupportedVirtualizationTypes: ['hvm'],
          EbsInfo: {
            EbsOptimizedSupport: 'default',
            EncryptionSupport: 'supported',
            NvmeSupport: 'required',
          },
          NetworkInfo: { NetworkPerformance: 'Up to 5 Gigabit', EnaSupport: 'required' },
          VCpuInfo: { DefaultVCpus: 2, DefaultCores: 1, ValidCores: [1], ValidThreadsPerCore: [1, 2] },
        },
      ],
    });
    expect(await catalog.instanceTypes()).toEqual([
      expect.objectContaining({
        instanceType: 't3.medium',
        enaSupport: 'required',
        supportedBootModes: ['legacy-bios', 'uefi'],
        supportedVirtualizationTypes: ['hvm'],
        ebsOptimizedSupport: 'default',
        nvmeSupport: 'required',
        hypervisor: 'nitro',
        validCores: [1],
        validThreadsPerCore: [1, 2],
      }),
    ]);
    ec2.on(DescribeLaunchTemplateVersionsCommand).resolves({
      LaunchTemplateVersions: [
        {
          VersionNumber: 2,
          LaunchTemplateData: {
            ImageId: 'ami-0123456789abcdef0',
            EbsOptimized: true,
            CpuOptions: { CoreCount: 1, ThreadsPerCore: 1 },
          },
        },
      ],
    });
    // An Image as the DescribeImages reference shapes it.
    ec2.on(DescribeImagesCommand).resolves({
      Images: [
        {
          ImageId: 'ami-0123456789abcdef0',
          Architecture: 'x86_64',
          EnaSupport: true,
          BootMode: 'uefi',
          VirtualizationType: 'hvm',
          RootDeviceType: 'ebs',
          State: 'available',
        },
      ],
    });
    expect((await catalog.launchTemplate('lt-0abc', '2')).launchRequirements).toEqual({
      ebsOptimized: true,
      cpuCoreCount: 1,
      cpuThreadsPerCore: 1,
      imageEnaSupport: true,
      imageBootMode: 'uefi',
      imageVirtualizationType: 'hvm',
    });
  });

  it('names the settings that bind instances to a purchase, a placement or a feature the selection does not price or check', async () => {
    // Shapes from ResponseLaunchTemplateData in the EC2 API reference.
    ec2.on(DescribeLaunchTemplateVersionsCommand).resolves({
      LaunchTemplateVersions: [
        {
          VersionNumber: 4,
          LaunchTemplateData: {
            ImageId: 'resolve:ssm:/aws/service/ami-amazon-linux-latest/al2023',
            InstanceMarketOptions: { MarketType: 'spot', SpotOptions: { SpotInstanceType: 'one-time' } },
            CapacityReservationSpecification: {
              CapacityReservationTarget: { CapacityReservationId: 'cr-0123456789abcdef0' },
            },
            Placement: { Tenancy: 'dedicated' },
            HibernationOptions: { Configured: true },
            EnclaveOptions: { Enabled: true },
          },
        },
      ],
    });
    expect((await catalog.launchTemplate('lt-0abc', '4')).typeBoundSettings).toEqual([
      'InstanceMarketOptions spot',
      'a CapacityReservationTarget (a reservation is for one type)',
      'Placement.Tenancy dedicated (prices are for shared tenancy)',
      'HibernationOptions.Configured (not every type hibernates)',
      'EnclaveOptions.Enabled (not every type runs Nitro Enclaves)',
    ]);
    ec2.reset();
    ec2.on(DescribeLaunchTemplateVersionsCommand).resolves({
      LaunchTemplateVersions: [
        {
          VersionNumber: 5,
          LaunchTemplateData: {
            Placement: { Tenancy: 'default' },
            HibernationOptions: { Configured: false },
          },
        },
      ],
    });
    expect(await catalog.launchTemplate('lt-0abc', '5')).not.toHaveProperty('typeBoundSettings');
  });

  it('reads EFA, network interfaces and cards, and AMD SEV-SNP from the types and the template, and refuses a type without EFA', async () => {
    // NetworkInfo and ProcessorInfo as the InstanceTypeInfo data type of the EC2 API reference gives them.
    ec2.on(DescribeInstanceTypesCommand).resolves({
      InstanceTypes: [
        {
          InstanceType: 'm6a.32xlarge',
          CurrentGeneration: true,
          ProcessorInfo: { SupportedArchitectures: ['x86_64'], SupportedFeatures: ['amd-sev-snp'] },
          VCpuInfo: { DefaultVCpus: 128 },
          MemoryInfo: { SizeInMiB: 524288 },
          NetworkInfo: {
            NetworkPerformance: '50 Gigabit',
            EnaSupport: 'required',
            EfaSupported: false,
            MaximumNetworkInterfaces: 15,
            MaximumNetworkCards: 1,
            DefaultNetworkCardIndex: 0,
            NetworkCards: [
              { NetworkCardIndex: 0, NetworkPerformance: '50 Gigabit', MaximumNetworkInterfaces: 15 },
            ],
          },
        },
        {
          InstanceType: 'c6in.32xlarge',
          CurrentGeneration: true,
          ProcessorInfo: { SupportedArchitectures: ['x86_64'] },
          VCpuInfo: { DefaultVCpus: 128 },
          MemoryInfo: { SizeInMiB: 262144 },
          NetworkInfo: {
            NetworkPerformance: '200 Gigabit',
            EnaSupport: 'required',
            EfaSupported: true,
            EfaInfo: { MaximumEfaInterfaces: 2 },
            MaximumNetworkInterfaces: 16,
            MaximumNetworkCards: 2,
          },
        },
      ],
    });
    const [c6in, m6a] = await catalog.instanceTypes();
    expect(m6a).toMatchObject({
      instanceType: 'm6a.32xlarge',
      efaSupported: false,
      maximumNetworkInterfaces: 15,
      maximumNetworkCards: 1,
      processorFeatures: ['amd-sev-snp'],
    });
    expect(c6in).toMatchObject({ efaSupported: true, maximumNetworkInterfaces: 16, maximumNetworkCards: 2 });
    expect(c6in).not.toHaveProperty('processorFeatures');
    // NetworkInterfaces and CpuOptions as ResponseLaunchTemplateData gives them.
    ec2.on(DescribeLaunchTemplateVersionsCommand).resolves({
      LaunchTemplateVersions: [
        {
          VersionNumber: 6,
          LaunchTemplateData: {
            ImageId: 'resolve:ssm:/aws/service/ami-amazon-linux-latest/al2023',
            CpuOptions: { AmdSevSnp: 'enabled' },
            NetworkInterfaces: [
              { DeviceIndex: 0, NetworkCardIndex: 0, InterfaceType: 'interface', Groups: ['sg-0abc'] },
              { DeviceIndex: 1, NetworkCardIndex: 0, InterfaceType: 'efa-only' },
              { DeviceIndex: 0, NetworkCardIndex: 1, InterfaceType: 'efa' },
            ],
          },
        },
      ],
    });
    const { launchRequirements } = await catalog.launchTemplate('lt-0abc', '6');
    expect(launchRequirements).toEqual({
      amdSevSnp: true,
      networkInterfaceCount: 3,
      maxNetworkCardIndex: 1,
      efaNetworkInterface: 1,
    });
    expect(launchIncompatibility(m6a as NonNullable<typeof m6a>, launchRequirements)).toBe(
      "m6a.32xlarge does not support EFA, which the launch template's network interface 1 asks for",
    );
    expect(launchIncompatibility(c6in as NonNullable<typeof c6in>, launchRequirements)).toBe(
      "c6in.32xlarge does not support AMD SEV-SNP, which the launch template's CPU options enable",
    );
  });

  it('asks nothing of the network or SEV-SNP when the template leaves them out or disables them', async () => {
    ec2.on(DescribeLaunchTemplateVersionsCommand).resolves({
      LaunchTemplateVersions: [
        {
          VersionNumber: 7,
          LaunchTemplateData: {
            ImageId: 'resolve:ssm:/aws/service/ami-amazon-linux-latest/al2023',
            CpuOptions: { AmdSevSnp: 'disabled' },
            NetworkInterfaces: [{ DeviceIndex: 0, AssociatePublicIpAddress: true }],
          },
        },
      ],
    });
    expect((await catalog.launchTemplate('lt-0abc', '7')).launchRequirements).toEqual({
      networkInterfaceCount: 1,
    });
    expect(instanceTypeFactsOf(m7gLarge)).not.toHaveProperty('efaSupported');
  });

  it('leaves the architecture unknown for an SSM parameter image', async () => {
    ec2.on(DescribeLaunchTemplateVersionsCommand).resolves({
      LaunchTemplateVersions: [
        {
          VersionNumber: 3,
          LaunchTemplateData: { ImageId: 'resolve:ssm:/aws/service/ami-amazon-linux-latest/al2023' },
        },
      ],
    });
    const facts = await catalog.launchTemplate('lt-0abc', '3');
    expect(facts.imageArchitecture).toBeUndefined();
    expect(ec2).not.toHaveReceivedCommand(DescribeImagesCommand);
  });

  it('translates EC2 not-found codes into ResourceNotFoundError', async () => {
    ec2
      .on(DescribeLaunchTemplateVersionsCommand)
      .rejects(Object.assign(new Error('missing'), { name: 'InvalidLaunchTemplateId.NotFound' }));
    await expect(catalog.launchTemplate('lt-gone', '1')).rejects.toThrow(ResourceNotFoundError);
    ec2.on(DescribeLaunchTemplateVersionsCommand).resolves({
      LaunchTemplateVersions: [{ VersionNumber: 1, LaunchTemplateData: { ImageId: 'ami-0deleted' } }],
    });
    ec2.on(DescribeImagesCommand).resolves({ Images: [] });
    await expect(catalog.launchTemplate('lt-0abc', '1')).rejects.toThrow(ResourceNotFoundError);
  });

  it('translates throttling into TransientDependencyError', async () => {
    ec2
      .on(DescribeInstanceTypesCommand)
      .rejects(Object.assign(new Error('slow down'), { name: 'RequestLimitExceeded' }));
    await expect(catalog.instanceTypes()).rejects.toThrow(TransientDependencyError);
  });
});

describe('instanceTypeFactsOf', () => {
  // GpuInfo, InferenceAcceleratorInfo, NeuronInfo, FpgaInfo and InstanceStorageInfo as the
  // InstanceTypeInfo data type of the EC2 API reference gives them.
  const g5Xlarge: InstanceTypeInfo = {
    ...m7gLarge,
    InstanceType: 'g5.xlarge',
    ProcessorInfo: { SupportedArchitectures: ['x86_64'] },
    VCpuInfo: { DefaultVCpus: 4 },
    MemoryInfo: { SizeInMiB: 16384 },
    GpuInfo: {
      Gpus: [{ Name: 'A10G', Manufacturer: 'NVIDIA', Count: 1, MemoryInfo: { SizeInMiB: 24576 } }],
      TotalGpuMemoryInMiB: 24576,
    },
    InstanceStorageSupported: true,
    InstanceStorageInfo: {
      TotalSizeInGB: 250,
      Disks: [{ SizeInGB: 250, Count: 1, Type: 'ssd' }],
      NvmeSupport: 'required',
    },
  };

  it('reads GPUs, inference accelerators, Neuron devices, FPGAs and instance storage', async () => {
    ec2.on(DescribeInstanceTypesCommand).resolves({
      InstanceTypes: [
        g5Xlarge,
        {
          ...m7gLarge,
          InstanceType: 'inf1.xlarge',
          InferenceAcceleratorInfo: { Accelerators: [{ Count: 1, Name: 'Inferentia', Manufacturer: 'AWS' }] },
          InstanceStorageSupported: false,
        },
        {
          ...m7gLarge,
          InstanceType: 'inf2.xlarge',
          NeuronInfo: {
            NeuronDevices: [
              {
                Count: 1,
                Name: 'Inferentia2',
                CoreInfo: { Count: 2, Version: 2 },
                MemoryInfo: { SizeInMiB: 32768 },
              },
            ],
            TotalNeuronDeviceMemoryInMiB: 32768,
          },
        },
        {
          ...m7gLarge,
          InstanceType: 'f1.2xlarge',
          FpgaInfo: {
            Fpgas: [
              {
                Name: 'Virtex UltraScale (VU9P)',
                Manufacturer: 'Xilinx',
                Count: 1,
                MemoryInfo: { SizeInMiB: 65536 },
              },
            ],
            TotalFpgaMemoryInMiB: 65536,
          },
        },
      ],
    });
    const byType = new Map((await catalog.instanceTypes()).map((f) => [f.instanceType, f]));
    expect(byType.get('g5.xlarge')).toMatchObject({
      vcpuCount: 4,
      memoryGiB: 16,
      accelerators: [{ kind: 'gpu', manufacturer: 'NVIDIA', name: 'A10G', count: 1 }],
      instanceStorageSupported: true,
      instanceStorageTotalGB: 250,
    });
    expect(byType.get('inf1.xlarge')).toMatchObject({
      accelerators: [{ kind: 'inference-accelerator', manufacturer: 'AWS', name: 'Inferentia', count: 1 }],
      instanceStorageSupported: false,
    });
    expect(byType.get('inf2.xlarge')?.accelerators).toEqual([
      { kind: 'neuron-device', name: 'Inferentia2', count: 1 },
    ]);
    expect(byType.get('f1.2xlarge')?.accelerators).toEqual([
      { kind: 'fpga', manufacturer: 'Xilinx', name: 'Virtex UltraScale (VU9P)', count: 1 },
    ]);
  });

  it('reports no accelerators for a type without them, and unknown instance storage when EC2 says nothing', () => {
    const facts = instanceTypeFactsOf(m7gLarge);
    expect(facts?.accelerators).toBeUndefined();
    expect(facts?.instanceStorageSupported).toBeUndefined();
    expect(
      instanceTypeFactsOf({ ...g5Xlarge, GpuInfo: { Gpus: [{ Name: 'A10G', Count: 0 }] } })?.accelerators,
    ).toBeUndefined();
  });

  it('drops unknown architectures and entries without a vCPU count', () => {
    expect(
      instanceTypeFactsOf({
        ...m7gLarge,
        ProcessorInfo: { SupportedArchitectures: ['arm64', 'quantum' as never] },
      })?.architectures,
    ).toEqual(['arm64']);
    expect(instanceTypeFactsOf({ InstanceType: 'x.large' as never })).toBeUndefined();
  });
});
