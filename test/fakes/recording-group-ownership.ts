import type { GroupOwnership } from '../../shared/ports/group-ownership';
import type { FakeScalingTarget } from './fake-scaling-target';

/**
 * `GroupOwnership` that records each take and release, and with a `FakeScalingTarget` sets (or
 * deletes) the group's `prescale:deployment` tag there, as the next describe reads it.
 */
export class RecordingGroupOwnership implements GroupOwnership {
  readonly taken: string[] = [];
  readonly released: string[] = [];
  readonly deployment: string;
  private readonly target: FakeScalingTarget | undefined;

  constructor(options: { readonly target?: FakeScalingTarget; readonly deployment?: string } = {}) {
    this.target = options.target;
    this.deployment = options.deployment ?? 'Prescale';
  }

  async take(groupName: string): Promise<void> {
    this.taken.push(groupName);
    const group = this.target?.groups.get(groupName);
    if (!this.target || !group) return;
    this.target.groups.set(groupName, {
      ...group,
      tags: { ...group.tags, 'prescale:deployment': this.deployment },
    });
  }

  async release(groupName: string): Promise<void> {
    this.released.push(groupName);
    const group = this.target?.groups.get(groupName);
    if (!this.target || !group) return;
    const { 'prescale:deployment': _owner, ...tags } = group.tags;
    this.target.groups.set(groupName, { ...group, tags });
  }
}
