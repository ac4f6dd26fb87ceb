import { createHash } from 'node:crypto';
import { INSTANCE_TYPES, type InstanceTypeSpec } from './instance-types';
import { SimulatedAwsError, UnsupportedCommandError } from './simulated-aws-error';

// biome-ignore lint/suspicious/noExplicitAny: SDK command inputs, validated against the model before they arrive.
type Input = Record<string, any>;

/** Hourly Windows license surcharge per vCPU, USD (on top of the Linux price, as AWS lists it). */
export const WINDOWS_USD_PER_VCPU_HOUR = 0.046;

/** The operating systems the simulated price list holds, spelled as its `operatingSystem` attribute. */
export type SimulatedOperatingSystem = 'Linux' | 'Windows' | 'RHEL' | 'SUSE';

/**
 * Each operating system's license charge per hour over the Linux price of a type, USD. The shape
 * follows the EC2 On-Demand pricing page (https://aws.amazon.com/ec2/pricing/on-demand/): Windows
 * by vCPU; RHEL and SUSE a flat charge per instance-hour, one for small types (up to 4 vCPU) and a
 * higher one above. The figures are illustrative for the simulation, not current AWS prices.
 */
export const LICENSE_USD_PER_HOUR: Readonly<
  Record<SimulatedOperatingSystem, (t: Pick<InstanceTypeSpec, 'vcpu'>) => number>
> = {
  Linux: () => 0,
  Windows: (t) => WINDOWS_USD_PER_VCPU_HOUR * t.vcpu,
  RHEL: (t) => (t.vcpu <= 4 ? 0.06 : 0.13),
  SUSE: (t) => (t.vcpu <= 4 ? 0.1 : 0.125),
};

/**
 * The `operation` of each OS's plain product, as the price list spells it; an image billed as that
 * OS has it as its `UsageOperation` (EC2 User Guide, "AMI billing information fields").
 */
export const OPERATION: Readonly<Record<SimulatedOperatingSystem, string>> = {
  Linux: 'RunInstances',
  Windows: 'RunInstances:0002',
  RHEL: 'RunInstances:0010',
  SUSE: 'RunInstances:000g',
};

const PUBLICATION = '2024-06-01T00:00:00Z';

const sku = (text: string) =>
  createHash('sha256').update(text).digest('hex').slice(0, 16).toUpperCase().replace(/[0-9]/g, 'X');

/** The product attributes of one offer, as the Price List API names and spells them. */
function productAttributes(
  t: InstanceTypeSpec,
  region: string,
  operatingSystem: SimulatedOperatingSystem,
  marketoption: 'OnDemand' | 'CapacityBlock',
): Record<string, string> {
  return {
    servicecode: 'AmazonEC2',
    servicename: 'Amazon Elastic Compute Cloud',
    regionCode: region,
    instanceType: t.instanceType,
    instanceFamily: t.memoryGiB / t.vcpu >= 4 ? 'General purpose' : 'Compute optimized',
    vcpu: String(t.vcpu),
    memory: `${t.memoryGiB} GiB`,
    physicalProcessor: t.architecture === 'arm64' ? 'AWS Graviton' : 'Intel Xeon',
    processorArchitecture: '64-bit',
    networkPerformance: t.networkPerformance,
    currentGeneration: 'Yes',
    operatingSystem,
    tenancy: 'Shared',
    preInstalledSw: 'NA',
    capacitystatus: 'Used',
    licenseModel: 'No License required',
    marketoption,
    usagetype: `BoxUsage:${t.instanceType}`,
    operation: OPERATION[operatingSystem],
  };
}

/** Another product of the same type and OS: its attributes over the plain one's, and its price. */
interface ProductVariant {
  readonly name: string;
  readonly attributes: Readonly<Record<string, string>>;
  /** USD per hour from the type and the plain product's price. */
  readonly hourlyUsd: (t: InstanceTypeSpec, plainHourlyUsd: number) => number;
  /** The only operating system that has it; absent: all. */
  readonly only?: 'Windows';
}

/**
 * The products EC2's price list holds beside the plain shared-tenancy, license-included one
 * (attribute values as the price list spells them), so a filter left out picks a wrong price as it
 * would on AWS: a Windows license of your own (priced as Linux, cheaper than Windows), SQL Server
 * pre-installed, Dedicated tenancy, and On-Demand Capacity Reservations (allocated: $0, billed as
 * the reservation; unused: the on-demand price).
 */
const VARIANTS: readonly ProductVariant[] = [
  {
    name: 'byol',
    attributes: { licenseModel: 'Bring your own license', operation: 'RunInstances:0800' },
    hourlyUsd: (t) => t.hourlyPriceUsd,
    only: 'Windows',
  },
  {
    name: 'sql-std',
    attributes: { preInstalledSw: 'SQL Std', operation: 'RunInstances:0006' },
    hourlyUsd: (t, plain) => plain + 0.12 * t.vcpu,
  },
  { name: 'dedicated', attributes: { tenancy: 'Dedicated' }, hourlyUsd: (_, plain) => plain * 1.1 },
  {
    name: 'allocated-reservation',
    attributes: { capacitystatus: 'AllocatedCapacityReservation' },
    hourlyUsd: () => 0,
  },
  {
    name: 'unused-reservation',
    attributes: { capacitystatus: 'UnusedCapacityReservation' },
    hourlyUsd: (_, plain) => plain,
  },
];

