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
});
