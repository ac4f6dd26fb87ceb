import { failedLookAheadActions } from '../../../../shared/simulation/run/failed-look-ahead-actions';
import { SimulatedWorld } from '../../../../shared/simulation/world/simulated-world';
import { webGroupSpec } from '../../../helpers/web-group-spec';

const START = Date.UTC(2024, 0, 1);
const MINUTE = 60_000;

describe('failedLookAheadActions', () => {
  it("lists Prescale's scheduled actions Auto Scaling could not apply when they fired, not others' nor applied ones", () => {
    const world = new SimulatedWorld({ startMs: START, seed: 1 });
    world.createGroup(webGroupSpec({ minSize: 1, maxSize: 10, desiredCapacity: 2 }));
    const put = (name: string, atMinute: number, sizes: { MinSize?: number; DesiredCapacity?: number }) =>
      world.autoScaling.putScheduledUpdateGroupAction({
        AutoScalingGroupName: 'web',
        ScheduledActionName: name,
        StartTime: new Date(START + atMinute * MINUTE),
        ...sizes,
      });
    put('prescale-applies', 5, { MinSize: 3 });
    // DesiredCapacity above the group's MaxSize of 10: Auto Scaling fails the action when it fires.
    put('prescale-too-many', 10, { DesiredCapacity: 12 });
    put('owner-too-many', 15, { DesiredCapacity: 11 });
    for (let t = START; t <= START + 20 * MINUTE; t += MINUTE) world.advanceTo(t);
    expect(failedLookAheadActions(world, ['web'])).toEqual([
      expect.stringMatching(/^web: prescale-too-many at 2024-01-01T00:10:00\.000Z: .*12/),
    ]);
    expect(world.autoScaling.counts('web')).toMatchObject({ minSize: 3 });
  });
});
