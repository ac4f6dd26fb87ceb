import { seededRandom } from '../../../../shared/simulation/seeded-random';
import { SimulatedAutoScaling } from '../../../../shared/simulation/world/simulated-auto-scaling';
import { webGroupSpec } from '../../../helpers/web-group-spec';

const START = Date.UTC(2024, 0, 1);
const HOUR = 3_600_000;

function world() {
  const asg = new SimulatedAutoScaling(seededRandom(1), START);
  asg.createGroup(webGroupSpec());
  return asg;
}

const actions = (n: number, from = 0) =>
  Array.from({ length: n }, (_, i) => ({
    ScheduledActionName: `prescale-${from + i}`,
    StartTime: new Date(START + (from + i + 1) * HOUR),
    MinSize: 2,
  }));

type Failed = { ScheduledActionName?: string; ErrorCode: string; ErrorMessage: string }[];
const described = (asg: SimulatedAutoScaling) =>
  asg.describeScheduledActions({ AutoScalingGroupName: 'web', MaxRecords: 100 }) as {
    ScheduledUpdateGroupActions: { ScheduledActionName: string; MinSize?: number }[];
    NextToken?: string;
  };

describe('SimulatedAutoScaling scheduled-action batches', () => {
  it('creates and overwrites up to 50 actions per BatchPut call', () => {
    const asg = world();
    const out = asg.batchPutScheduledUpdateGroupAction({
      AutoScalingGroupName: 'web',
      ScheduledUpdateGroupActions: actions(50),
    }) as {
      FailedScheduledUpdateGroupActions: Failed;
    };
    expect(out.FailedScheduledUpdateGroupActions).toEqual([]);
    asg.batchPutScheduledUpdateGroupAction({
      AutoScalingGroupName: 'web',
      ScheduledUpdateGroupActions: [{ ...actions(1)[0], MinSize: 5 }],
    });
    expect(
      described(asg).ScheduledUpdateGroupActions.find((a) => a.ScheduledActionName === 'prescale-0')?.MinSize,
    ).toBe(5);
    expect(() =>
      asg.batchPutScheduledUpdateGroupAction({
        AutoScalingGroupName: 'web',
        ScheduledUpdateGroupActions: actions(51),
      }),
    ).toThrow(/length between 1 and 50/);
  });

  // AWS: "If you leave a parameter unspecified when updating a scheduled scaling action, the
  // corresponding value remains unchanged."
  it('keeps on an update, single or batched, the sizes and schedule the put leaves out', () => {
    const asg = world();
    const start = new Date(START + 2 * HOUR);
    asg.putScheduledUpdateGroupAction({
      AutoScalingGroupName: 'web',
      ScheduledActionName: 'give-back',
      StartTime: start,
      MinSize: 2,
      MaxSize: 16,
    });
    asg.putScheduledUpdateGroupAction({
      AutoScalingGroupName: 'web',
      ScheduledActionName: 'give-back',
      StartTime: start,
      MinSize: 5,
      DesiredCapacity: 5,
    });
    asg.batchPutScheduledUpdateGroupAction({
      AutoScalingGroupName: 'web',
      ScheduledUpdateGroupActions: [
        {
          ScheduledActionName: 'nightly',
          Recurrence: '0 22 * * *',
          EndTime: new Date(START + 48 * HOUR),
          MinSize: 1,
          DesiredCapacity: 1,
        },
      ],
    });
    asg.batchPutScheduledUpdateGroupAction({
      AutoScalingGroupName: 'web',
      ScheduledUpdateGroupActions: [{ ScheduledActionName: 'nightly', MinSize: 3 }],
    });
    expect(described(asg).ScheduledUpdateGroupActions).toEqual([
      expect.objectContaining({
        ScheduledActionName: 'give-back',
        StartTime: start,
        MinSize: 5,
        MaxSize: 16,
        DesiredCapacity: 5,
      }),
      expect.objectContaining({
        ScheduledActionName: 'nightly',
        Recurrence: '0 22 * * *',
        EndTime: new Date(START + 48 * HOUR),
        MinSize: 3,
        DesiredCapacity: 1,
      }),
    ]);
    asg.batchDeleteScheduledAction({ AutoScalingGroupName: 'web', ScheduledActionNames: ['give-back'] });
    asg.putScheduledUpdateGroupAction({
      AutoScalingGroupName: 'web',
      ScheduledActionName: 'give-back',
      StartTime: start,
      MinSize: 5,
    });
    expect(described(asg).ScheduledUpdateGroupActions[0]).not.toHaveProperty('MaxSize');
  });

  it('refuses actions beyond 125 per group with LimitExceeded, and invalid ones one by one', () => {
    const asg = world();
    asg.batchPutScheduledUpdateGroupAction({
      AutoScalingGroupName: 'web',
      ScheduledUpdateGroupActions: actions(50),
    });
    asg.batchPutScheduledUpdateGroupAction({
      AutoScalingGroupName: 'web',
      ScheduledUpdateGroupActions: actions(50, 50),
    });
    const out = asg.batchPutScheduledUpdateGroupAction({
      AutoScalingGroupName: 'web',
      ScheduledUpdateGroupActions: [
        { ScheduledActionName: 'past', StartTime: new Date(START - HOUR), MinSize: 1 },
        { ScheduledActionName: 'x'.repeat(256), StartTime: new Date(START + HOUR), MinSize: 1 },
        ...actions(26, 100),
      ],
    }) as { FailedScheduledUpdateGroupActions: Failed };
    expect(out.FailedScheduledUpdateGroupActions.map((f) => f.ErrorCode)).toEqual([
      'ValidationError',
      'ValidationError',
      'LimitExceeded',
    ]);
    expect(out.FailedScheduledUpdateGroupActions[2]?.ScheduledActionName).toBe('prescale-125');
  });

  it('refuses a past StartTime with a Recurrence too, alone and as one failed member of a batch', () => {
    const asg = world();
    asg.advanceTo(START + HOUR);
    const recurringFromThePast = {
      ScheduledActionName: 'daily',
      Recurrence: '0 9 * * *',
      StartTime: new Date(START),
      MinSize: 2,
    };
    expect(() =>
      asg.putScheduledUpdateGroupAction({ AutoScalingGroupName: 'web', ...recurringFromThePast }),
    ).toThrow(
      expect.objectContaining({ Code: 'ValidationError', message: 'Given start time is in the past.' }),
    );
    const out = asg.batchPutScheduledUpdateGroupAction({
      AutoScalingGroupName: 'web',
      ScheduledUpdateGroupActions: [recurringFromThePast, ...actions(1, 1)],
    }) as { FailedScheduledUpdateGroupActions: Failed };
    expect(out.FailedScheduledUpdateGroupActions).toEqual([
      {
        ScheduledActionName: 'daily',
        ErrorCode: 'ValidationError',
        ErrorMessage: 'Given start time is in the past.',
      },
    ]);
    expect(described(asg).ScheduledUpdateGroupActions.map((a) => a.ScheduledActionName)).toEqual([
      'prescale-1',
    ]);
  });

  it('deletes by name in batches, listing names it does not have as not found', () => {
    const asg = world();
    asg.batchPutScheduledUpdateGroupAction({
      AutoScalingGroupName: 'web',
      ScheduledUpdateGroupActions: actions(3),
    });
    const out = asg.batchDeleteScheduledAction({
      AutoScalingGroupName: 'web',
      ScheduledActionNames: ['prescale-0', 'prescale-2', 'unknown'],
    }) as { FailedScheduledActions: Failed };
    expect(out.FailedScheduledActions).toEqual([
      expect.objectContaining({
        ScheduledActionName: 'unknown',
        ErrorMessage: expect.stringMatching(/not found/),
      }),
    ]);
    expect(described(asg).ScheduledUpdateGroupActions.map((a) => a.ScheduledActionName)).toEqual([
      'prescale-1',
    ]);
  });

  describe('one action per start time (AWS: "A scheduled action must have a unique time value")', () => {
    const put = (asg: SimulatedAutoScaling, ...list: Record<string, unknown>[]) =>
      (
        asg.batchPutScheduledUpdateGroupAction({
          AutoScalingGroupName: 'web',
          ScheduledUpdateGroupActions: list,
        }) as { FailedScheduledUpdateGroupActions: Failed }
      ).FailedScheduledUpdateGroupActions;
    const names = (asg: SimulatedAutoScaling) =>
      described(asg).ScheduledUpdateGroupActions.map((a) => a.ScheduledActionName);
    const at2 = new Date(START + 2 * HOUR);

    it('refuses another name at a start time the group holds with AlreadyExists, keeping the first', () => {
      const asg = world();
      expect(put(asg, { ScheduledActionName: 'users-own', StartTime: at2, MinSize: 6 })).toEqual([]);
      const failed = put(
        asg,
        { ScheduledActionName: 'prescale-20240101T0200Z', StartTime: at2, MinSize: 3 },
        {
          ScheduledActionName: 'prescale-20240101T0201Z',
          StartTime: new Date(START + 2 * HOUR + 60_000),
          MinSize: 3,
        },
      );
      expect(failed).toEqual([
        expect.objectContaining({
          ScheduledActionName: 'prescale-20240101T0200Z',
          ErrorCode: 'AlreadyExists',
        }),
      ]);
      expect(names(asg)).toEqual(['prescale-20240101T0201Z', 'users-own']);
    });

    it('compares by the minute: seconds apart is the same start time', () => {
      const asg = world();
      put(asg, { ScheduledActionName: 'users-own', StartTime: at2, MinSize: 6 });
      expect(
        put(asg, {
          ScheduledActionName: 'prescale-next',
          StartTime: new Date(at2.getTime() + 30_000),
          MinSize: 3,
        }),
      ).toHaveLength(1);
    });

    it('lets the same name be overwritten at its own time', () => {
      const asg = world();
      put(asg, { ScheduledActionName: 'users-own', StartTime: at2, MinSize: 6 });
      expect(put(asg, { ScheduledActionName: 'users-own', StartTime: at2, MinSize: 8 })).toEqual([]);
      expect(described(asg).ScheduledUpdateGroupActions[0]?.MinSize).toBe(8);
    });

    it('counts every minute a recurring action runs as taken, both ways', () => {
      const asg = world();
      put(asg, { ScheduledActionName: 'hourly', Recurrence: '0 * * * *', MinSize: 4 });
      expect(put(asg, { ScheduledActionName: 'one-off', StartTime: at2, MinSize: 6 })[0]?.ErrorCode).toBe(
        'AlreadyExists',
      );
      expect(
        put(asg, {
          ScheduledActionName: 'one-off',
          StartTime: new Date(START + 2 * HOUR + 60_000),
          MinSize: 6,
        }),
      ).toEqual([]);
      expect(
        put(asg, { ScheduledActionName: 'daily-0201', Recurrence: '1 2 * * *', MinSize: 4 }),
      ).toHaveLength(1);
      put(asg, {
        ScheduledActionName: 'later',
        StartTime: new Date(START + 5 * HOUR + 30 * 60_000),
        MinSize: 6,
      });
      expect(
        put(asg, { ScheduledActionName: 'half-hourly', Recurrence: '30 * * * *', MinSize: 4 })[0]?.ErrorCode,
      ).toBe('AlreadyExists');
    });
  });
});
