import { executionNamePart } from '../rolling-update/execution-name-part';

/**
 * The name of a plan's child rolling-update execution: `<plan>-s<slot>-<group>` for an update,
 * `<plan>-undo-s<slot>-<group>` for its revert, e.g. `plan-20260302T0100-3f2a-s2-api`. Slots are
 * numbered from 1 as the execution history shows them. The same plan, slot and group always give
 * the same name, so a retried start finds the execution instead of starting a second one. Names
 * allow 1–80 characters of `A-Za-z0-9-_`: the plan part is kept to 40, the group part to what is
 * left, each cleaned, cut and marked with a digest of it when it must be (`executionNamePart`), so
 * two groups of a slot (`svc.a`, `svc-a`) never share a name.
 */
export function planChildName(
  planName: string,
  kind: 'update' | 'undo',
  slotIndex: number,
  groupName: string,
): string {
  const head = `${kind === 'undo' ? planRevertPrefix(planName) : `${planPart(planName)}-`}s${slotIndex + 1}-`;
  return `${head}${executionNamePart(groupName, 80 - head.length)}`;
}

/**
 * How every revert child of plan `planName` is named at first (`<plan>-undo-`): an update child's
 * name goes on `-s<slot>`, so a child's execution name tells a revert from an update.
 */
export function planRevertPrefix(planName: string): string {
  return `${planPart(planName)}-undo-`;
}

const planPart = (planName: string): string => executionNamePart(planName, 40);
