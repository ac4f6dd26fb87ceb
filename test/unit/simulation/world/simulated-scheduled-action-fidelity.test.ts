import { seededRandom } from '../../../../shared/simulation/seeded-random';
import { SimulatedAutoScaling } from '../../../../shared/simulation/world/simulated-auto-scaling';
import { webGroupSpec } from '../../../helpers/web-group-spec';

const START = Date.UTC(2024, 0, 1);
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

function world() {
  const asg = new SimulatedAutoScaling(seededRandom(1), START);
  asg.createGroup(webGroupSpec());
  return asg;
}

type Described = { ScheduledActionName: string; StartTime?: Date; Time?: Date };
const describedAction = (asg: SimulatedAutoScaling, name: string) =>
  (
    asg.describeScheduledActions({ AutoScalingGroupName: 'web' }) as {
      ScheduledUpdateGroupActions: Described[];
    }
  ).ScheduledUpdateGroupActions.find((a) => a.ScheduledActionName === name);

describe('SimulatedAutoScaling scheduled actions as AWS describes and refuses them', () => {
  // AWS describes a started recurring action's StartTime (and Time) as its next run.
  describe("a recurring action's StartTime is its next run", () => {
    it('describes the next cron match after now when the action was put without a StartTime', () => {
      const asg = world();
      asg.putScheduledUpdateGroupAction({
        AutoScalingGroupName: 'web',
        ScheduledActionName: 'nightly',
        Recurrence: '0 22 * * *',
        MinSize: 2,
      });
      expect(describedAction(asg, 'nightly')?.StartTime).toEqual(new Date(START + 22 * HOUR));
      asg.advanceTo(START + 2 * DAY + 3 * HOUR);
      expect(describedAction(asg, 'nightly')).toMatchObject({
        StartTime: new Date(START + 2 * DAY + 22 * HOUR),
        Time: new Date(START + 2 * DAY + 22 * HOUR),
      });
      // The minute it has run in is no longer its next run.
      asg.advanceTo(START + 2 * DAY + 22 * HOUR);
      expect(describedAction(asg, 'nightly')?.StartTime).toEqual(new Date(START + 3 * DAY + 22 * HOUR));
    });

    it('describes its StartTime while still ahead, then its next cron match once it has passed', () => {
      const asg = world();
      const start = new Date(START + 2 * HOUR + 30_000); // off the cron
      asg.putScheduledUpdateGroupAction({
        AutoScalingGroupName: 'web',
        ScheduledActionName: 'holiday',
        Recurrence: '0 8 * * *',
        StartTime: start,
        EndTime: new Date(START + 2 * DAY + 12 * HOUR),
        MinSize: 2,
      });
      expect(describedAction(asg, 'holiday')?.StartTime).toEqual(start);
      asg.advanceTo(START + DAY + 9 * HOUR);
      expect(describedAction(asg, 'holiday')?.StartTime).toEqual(new Date(START + 2 * DAY + 8 * HOUR));
      // Past its EndTime it runs no more: the StartTime it was given stays.
      asg.advanceTo(START + 2 * DAY + 9 * HOUR);
      expect(describedAction(asg, 'holiday')?.StartTime).toEqual(start);
    });
  });

  // AWS refuses at put an action whose own sizes contradict each other ("Desired capacity must be
  // greater than or equal to min size"), rather than failing when it runs.
  describe("an action's own sizes", () => {
    const bad = [
      { ScheduledActionName: 'min-over-max', MinSize: 5, MaxSize: 3 },
      { ScheduledActionName: 'desired-under-min', MinSize: 4, DesiredCapacity: 2 },
      { ScheduledActionName: 'desired-over-max', MaxSize: 3, DesiredCapacity: 5 },
    ];
    const at = (i: number) => new Date(START + (i + 1) * HOUR);

    it('refuses a put whose sizes contradict each other with ValidationError', () => {
      const asg = world();
      for (const [i, action] of bad.entries())
        expect(() =>
          asg.putScheduledUpdateGroupAction({ AutoScalingGroupName: 'web', StartTime: at(i), ...action }),
        ).toThrow(expect.objectContaining({ Code: 'ValidationError' }));
      expect(describedAction(asg, 'min-over-max')).toBeUndefined();
    });

    it('lists each such action of a batch as failed, creating the others', () => {
      const asg = world();
      const out = asg.batchPutScheduledUpdateGroupAction({
        AutoScalingGroupName: 'web',
        ScheduledUpdateGroupActions: [
          ...bad.map((action, i) => ({ ...action, StartTime: at(i) })),
          // Only the sizes the action itself sets are compared: the group's MaxSize is not one.
          { ScheduledActionName: 'fine', StartTime: at(5), MinSize: 50, DesiredCapacity: 60 },
        ],
      }) as { FailedScheduledUpdateGroupActions: { ScheduledActionName?: string; ErrorCode: string }[] };
      expect(out.FailedScheduledUpdateGroupActions).toEqual(
        bad.map((a) =>
          expect.objectContaining({
            ScheduledActionName: a.ScheduledActionName,
            ErrorCode: 'ValidationError',
          }),
        ),
      );
      expect(describedAction(asg, 'fine')).toBeDefined();
    });
  });
});
