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
      groups: [
        { groupName: 'web', campaigns: [forPlan] },
        { groupName: 'api', campaigns: [forPlan] },
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

  it('refuses a calendar larger than the execution state carries for it, saying how large', async () => {
    const many = Array.from({ length: 80 }, (_, i) => ({ ...learnedSale, campaignId: `sale-${i}` }));
    const { calendar } = recordingCalendar(many);
    const reading = readPlanCalendar({ calendar, clock }, config, { request });
    await expect(reading).rejects.toBeInstanceOf(PlanCalendarTooLargeError);
    await expect(reading).rejects.toThrow(
      new RegExp(
        `holds 160 campaign\\(s\\), \\d+ bytes as JSON; expected at most ${PLAN_CALENDAR_MAX_BYTES} bytes`,
      ),
    );
  });
});
