/**
 * How a mixed-instances group's `InstancesDistribution` launches Spot Instances at some capacity up
 * to `maxCapacity` (its MaxSize, in the unit of its desired capacity), described for a reason; or
 * undefined when every instance it can launch is On-Demand. Auto Scaling launches the first
 * `OnDemandBaseCapacity` (default 0) On-Demand and, above it, `OnDemandPercentageAboveBaseCapacity`
 * percent (default 100) On-Demand and the rest Spot
 * (https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_InstancesDistribution.html).
 * A value that is not a number is read as its default.
 */
export function spotLaunches(
  distribution: Readonly<Record<string, string | number>> | undefined,
  maxCapacity: number,
): string | undefined {
  const percentage = numberOr(distribution?.OnDemandPercentageAboveBaseCapacity, 100);
  const base = numberOr(distribution?.OnDemandBaseCapacity, 0);
  if (percentage >= 100 || base >= maxCapacity) return undefined;
  return `OnDemandPercentageAboveBaseCapacity ${percentage} above an OnDemandBaseCapacity of ${base}, MaxSize ${maxCapacity}`;
}

function numberOr(value: string | number | undefined, fallback: number): number {
  const n =
    typeof value === 'number' ? value : value === undefined || value === '' ? Number.NaN : Number(value);
  return Number.isFinite(n) ? n : fallback;
}
