/**
 * The group owner's one-time scheduled actions that set MinSize (a launch-day pre-warm), followed
 * across runs. Auto Scaling deletes a one-time action once it has run, so a run that no longer sees
 * it cannot tell what it set: each run passes on the ones it saw pending and, once one has run, its
 * MinSize as the owner's floor until the owner's next scheduled action that sets MinSize runs, or
 * the owner lowers MinSize below it (the loop never goes below its floor, so a lower MinSize is
 * someone else's).
 */
import { type OwnerScheduledAction, ownerMinSizeRuns } from './owner-scheduled-min-size';

/** One owner's one-time MinSize, as a run passes it to the next. */
export interface OwnerOneTimeMinSize {
  readonly name: string;
  /** Its StartTime (epoch ms): when it runs, or ran. */
  readonly atMs: number;
  readonly minSize: number;
  /** Seen on the group since it ran (MinSize at least its own): a MinSize below it from then on is the owner's. */
  readonly inEffect?: boolean;
}

/**
 * The one-time MinSizes to pass on after this run: those the group lists now (pending), and the
 * latest of those that have run, while it holds. One that left the list before its time was
 * deleted by the owner; one that ran is in effect once the group's MinSize is at least its own, and
 * ends when the MinSize goes below it after that, when a later owner action that sets MinSize has
 * run, or when it was never seen in effect within `graceMs` of its time (it failed, or the owner
 * deleted it then).
 */
export function ownerOneTimeMinSizes(
  passedOn: readonly OwnerOneTimeMinSize[] | undefined,
  listed: readonly OwnerScheduledAction[],
  {
    nowMs,
    groupMinSize,
    graceMs,
  }: { readonly nowMs: number; readonly groupMinSize: number; readonly graceMs: number },
): OwnerOneTimeMinSize[] {
  const pending = listed.flatMap((a) =>
    !a.recurrence && a.startMs !== undefined && a.minSize !== undefined && a.name !== undefined
      ? [{ name: a.name, atMs: a.startMs, minSize: a.minSize }]
      : [],
  );
  const pendingNames = new Set(pending.map((p) => p.name));
  const ran = (passedOn ?? [])
    .filter((r) => !pendingNames.has(r.name) && r.atMs <= nowMs)
    .flatMap((r): OwnerOneTimeMinSize[] => {
      if (groupMinSize >= r.minSize) return [{ ...r, inEffect: true }];
      if (r.inEffect === true || nowMs - r.atMs > graceMs) return [];
      return [r];
    })
    .sort((a, b) => a.atMs - b.atMs);
  const latest = ran.at(-1);
  const recurring = listed.filter((a) => a.recurrence);
  const superseded =
    latest !== undefined && ownerMinSizeRuns(recurring, nowMs, nowMs).some((r) => r.atMs > latest.atMs);
  return [...pending, ...(latest !== undefined && !superseded ? [latest] : [])];
}

/**
 * The one-time MinSizes that have run, as the owner's actions they were (one-time, at their
 * StartTime), to read beside the ones the group lists (`ownerMinSizeRuns`).
 */
export function ranOwnerActions(
  oneTime: readonly OwnerOneTimeMinSize[],
  listed: readonly OwnerScheduledAction[],
): OwnerScheduledAction[] {
  const names = new Set(listed.map((a) => a.name));
  return oneTime
    .filter((r) => !names.has(r.name))
    .map((r) => ({ name: r.name, startMs: r.atMs, minSize: r.minSize }));
}
