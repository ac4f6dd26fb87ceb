import { type PlanCalendar, planCalendarSchema } from '../../../shared/contracts/plan-calendar';
import { CampaignsNotReadError } from '../../../shared/ports/campaign-calendar';
import { calendarReadForPlan } from '../../../shared/usecases/calendar-read-for-plan';

const HOUR_MS = 3_600_000;
const campaign = (campaignId: string, startMs: number, endMs: number) => ({
  campaignId,
  kind: 'sale',
  version: 1,
  startMs,
  endMs,
  rampUpSeconds: 0,
  extraInstances: 0,
  uplift: { kind: 'multiplier' as const, factor: 2 },
  upliftSource: 'explicit' as const,
});
const read: PlanCalendar = {
  fromMs: 0,
  toMs: 10 * HOUR_MS,
  campaigns: [
    campaign('before', HOUR_MS, 2 * HOUR_MS),
    campaign('over', 2 * HOUR_MS, 4 * HOUR_MS),
    campaign('after', 5 * HOUR_MS, 6 * HOUR_MS),
  ],
  groups: [
    { groupName: 'web', campaignIndexes: [0, 1, 2] },
    { groupName: 'api', campaignIndexes: [1] },
    { groupName: 'db', campaignIndexes: [] },
  ],
};

describe('calendarReadForPlan', () => {
  it('answers with the campaigns of the group whose window overlaps the range asked, as a calendar does', async () => {
    const calendar = calendarReadForPlan(read);
    // [2 h, 5 h): "before" ends as it starts, "after" starts as it ends.
    const ids = (await calendar.campaignsFor('web', 2 * HOUR_MS, 5 * HOUR_MS)).map((c) => c.campaignId);
    expect(ids).toEqual(['over']);
    expect(await calendar.campaignsFor('api', 0, 10 * HOUR_MS)).toEqual([
      campaign('over', 2 * HOUR_MS, 4 * HOUR_MS),
    ]);
    expect(await calendar.campaignsFor('db', 0, 10 * HOUR_MS)).toEqual([]);
  });

  it('refuses a time or a group the read did not cover, saying what it covers', async () => {
    const calendar = calendarReadForPlan(read);
    await expect(calendar.campaignsFor('web', -1, HOUR_MS)).rejects.toBeInstanceOf(CampaignsNotReadError);
    await expect(calendar.campaignsFor('web', 0, 10 * HOUR_MS + 1)).rejects.toThrow(
      'the campaign calendar read for web covers 1970-01-01T00:00:00.000Z to 1970-01-01T10:00:00.000Z; expected it to cover the 1970-01-01T00:00:00.000Z to 1970-01-01T10:00:00.001Z asked',
    );
    await expect(calendar.campaignsFor('cache', 0, HOUR_MS)).rejects.toThrow(
      'the campaign calendar read holds no group cache; expected every group of the plan request',
    );
  });

  it('refuses a read whose group lists a campaign it does not hold, naming the position', () => {
    const bad = { ...read, groups: [{ groupName: 'web', campaignIndexes: [0, 3] }] };
    const parsed = planCalendarSchema.safeParse(bad);
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues).toEqual([
      expect.objectContaining({
        path: ['groups', 0, 'campaignIndexes', 1],
        message: 'expected a position in campaigns (0 to 2); got 3',
      }),
    ]);
  });
});
