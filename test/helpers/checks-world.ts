import type { GroupSpec } from '../../shared/simulation/world/auto-scaling/group-state';
import { SimulatedWorld } from '../../shared/simulation/world/simulated-world';

/** A group of a checks world: its name and tags, and the role its launch template gives instances, if any. */
export type ChecksWorldGroup = Pick<GroupSpec, 'name' | 'tags' | 'instanceRole'>;

/**
 * A simulated world (2026-01-05, seed 1) holding `groups`, each two m7g.large instances (1–10)
 * with one-minute launches: what the request-check tests authorize requests against, where the
 * group's tags and instance role are what matters.
 */
export function checksWorld(groups: readonly ChecksWorldGroup[]): SimulatedWorld {
  const world = new SimulatedWorld({ startMs: Date.UTC(2026, 0, 5), seed: 1 });
  for (const group of groups)
    world.createGroup({
      ...group,
      minSize: 1,
      maxSize: 10,
      desiredCapacity: 2,
      instanceType: 'm7g.large',
      launchDelaySeconds: 60,
      launchJitterSeconds: 0,
      warmupSeconds: 60,
      warmPoolLaunchSeconds: 30,
    });
  return world;
}
