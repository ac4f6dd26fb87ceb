import type { UpdatePlan } from '../dependencies/read-update-plan';
import { planChildName } from './plan-child-name';
import type { PlanSlot } from './types';

/** A group the plan updates: where it goes and where it comes from. */
export interface PlanTarget {
  readonly groupName: string;
  readonly targetVersion: string;
  /** The explicit version the group runs now; the undo goes back to it. */
  readonly previousVersion: string;
  /** The launch template the group runs now: both versions are its. */
  readonly launchTemplateId: string;
}

/** What {@link layoutUpdatePlan} needs. */
export interface LayoutUpdatePlanInput {
  /** The plan's execution name; children are named after it. */
  readonly planName: string;
  readonly plan: Extract<UpdatePlan, { kind: 'planned' }>;
  readonly targets: readonly PlanTarget[];
  /** Upstream first. */
  readonly order: readonly string[];
}

/** The plan as the workflow runs it: its non-empty slots with their children, and how it reads. */
export interface UpdatePlanLayout {
  readonly slots: readonly PlanSlot[];
  readonly rejected: readonly { groupName: string; slotIndex: number; reasons: string[] }[];
  readonly summary: readonly string[];
}

const iso = (ms: number) => new Date(ms).toISOString();

/**
 * Turns a solved plan into what the parent state machine runs: one entry per slot that updates
 * something, in time order, each group a child rolling-update execution with a readable label
 * ("Slot 2: update api") and name (`<plan>-s2-api`), waiting for low load within its slot
 * (deadline = the slot's end). Slots are numbered by position in the run, from 1; a slot's groups
 * are in dependency order. Also lists every slot a group did not take with the planner's reasons,
 * and the plan in words. Pure.
 */
export function layoutUpdatePlan(input: LayoutUpdatePlanInput): UpdatePlanLayout {
  const { plan, planName } = input;
  const rank = new Map(input.order.map((g, i) => [g, i]));
  const targetOf = new Map(input.targets.map((t) => [t.groupName, t]));
  const used = plan.slots.filter((s) => s.groupNames.length > 0);
  const slots: PlanSlot[] = used.map((s, position) => {
    const updates = plan.updates
      .filter((u) => u.slotIndex === s.slotIndex)
      .sort((a, b) => (rank.get(a.groupName) ?? 0) - (rank.get(b.groupName) ?? 0));
    const names = updates.map((u) => u.groupName);
    return {
      slotIndex: position,
      label: `Slot ${position + 1} of ${used.length}: update ${names.join(', ')}`,
      startMs: updates[0]?.slotStartMs ?? s.startMs,
      endMs: updates[0]?.slotEndMs ?? s.startMs,
      groups: updates.map((u) => {
        const target = targetOf.get(u.groupName);
        return {
          groupName: u.groupName,
          label: `Slot ${position + 1}: update ${u.groupName}`,
          childName: planChildName(planName, 'update', position, u.groupName),
          slotIndex: position,
          input: {
            groupName: u.groupName,
            launchTemplateVersion: target?.targetVersion ?? '',
            reason: 'manual' as const,
            force: false,
            skipMatching: false,
            deadline: iso(u.slotEndMs),
            planExecutionName: planName,
            // The group as the plan was computed on it: changed since, its update is not the one planned.
            expectedLaunchTemplate: {
              id: target?.launchTemplateId ?? '',
              versions: [target?.previousVersion ?? ''],
            },
          },
        };
      }),
    };
  });
  const summary = slots.map((slot) => {
    const groups = plan.updates.filter((u) => slot.groups.some((g) => g.groupName === u.groupName));
    const detail = groups
      .map(
        (u) =>
          `${u.groupName} → v${targetOf.get(u.groupName)?.targetVersion} (${u.headroomInstances} headroom, ${u.healthyInstances} healthy ≥ ${u.requiredHealthyInstances} for p90 ${round(u.p90Load)})`,
      )
      .join('; ');
    return `${slot.label.split(':')[0]} ${iso(slot.startMs)}–${iso(slot.endMs)}: ${detail}`;
  });
  const rejected = plan.rejected.map((r) => ({
    groupName: r.groupName,
    slotIndex: r.slotIndex,
    reasons: r.reasons.map((x) => x.message),
  }));
  return { slots, rejected, summary };
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}
