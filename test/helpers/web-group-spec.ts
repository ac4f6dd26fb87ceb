import type { GroupSpec } from '../../shared/simulation/world/simulated-auto-scaling';

/**
 * The world tests' group `web`: 2 m5.large of 1–10, launches of 2 minutes without jitter, a
 * minute's warmup, 20 s from the warm pool; `over` on top.
 */
export function webGroupSpec(over: Partial<GroupSpec> = {}): GroupSpec {
  return {
    name: 'web',
    minSize: 1,
    maxSize: 10,
    desiredCapacity: 2,
    instanceType: 'm5.large',
    launchDelaySeconds: 120,
    launchJitterSeconds: 0,
    warmupSeconds: 60,
    warmPoolLaunchSeconds: 20,
    ...over,
  };
}
