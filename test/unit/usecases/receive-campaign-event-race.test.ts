import { type UserConfig, userConfigSchema } from '../../../shared/contracts/user-config';
import type { CampaignAction } from '../../../shared/ports/campaign-scheduler';
import { receiveCampaignEvent } from '../../../shared/usecases/receive-campaign-event';
import { FakeScalingTarget, groupSnapshot } from '../../fakes/fake-scaling-target';
import { RecordingCampaignScheduler } from '../../fakes/memory-campaigns';
import { MemoryStateStore } from '../../fakes/memory-state-store';
import { campaignEvent } from '../../helpers/campaign-event-fixture';
import { campaignStoresOnDynalite } from '../../helpers/campaign-stores-on-dynalite';

/**
 * Deliveries of one campaign running side by side: EventBridge redelivers an event (at least once)
 * while a later one is handled. The schedules end as the newest stored version sets them, whatever
 * order the Scheduler calls of the two land in.
 */

/** 3 minutes before the start (08:00, a 12-hour sale): the pre-warm has fired. */
const NOW = Date.parse('2026-11-27T07:57:00Z');
const config: UserConfig = userConfigSchema.parse({ groups: { names: ['web'] }, mode: 'forecast-and-scale' });

/** Runs `interleave` once, before the first schedule it is asked to set lands. */
class InterleavingScheduler extends RecordingCampaignScheduler {
  interleave?: () => Promise<unknown>;
  override async scheduleAction(campaignId: string, action: CampaignAction, atMs: number): Promise<void> {
    const run = this.interleave;
    this.interleave = undefined;
    if (run) await run();
    return super.scheduleAction(campaignId, action, atMs);
  }
}

const { stores } = campaignStoresOnDynalite('prescale-campaign-race');

let n = 0;
describe.each(stores)(
  'receiveCampaignEvent racing another delivery of its campaign: %s',
  (_name, makeStore) => {
    it('leaves the cancel’s release when a redelivery read the campaign before the cancel was handled', async () => {
      n += 1;
      const campaignId = `race-${n}`;
      const store = makeStore();
      const scheduler = new InterleavingScheduler();
      const receive = (event: Record<string, unknown>, nowMs: number) =>
        receiveCampaignEvent(
          {
            store,
            scheduler,
            scalingTarget: new FakeScalingTarget([groupSnapshot({ name: 'web' })]),
            stateStore: new MemoryStateStore(),
            deadLetters: { reject: async () => {} },
            clock: { nowMs: () => nowMs },
          },
          config,
          event,
        );
      const scheduled = campaignEvent({
        campaignId,
        kind: 'sale',
        groups: { names: ['web'] },
        start: '2026-11-27T08:00:00Z',
        end: '2026-11-27T20:00:00Z',
        expectedLoad: { kind: 'multiplier', factor: 3 },
      });
      const cancel = { ...campaignEvent({ campaignId }, 'Campaign Cancelled'), id: 'e-2' };
      await receive(scheduled, NOW - 86_400_000);

      // The cancel runs whole between the redelivery's reads of the stored campaign and its first
      // Scheduler call.
      let cancelled: unknown;
      scheduler.interleave = async () => {
        cancelled = await receive(cancel, NOW);
      };
      const redelivery = await receive(scheduled, NOW);

      expect(cancelled).toEqual(expect.objectContaining({ kind: 'applied', type: 'cancelled' }));
      expect(redelivery).toEqual({ kind: 'duplicate', campaignId });
      expect((await store.get(campaignId))?.status).toBe('cancelled');
      expect(scheduler.schedules.get(`${campaignId}.release`)).toBe(Date.parse('2026-11-27T07:58:00Z'));
      expect(scheduler.schedules.has(`${campaignId}.prewarm`)).toBe(false);
    });
  },
);
