import { STATE_KEYS } from './state-keys';

const pad = (ms: number) => String(Math.max(0, Math.floor(ms))).padStart(15, '0');

/**
 * Item keys of campaigns in the state table, shared by the campaign store (writer) and the
 * campaign calendar (reader):
 *
 * - `CAMPAIGN#<id>` / `CAMPAIGN`: the campaign itself, the single item whose conditional write
 *   commits an event (nothing else is authoritative); before the campaign arrives, the tombstone
 *   of a cancel that came first (attribute `tombstone`).
 * - `GROUP#<name>` / `CAMPAIGNWIN#<endMs>#<id>`: one pointer per group, derived from the campaign,
 *   so the loop finds a group's active and upcoming campaigns with one Query on "ends after now".
 * - `CAMPAIGN#<id>` / `PREWARM#<group>`: what the pre-warm raised on a group, for the release.
 * - `CAMPAIGNKIND#<kind>` / `HISTORY#<group>`: past windows of a kind on a group and the uplift
 *   learned from them.
 */
export const CAMPAIGN_KEYS = {
  campaignPk: (campaignId: string) => `CAMPAIGN#${campaignId}`,
  campaignSk: 'CAMPAIGN',
  /** The same partition as the group's run records and state (`STATE_KEYS.groupPk`). */
  groupPk: STATE_KEYS.groupPk,
  /** Zero-padded end time first, so "ends after t" is a range on the sort key. */
  windowSk: (endMs: number, campaignId: string) => `CAMPAIGNWIN#${pad(endMs)}#${campaignId}`,
  /** Lower bound of the window pointers that end strictly after `afterMs`. */
  windowSkFrom: (afterMs: number) => `CAMPAIGNWIN#${pad(afterMs + 1)}`,
  /** Upper bound of every window pointer ('~' sorts after digits and '#'). */
  windowSkTo: 'CAMPAIGNWIN#~',
  prewarmSk: (groupName: string) => `PREWARM#${groupName}`,
  kindPk: (kind: string) => `CAMPAIGNKIND#${kind}`,
  historySk: (groupName: string) => `HISTORY#${groupName}`,
  historySkPrefix: 'HISTORY#',
} as const;
