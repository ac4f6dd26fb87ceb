import { parseConfig } from '../../../shared/contracts/parse-config';
import { userConfigSchema } from '../../../shared/contracts/user-config';
import type { CalendarCampaign } from '../../../shared/ports/campaign-calendar';
import {
  PLAN_CALENDAR_MAX_BYTES,
  PlanCalendarTooLargeError,
  readPlanCalendar,
} from '../../../shared/usecases/read-plan-calendar';

const NOW = Date.parse('2026-03-02T01:00:00Z');
const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
const config = parseConfig(
  userConfigSchema,
  { groups: { names: ['web', 'api'] }, groupOverrides: { api: { historyDays: 7 } } },
  'test config',
);
const clock = { nowMs: () => NOW };
const request = {
  groups: [
    { groupName: 'web', launchTemplateVersion: '7' },
    { groupName: 'api', launchTemplateVersion: '12' },
  ],
};

/** A campaign the state table's calendar answers with: learned, and pre-warmed on the group. */
const learnedSale: CalendarCampaign = {
  campaignId: 'sale',
  kind: 'spring-sale',
  version: 2,
  startMs: NOW + HOUR_MS,
  endMs: NOW + 3 * HOUR_MS,
  rampUpSeconds: 600,
  extraInstances: 1,
  uplift: { kind: 'multiplier', factor: 2.5 },
  upliftSource: 'learned',
  learned: { medianFactor: 2, minFactor: 1.5, maxFactor: 2.5, windowCount: 3 },
  prewarmed: true,
  prewarmMinSize: { before: 2, after: 6 },
};

/** A calendar answering `campaigns` for every group, recording what it was asked. */
function recordingCalendar(campaigns: readonly CalendarCampaign[]) {
  const asked: [string, number, number][] = [];
  return {
    asked,
    calendar: {
      campaignsFor: async (groupName: string, fromMs: number, toMs: number) => {
        asked.push([groupName, fromMs, toMs]);
        return [...campaigns];
      },
    },
  };
}

/** A daily 2-hour campaign at 18:00 on every group, over [fromMs, toMs): one event naming them all. */
const dailyDeal = {
  campaignsFor: async (_groupName: string, fromMs: number, toMs: number) => {
    const campaigns: CalendarCampaign[] = [];
    for (let day = Math.floor(fromMs / DAY_MS); day * DAY_MS < toMs; day++) {
      const startMs = day * DAY_MS + 18 * HOUR_MS;
      if (startMs + 2 * HOUR_MS <= fromMs || startMs >= toMs) continue;
      campaigns.push({
        campaignId: `deal-of-the-day-${new Date(startMs).toISOString().slice(0, 10)}`,
        kind: 'deal-of-the-day',
        version: 1,
        startMs,
        endMs: startMs + 2 * HOUR_MS,
        rampUpSeconds: 600,
        extraInstances: 0,
        uplift: { kind: 'multiplier', factor: 1.8 },
        upliftSource: 'learned',
      });
    }
    return campaigns;
  },
};

describe('readPlanCalendar', () => {
  it("reads every requested group from a day before the longest history to a day past the plan's 48 h", async () => {
    const { asked, calendar } = recordingCalendar([learnedSale]);
    const read = await readPlanCalendar({ calendar, clock }, config, { request });
    // web reads 14 days of history (the default), api 7: one range for both.
    const range = { fromMs: NOW - 15 * DAY_MS, toMs: NOW + 72 * HOUR_MS };
    expect(asked).toEqual([
      ['web', range.fromMs, range.toMs],
      ['api', range.fromMs, range.toMs],
    ]);
    const { learned: _l, prewarmed: _p, prewarmMinSize: _m, ...forPlan } = learnedSale;
    expect(read).toEqual({
      ...range,
      campaigns: [forPlan],
      groups: [
        { groupName: 'web', campaignIndexes: [0] },
        { groupName: 'api', campaignIndexes: [0] },
      ],
    });
  });

  it('reads nothing for a request whose groups are not a valid list (the planner refuses it)', async () => {
    for (const bad of [{}, { groups: 'web' }, { groups: [{ groupName: 'web' }] }, null, 'web']) {
      const { asked, calendar } = recordingCalendar([learnedSale]);
      expect((await readPlanCalendar({ calendar, clock }, config, { request: bad })).groups).toEqual([]);
      expect(asked).toEqual([]);
    }
  });

  it('holds a campaign once per size: a group whose learned size differs gets an entry of its own', async () => {
    const calendar = {
      campaignsFor: async (groupName: string) => [
        groupName === 'api'
          ? { ...learnedSale, uplift: { kind: 'multiplier' as const, factor: 3 } }
          : learnedSale,
      ],
    };
    const read = await readPlanCalendar({ calendar, clock }, config, { request });
    expect(read.campaigns.map((c) => c.uplift)).toEqual([
      { kind: 'multiplier', factor: 2.5 },
      { kind: 'multiplier', factor: 3 },
    ]);
    expect(read.groups.map((g) => g.campaignIndexes)).toEqual([[0], [1]]);
  });

  it('refuses a calendar larger than Step Functions carries for it, saying how large', async () => {
    const many = Array.from({ length: 1000 }, (_, i) => ({ ...learnedSale, campaignId: `sale-${i}` }));
    const { calendar } = recordingCalendar(many);
    const reading = readPlanCalendar({ calendar, clock }, config, { request });
    await expect(reading).rejects.toBeInstanceOf(PlanCalendarTooLargeError);
    await expect(reading).rejects.toThrow(
      new RegExp(
        `holds 1000 campaign\\(s\\), \\d+ bytes as JSON; expected at most ${PLAN_CALENDAR_MAX_BYTES} bytes`,
      ),
    );
  });

  it('reads ten groups sharing a daily campaign over the whole range, each campaign held once', async () => {
    const names = Array.from({ length: 10 }, (_, i) => `shop-service-${i}`);
    const tagged = parseConfig(
      userConfigSchema,
      { groups: { tag: { key: 'prescale:enabled', value: 'true' } } },
      'test config',
    );
    const tenGroups = { groups: names.map((groupName) => ({ groupName, launchTemplateVersion: '2' })) };
    const read = await readPlanCalendar({ calendar: dailyDeal, clock }, tagged, { request: tenGroups });
    const perGroup = await dailyDeal.campaignsFor('shop-service-0', read.fromMs, read.toMs);
    expect(perGroup.length).toBeGreaterThanOrEqual(17);
    expect(read.campaigns).toEqual(perGroup);
    expect(read.groups).toEqual(
      names.map((groupName) => ({ groupName, campaignIndexes: perGroup.map((_, i) => i) })),
    );
  });
});
