import type { CampaignDefinition } from '../../../shared/ports/campaign-store';
import { campaignWindowsFor } from '../../../shared/usecases/campaign-windows-for';
import { MemoryCampaigns } from '../../fakes/memory-campaigns';

const HOUR = 3_600_000;
const FROM = Date.parse('2026-03-02T00:00:00Z');
const TO = FROM + 48 * HOUR;

function campaign(overrides: Partial<CampaignDefinition> & { campaignId: string }): CampaignDefinition {
  return {
    version: 1,
    kind: 'sale',
    groupNames: ['api', 'web'],
    startMs: FROM + 10 * HOUR,
    endMs: FROM + 14 * HOUR,
    rampUpSeconds: 600,
    expectedLoad: { kind: 'multiplier', factor: 2 },
    extraInstances: 0,
    expiresAtMs: TO + 24 * HOUR,
    ...overrides,
  };
}

async function calendarWith(...definitions: CampaignDefinition[]): Promise<MemoryCampaigns> {
  const calendar = new MemoryCampaigns();
  for (const [i, definition] of definitions.entries()) await calendar.schedule(definition, `e-${i}`, FROM);
  return calendar;
}

describe('campaignWindowsFor', () => {
  it('returns no windows when the calendar has no campaign of the group in the span', async () => {
    const calendar = await calendarWith(
      campaign({ campaignId: 'api-only', groupNames: ['api'] }),
      campaign({ campaignId: 'over', startMs: FROM - 10 * HOUR, endMs: FROM - HOUR }),
    );
    expect(await campaignWindowsFor(calendar)('web', FROM, TO, 60)).toEqual([]);
  });

  it('turns extra instances into load at the target load per instance the loop resolved for the group', async () => {
    const calendar = await calendarWith(
      campaign({
        campaignId: 'sale',
        expectedLoad: { kind: 'multiplier', factor: 1.5 },
        extraInstances: 2,
      }),
    );
    const windowsFor = campaignWindowsFor(calendar);
    const span = { startMs: FROM + 10 * HOUR, endMs: FROM + 14 * HOUR };
    expect(await windowsFor('web', FROM, TO, 50)).toEqual([
      { campaignId: 'sale', ...span, uplift: { kind: 'multiplier', factor: 1.5 }, rampUpSeconds: 600 },
      {
        campaignId: 'sale+extra-instances',
        ...span,
        uplift: { kind: 'added-load', load: 2 * 50 },
        rampUpSeconds: 0,
        headroom: true,
      },
    ]);
    expect(await windowsFor('api', FROM, TO, 60)).toContainEqual(
      expect.objectContaining({
        campaignId: 'sale+extra-instances',
        uplift: { kind: 'added-load', load: 2 * 60 },
      }),
    );
  });
});
