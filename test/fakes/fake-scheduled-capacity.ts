import { takenStartMinutes } from '../../shared/core/planning/place-look-ahead-starts';
import type {
  PlannedCapacityAction,
  ScheduledCapacity,
  ScheduledCapacityAction,
} from '../../shared/ports/scheduled-capacity';

const definedFields = (a: PlannedCapacityAction): Partial<PlannedCapacityAction> =>
  Object.fromEntries(Object.entries(a).filter(([, v]) => v !== undefined));

/**
 * An in-memory `ScheduledCapacity` with AWS's quota of 125 actions per group, its one action per
 * start time (by the minute; a recurring action holds every minute it runs) and its updates that
 * keep what a put leaves out; counts calls.
 */
export class FakeScheduledCapacity implements ScheduledCapacity {
  readonly actions = new Map<string, Map<string, ScheduledCapacityAction>>();
  readonly calls: string[] = [];
  /** When set, every write fails with it. */
  failWith: Error | undefined;

  constructor(initial: Record<string, readonly ScheduledCapacityAction[]> = {}) {
    for (const [group, actions] of Object.entries(initial))
      this.actions.set(group, new Map(actions.map((a) => [a.name, a])));
  }

  of(groupName: string): ScheduledCapacityAction[] {
    return [...(this.actions.get(groupName)?.values() ?? [])];
  }

  async scheduledActions(groupName: string): Promise<ScheduledCapacityAction[]> {
    this.calls.push(`describe ${groupName}`);
    return this.of(groupName);
  }

  async putScheduledActions(groupName: string, actions: readonly PlannedCapacityAction[]): Promise<void> {
    this.calls.push(`put ${groupName} ${actions.length}`);
    if (this.failWith) throw this.failWith;
    const held = this.actions.get(groupName) ?? new Map<string, ScheduledCapacityAction>();
    const refused: string[] = [];
    for (const a of actions) {
      if (!held.has(a.name) && held.size >= 125)
        throw new Error(`LimitExceeded: ${groupName} has 125 actions`);
      const others = [...held.values()].filter((h) => h.name !== a.name);
      if (takenStartMinutes(others)(a.startMs)) refused.push(a.name);
      // An update keeps the fields the put leaves out, as AWS's does.
      else held.set(a.name, { ...held.get(a.name), ...definedFields(a), name: a.name });
    }
    this.actions.set(groupName, held);
    // As the batch call does: the others are written, the refused ones fail the call.
    if (refused.length > 0)
      throw new Error(`AlreadyExists: a scheduled action holds the start of ${refused.join(', ')}`);
  }

  async deleteScheduledActions(groupName: string, names: readonly string[]): Promise<void> {
    this.calls.push(`delete ${groupName} ${names.length}`);
    if (this.failWith) throw this.failWith;
    for (const name of names) this.actions.get(groupName)?.delete(name);
  }
}
