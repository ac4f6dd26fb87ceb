import { GROUP_TAGS } from '../contracts/env';
import { CPU_PERCENT_CEILING, isCpuPercentLoad } from '../contracts/group-settings-checks';
import { type GroupSettings, MAX_RECENT_LOAD_HOLD_MINUTES } from '../contracts/group-settings-schema';
import type { UserConfig } from '../contracts/user-config';
import { MAX_PLANNING_QUANTILE } from '../core/forecast/forecast-levels';

/** A group's effective settings and any tag that could not be used, with why. */
export interface ResolvedGroupSettings {
  readonly settings: GroupSettings;
  readonly mode: 'forecast-only' | 'forecast-and-scale';
  readonly ignoredTags: readonly string[];
}

/** How a run's or an action's reason names the tags it could not use (`ignoredTags`). */
export const ignoredTagReasons = (ignoredTags: readonly string[]): string[] =>
  ignoredTags.map((t) => `ignored tag ${t}`);

/**
 * How a numeric tag must be written: digits, with a fractional part only where the setting takes
 * one (`3`, `0.75`). Surrounding whitespace is dropped (the console shows none); a sign, an
 * exponent, hex, `Infinity` or an empty value is malformed, never read as a number `Number()`
 * would make of it (`''` is 0, `0x5` is 5, `1e2` is 100).
 */
const NUMERAL = { whole: /^\d+$/, decimal: /^\d+(?:\.\d+)?$/ } as const;

/**
 * A tag's numeral form, its check, and its wording for a whole number from 0 to `max`, or to
 * `historyDays` where that is lower for a setting read over the newest days of the history the
 * forecast fits (`checkDaysReadFromHistory` holds the configured values to it at synth).
 */
function wholeNumberUpTo(
  max: number,
  historyDays?: number,
): [keyof typeof NUMERAL, (value: number) => boolean, string] {
  if (historyDays !== undefined && historyDays < max)
    return ['whole', (value) => value <= historyDays, `a whole number 0–${historyDays}, at most historyDays`];
  return ['whole', (value) => value <= max, `a whole number 0–${max}`];
}

/** The numeric settings a `prescale:*` tag of the same name may override. */
type NumericTagSetting =
  | 'targetLoadPerInstance'
  | 'floorCapacity'
  | 'recurringPeakDays'
  | 'recentLoadHoldMinutes'
  | 'recentLoadHoldQuantile'
  | 'steadyHoldMaxExtraCost'
  | 'scaleInAheadTargetRatio'
  | 'floorCheckDays';

/**
 * Effective settings for one group: config defaults, then the group's override in config, then
 * the documented `prescale:*` tags on the group (the most specific wins). A malformed tag value
 * is ignored and reported, never guessed at.
 */
export function resolveGroupSettings(
  config: UserConfig,
  groupName: string,
  tags: Readonly<Record<string, string>>,
): ResolvedGroupSettings {
  const override = config.groupOverrides[groupName] ?? {};
  const merged: GroupSettings = { ...config.defaults, ...override } as GroupSettings;
  const ignoredTags: string[] = [];
  const mode = modeTag(tags, merged.mode ?? config.mode, ignoredTags);
  return {
    settings: {
      ...merged,
      ...taggedNumbers(merged, tags, ignoredTags, config.historySource),
      forecastFloor: booleanTag(tags, GROUP_TAGS.forecastFloor, merged.forecastFloor, ignoredTags),
      ...quantileBounds(merged, tags, ignoredTags),
    },
    mode,
    ignoredTags,
  };
}

/**
 * The numeric settings under their `prescale:*` tags, read in a fixed order so `ignoredTags`
 * reports them in it.
 */
function taggedNumbers(
  merged: GroupSettings,
  tags: Readonly<Record<string, string>>,
  ignoredTags: string[],
  historySource: UserConfig['historySource'],
): Pick<GroupSettings, NumericTagSetting> {
  const numberSetting = (
    key: NumericTagSetting,
    numeral: keyof typeof NUMERAL,
    accepts: (value: number) => boolean,
    expected: string,
  ): number => numberTag(tags, GROUP_TAGS[key], merged[key], [numeral, accepts, expected], ignoredTags);
  const shareSetting = (key: NumericTagSetting): number =>
    shareTag(tags, GROUP_TAGS[key], merged[key], ignoredTags);
  // One instance's CPU never shows more than 100 %: a target at or past it would shed the fleet.
  const cpuPercent = isCpuPercentLoad(historySource, merged.metric);
  const targetLoadPerInstance = numberSetting(
    'targetLoadPerInstance',
    'decimal',
    (value) => value > 0 && (!cpuPercent || value < CPU_PERCENT_CEILING),
    cpuPercent ? `a CPU percentage above 0 and below ${CPU_PERCENT_CEILING}` : 'a positive number',
  );
  const floorCapacity = numberSetting(
    'floorCapacity',
    'whole',
    (value) => Number.isSafeInteger(value),
    'a whole number ≥ 0',
  );
  const recurringPeakDays = numberSetting('recurringPeakDays', ...wholeNumberUpTo(14, merged.historyDays));
  const recentLoadHoldMinutes = numberSetting(
    'recentLoadHoldMinutes',
    ...wholeNumberUpTo(MAX_RECENT_LOAD_HOLD_MINUTES),
  );
  const recentLoadHoldQuantile = shareSetting('recentLoadHoldQuantile');
  const steadyHoldMaxExtraCost = numberSetting(
    'steadyHoldMaxExtraCost',
    'decimal',
    (value) => value <= 1,
    'a number in [0, 1]',
  );
  const scaleInAheadTargetRatio = shareSetting('scaleInAheadTargetRatio');
  const floorCheckDays = numberSetting('floorCheckDays', ...wholeNumberUpTo(7, merged.historyDays));
  return {
    floorCheckDays,
    targetLoadPerInstance,
    floorCapacity,
    recurringPeakDays,
    recentLoadHoldMinutes,
    recentLoadHoldQuantile,
    steadyHoldMaxExtraCost,
    scaleInAheadTargetRatio,
  };
}

