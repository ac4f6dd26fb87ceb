import type { GroupSnapshot, MixedInstancesOverride } from '../ports/scaling-target';
import { launchTemplateOf } from './group-launch-template';

/** The launch template a group launches from, as it names it (a mixed group's policy's own). */
function templateRefOf(group: GroupSnapshot): string {
  const ref = launchTemplateOf(group);
  return ref ? `${ref.id} version ${ref.version}` : 'none';
}

const overrideText = (o: MixedInstancesOverride): string =>
  [
    o.instanceType ?? '',
    o.weightedCapacity ?? '',
    o.launchTemplate?.id ?? '',
    o.launchTemplate?.version ?? '',
  ].join(':');

/** Key-sorted JSON, so the same distribution read twice compares equal whatever the key order. */
function canonical(value: Readonly<Record<string, string | number>> | undefined): string {
  if (!value) return '';
  return JSON.stringify(Object.fromEntries(Object.entries(value).sort(([a], [b]) => (a < b ? -1 : 1))));
}

/**
 * What an owner changed on the group between `snapshot` (the read the selection priced) and
 * `fresh` (read right before a change) that the change would be built on: its launch template or
 * version, its overrides (types, weights, their own templates, in order: the order is the launch
 * priority), its InstancesDistribution. Empty when none: a write built on the snapshot would
 * otherwise undo an owner's deploy made while the run priced the group.
 */
export function groupChangesSinceRead(snapshot: GroupSnapshot, fresh: GroupSnapshot): string[] {
  const changes: string[] = [];
  if (Boolean(snapshot.mixedInstances) !== Boolean(fresh.mixedInstances))
    changes.push(
      fresh.mixedInstances
        ? 'it now has a mixed instances policy'
        : 'it no longer has a mixed instances policy',
    );
  const [before, after] = [templateRefOf(snapshot), templateRefOf(fresh)];
  if (before !== after) changes.push(`launch template ${before} is now ${after}`);
  const overrides = (g: GroupSnapshot) => (g.mixedInstances?.overrides ?? []).map(overrideText).join(',');
  if (overrides(snapshot) !== overrides(fresh)) changes.push('its overrides');
  const distribution = (g: GroupSnapshot) => canonical(g.mixedInstances?.instancesDistribution);
  if (distribution(snapshot) !== distribution(fresh)) changes.push('its InstancesDistribution');
  return changes;
}
