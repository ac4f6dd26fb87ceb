/** A refresh of the group as DescribeInstanceRefreshes reports it, in the fields that tell whose it is. */
export interface StartedRefresh {
  readonly id: string;
  /** When it started (epoch ms); undefined when not reported. */
  readonly startedAtMs?: number;
  /** Its desired configuration's launch template and version; undefined when it had none. */
  readonly launchTemplate?: { readonly id?: string; readonly version?: string };
  /** Its preferences as reported. */
  readonly preferences: Readonly<Record<string, unknown>>;
}

/** What this run's start asked for, and since when it may have started. */
export interface ExpectedStart {
  /** When the run took the group's lock: its start cannot be older. */
  readonly notBeforeMs: number;
  /** The launch template and version it named; undefined when it named no desired configuration. */
  readonly launchTemplate?: { readonly id: string; readonly version: string };
  /** The version a start without a desired configuration rolls out (the group points at it). */
  readonly targetVersion: string;
  /** The preferences it was started with. */
  readonly preferences: Readonly<Record<string, unknown>>;
}

const sameValue = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** Alarms compare as a set: Auto Scaling may list them in another order. */
const alarmsOf = (preferences: Readonly<Record<string, unknown>>) =>
  [...((preferences.AlarmSpecification as { Alarms?: string[] } | undefined)?.Alarms ?? [])].sort();

/** Every preference the start set is reported with the same value (a field not reported does not count). */
function samePreferences(
  reported: Readonly<Record<string, unknown>>,
  asked: Readonly<Record<string, unknown>>,
) {
  return Object.entries(asked).every(([key, value]) => {
    if (key === 'AlarmSpecification') return sameValue(alarmsOf(reported), alarmsOf(asked));
    return reported[key] === undefined || sameValue(reported[key], value);
  });
}

function sameConfiguration(refresh: StartedRefresh, expected: ExpectedStart): boolean {
  const reported = refresh.launchTemplate;
  const asked = expected.launchTemplate;
  // Without a desired configuration (the fallback path) none is reported, or the group's: the target.
  if (asked === undefined)
    return reported?.version === undefined || reported.version === expected.targetVersion;
  if (reported?.version !== asked.version) return false;
  return reported.id === undefined || reported.id === asked.id;
}

/**
 * The refresh this run started itself, among the group's, when its start answered
 * `InstanceRefreshInProgress`: StartInstanceRefresh takes no client token, so a start that took
 * effect and then failed (a 5xx, a lost response) is retried and meets its own refresh. Its
 * own is the newest that started after the run took the lock with the desired configuration and
 * preferences it asked for; anything else (an operator's refresh) is someone else's.
 * @returns its id, or undefined when none is this run's.
 */
export function ownStartedRefresh(
  refreshes: readonly StartedRefresh[],
  expected: ExpectedStart,
): string | undefined {
  const own = refreshes
    .filter(
      (r) =>
        r.startedAtMs !== undefined &&
        r.startedAtMs >= expected.notBeforeMs &&
        sameConfiguration(r, expected) &&
        samePreferences(r.preferences, expected.preferences),
    )
    .sort((a, b) => (b.startedAtMs ?? 0) - (a.startedAtMs ?? 0));
  return own[0]?.id;
}

/**
 * The revert refresh this run started itself, when the revert's start answered
 * `InstanceRefreshInProgress` (a first attempt took effect, then failed): `ownStartedRefresh`
 * with what the revert asked for, among the refreshes other than the forward one that started no
 * earlier than it (a revert can only start once the forward refresh has stopped).
 * @returns its id, or undefined when none is this run's.
 */
export function ownStartedRevert(
  refreshes: readonly StartedRefresh[],
  forwardRefreshId: string,
  expected: ExpectedStart,
): string | undefined {
  const forwardStartMs = refreshes.find((r) => r.id === forwardRefreshId)?.startedAtMs ?? 0;
  return ownStartedRefresh(
    refreshes.filter((r) => r.id !== forwardRefreshId),
    { ...expected, notBeforeMs: Math.max(expected.notBeforeMs, forwardStartMs) },
  );
}