/** One offer as `GetProducts` returns it: a JSON string (https://docs.aws.amazon.com/awsaccountbilling/latest/aboutv2/reading-an-offer.html). */
function priceListEntry(
  t: InstanceTypeSpec,
  region: string,
  operatingSystem: SimulatedOperatingSystem,
  marketoption: 'OnDemand' | 'CapacityBlock',
  variant?: ProductVariant,
): { attributes: Record<string, string>; json: string } {
  const listed = t.hourlyPriceUsd + LICENSE_USD_PER_HOUR[operatingSystem](t);
  const hourlyUsd = variant ? variant.hourlyUsd(t, listed) : listed;
  const code = sku(`${region} ${t.instanceType} ${operatingSystem} ${marketoption} ${variant?.name ?? ''}`);
  const term = 'JRTCKXETXF';
  const attributes = {
    ...productAttributes(t, region, operatingSystem, marketoption),
    ...variant?.attributes,
  };
  const doc = {
    product: { productFamily: 'Compute Instance', attributes, sku: code },
    serviceCode: 'AmazonEC2',
    terms: {
      OnDemand: {
        [`${code}.${term}`]: {
          priceDimensions: {
            [`${code}.${term}.6YS6EN2CT7`]: {
              unit: 'Hrs',
              endRange: 'Inf',
              description: `$${hourlyUsd.toFixed(4)} per On Demand ${operatingSystem} ${t.instanceType} Instance Hour`,
              appliesTo: [],
              rateCode: `${code}.${term}.6YS6EN2CT7`,
              beginRange: '0',
              // Capacity Blocks are priced per block, not by the on-demand hour.
              pricePerUnit: { USD: (marketoption === 'OnDemand' ? hourlyUsd : hourlyUsd * 1.4).toFixed(10) },
            },
          },
          sku: code,
          effectiveDate: PUBLICATION,
          offerTermCode: term,
          termAttributes: {},
        },
      },
    },
    version: '20240601000000',
    publicationDate: PUBLICATION,
  };
  return { attributes, json: JSON.stringify(doc) };
}

/**
 * The AWS Price List Query API's `GetProducts` for `AmazonEC2`: every instance type of
 * `INSTANCE_TYPES` in every region named by a filter (prices as listed for us-east-1), Linux,
 * Windows, RHEL and SUSE (`LICENSE_USD_PER_HOUR` over Linux), on-demand and Capacity Block offers (which share the usual filters, as on AWS) and the
 * other products of each type (`VARIANTS`: BYOL, SQL Server, Dedicated, reservations), each
 * entry a JSON string in the documented offer shape. `TERM_MATCH` filters compare attributes
 * exactly; pages of `MaxResults` (at most 100) with an opaque `NextToken`.
 */
export class SimulatedPricing {
  /** Answers one Pricing command. @throws SimulatedAwsError as the Pricing API answers. */
  answer(commandName: string, i: Input): unknown {
    if (commandName !== 'GetProductsCommand') throw new UnsupportedCommandError('pricing', commandName);
    if (i.ServiceCode !== 'AmazonEC2')
      throw new SimulatedAwsError('NotFoundException', `Service code ${i.ServiceCode} is not simulated`);
    const filters: { Field: string; Value: string }[] = i.Filters ?? [];
    const region = filters.find((f) => f.Field === 'regionCode')?.Value;
    if (!region)
      throw new SimulatedAwsError(
        'InvalidParameterException',
        'The simulated Pricing API needs a regionCode TERM_MATCH filter',
      );
    const entries = Object.values(INSTANCE_TYPES)
      .flatMap((t) =>
        (['Linux', 'Windows', 'RHEL', 'SUSE'] as const).flatMap((os) => [
          ...(['OnDemand', 'CapacityBlock'] as const).map((market) => priceListEntry(t, region, os, market)),
          ...VARIANTS.filter((v) => !v.only || v.only === os).map((v) =>
            priceListEntry(t, region, os, 'OnDemand', v),
          ),
        ]),
      )
      .filter((e) => filters.every((f) => e.attributes[f.Field] === f.Value))
      .map((e) => e.json);
    const pageSize = Math.min(i.MaxResults ?? 100, 100);
    const start = i.NextToken ? Number.parseInt(Buffer.from(i.NextToken, 'base64').toString('utf8'), 10) : 0;
    if (!Number.isInteger(start) || start < 0 || start > entries.length)
      throw new SimulatedAwsError('InvalidNextTokenException', 'The pagination token is invalid.');
    const end = start + pageSize;
    return {
      FormatVersion: 'aws_v1',
      PriceList: entries.slice(start, end),
      ...(end < entries.length ? { NextToken: Buffer.from(String(end)).toString('base64') } : {}),
    };
  }
}
