import { atExpression } from '../../../shared/aws/event-bridge-scheduler-campaign-scheduler';
import { campaignScheduleTimes } from '../../../shared/core/campaigns/campaign-schedule-times';
import { SimulatedScheduler } from '../../../shared/simulation/world/simulated-scheduler';
import { prewarmCampaign } from '../../../shared/usecases/prewarm-campaign';
import { config, definition, END, HOUR, START, setup } from './prewarm-campaign-setup';

const GROUP = 'prescale-campaigns';

/** The release schedule of `campaignId` as the receiver's adapter creates it, at `releaseAtMs`. */
function releaseSchedule(campaignId: string, releaseAtMs: number): Record<string, unknown> {
  return {
    Name: `${campaignId}.release`,
    GroupName: GROUP,
    ScheduleExpression: atExpression(releaseAtMs),
    ScheduleExpressionTimezone: 'UTC',
    FlexibleTimeWindow: { Mode: 'OFF' },
    ActionAfterCompletion: 'DELETE',
    State: 'ENABLED',
    Target: {
      Arn: 'arn:aws:lambda:us-east-1:123456789012:function:prescale-prewarm-campaign',
      RoleArn: 'arn:aws:iam::123456789012:role/prescale-scheduler',
      Input: JSON.stringify({ campaignId, action: 'release' }),
    },
  };
}

describe('the release of a campaign that ends within a minute', () => {
  it('fires after the end even at the start of its minute, and learns', async () => {
    const { deps, campaigns, setNow } = await setup();
    const endMs = END + 30_000;
    await campaigns.schedule({ ...definition, campaignId: 'ends-at-30', endMs }, 'e-2', START - 24 * HOUR);
    const times = campaignScheduleTimes({
      startMs: START,
      endMs,
      leadTimeSeconds: 300,
      nowMs: START - 24 * HOUR,
    });
    if (times.kind !== 'scheduled') throw new Error(`expected the campaign scheduled, got ${times.reason}`);
    let nowMs = START - 24 * HOUR;
    const scheduler = new SimulatedScheduler({
      region: 'us-east-1',
      account: '123456789012',
      nowMs: () => nowMs,
    });
    scheduler.createScheduleGroup(GROUP);
    scheduler.answer('CreateScheduleCommand', releaseSchedule('ends-at-30', times.releaseAtMs));

    nowMs = endMs + 2 * 60_000;
    const [fired] = scheduler.invocations();
    if (!fired) throw new Error('expected the release schedule to have fired');
    expect(fired.invokedAtMs).toBeGreaterThanOrEqual(endMs);
    setNow(fired.invokedAtMs);
    const result = await prewarmCampaign(deps, config, JSON.parse(fired.input ?? '{}'));
    expect(result.kind === 'done' && result.learning.map((l) => [l.groupName, l.kind])).toEqual([
      ['api', 'learned'],
      ['web', 'learned'],
    ]);
  });
});