/**
 * A numeric `prescale:*` tag's value when it is written as `numeral` (after trimming) and `accepts`
 * takes it; otherwise `fallback` (the configured setting), and the value is reported as
 * `key=value (expected …)`.
 */
function numberTag(
  tags: Readonly<Record<string, string>>,
  key: string,
  fallback: number,
  [numeral, accepts, expected]: [keyof typeof NUMERAL, (value: number) => boolean, string],
  ignoredTags: string[],
): number {
  const tag = tags[key];
  if (tag === undefined) return fallback;
  const text = tag.trim();
  if (NUMERAL[numeral].test(text) && accepts(Number(text))) return Number(text);
  ignoredTags.push(`${key}=${tag} (expected ${expected})`);
  return fallback;
}

/** A `prescale:*` tag holding a share, a number in (0, 1], as `numberTag` reads it. */
function shareTag(
  tags: Readonly<Record<string, string>>,
  key: string,
  fallback: number,
  ignoredTags: string[],
): number {
  return numberTag(
    tags,
    key,
    fallback,
    ['decimal', (value) => value > 0 && value <= 1, 'a number in (0, 1]'],
    ignoredTags,
  );
}

/**
 * The group's mode under the `prescale:mode` tag, failing safe: the two modes are read whatever
 * their case and surrounding whitespace; any other value (`readonly`, `forecast_only`, empty) is
 * reported and holds the group forecast-only, since a tag an operator typed is far more likely
 * meant to stop scaling than to start it.
 */
function modeTag(
  tags: Readonly<Record<string, string>>,
  fallback: ResolvedGroupSettings['mode'],
  ignoredTags: string[],
): ResolvedGroupSettings['mode'] {
  const tag = tags[GROUP_TAGS.mode];
  if (tag === undefined) return fallback;
  const text = tag.trim().toLowerCase();
  if (text === 'forecast-only' || text === 'forecast-and-scale') return text;
  ignoredTags.push(
    `${GROUP_TAGS.mode}=${tag} (expected forecast-only or forecast-and-scale; held forecast-only)`,
  );
  return 'forecast-only';
}

/**
 * A `true`/`false` `prescale:*` tag's value, in any case and with surrounding whitespace dropped,
 * as `prescale:mode` and `prescale:paused` are read (`False` is `false`: neither says anything
 * else); otherwise `fallback`, and the value is reported as `key=value (expected …)`.
 */
function booleanTag(
  tags: Readonly<Record<string, string>>,
  key: string,
  fallback: boolean,
  ignoredTags: string[],
): boolean {
  const tag = tags[key];
  if (tag === undefined) return fallback;
  const text = tag.trim().toLowerCase();
  if (text === 'true' || text === 'false') return text === 'true';
  ignoredTags.push(`${key}=${tag} (expected true or false)`);
  return fallback;
}

/**
 * The planning quantile's start and bounds under the `prescale:planning-quantile-max` tag: the
 * tag is the group's own upper bound (in place of the configured one, like every tag), and the
 * start and the lower bound follow it down, so min ≤ start ≤ max holds whatever the
 * configuration. Without a usable tag, the merged settings' own.
 */
function quantileBounds(
  merged: GroupSettings,
  tags: Readonly<Record<string, string>>,
  ignoredTags: string[],
): Pick<GroupSettings, 'planningQuantile' | 'planningQuantileMin' | 'planningQuantileMax'> {
  const { planningQuantile, planningQuantileMin, planningQuantileMax } = merged;
  const tag = tags[GROUP_TAGS.planningQuantileMax];
  if (tag === undefined) return { planningQuantile, planningQuantileMin, planningQuantileMax };
  const text = tag.trim();
  const cap = Number(text);
  // Above MAX_PLANNING_QUANTILE the forecast gives no quantile: every run would fail planning.
  if (!(NUMERAL.decimal.test(text) && cap > 0.5 && cap <= MAX_PLANNING_QUANTILE)) {
    ignoredTags.push(
      `${GROUP_TAGS.planningQuantileMax}=${tag} (expected a number above 0.5 and at most ${MAX_PLANNING_QUANTILE}, the highest quantile the forecast gives)`,
    );
    return { planningQuantile, planningQuantileMin, planningQuantileMax };
  }
  return {
    planningQuantile: Math.min(planningQuantile, cap),
    planningQuantileMin: Math.min(planningQuantileMin, cap),
    planningQuantileMax: cap,
  };
}
