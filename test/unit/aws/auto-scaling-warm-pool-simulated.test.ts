import { drawableWarmPoolInstances } from '../../../shared/aws/auto-scaling-warm-pool';
import { overrideAwsTransport } from '../../../shared/aws/aws-clients';
import { createAwsClients } from '../../../shared/aws/create-aws-clients';
import { SimulatedWorld } from '../../../shared/simulation/world/simulated-world';
import { webGroupSpec } from '../../helpers/web-group-spec';

const START = Date.UTC(2026, 0, 5);
const MINUTE = 60_000;

afterEach(() => overrideAwsTransport(undefined));

/** Moves the world to `toMs` in quarter-minute steps, as the simulation driver does. */
function runTo(world: SimulatedWorld, fromMs: number, toMs: number): void {
  for (let t = fromMs; t <= toMs; t += MINUTE / 4) world.advanceTo(t);
}

describe('drawableWarmPoolInstances on the simulated Auto Scaling', () => {
  it('pages through a pool of more than 50 instances and counts only those done launching into it', async () => {
    // MaxSize 122 − desired 2: a pool of 120, stopped once launched.
    const world = new SimulatedWorld({ startMs: START, seed: 1 });
    world.createGroup(webGroupSpec({ maxSize: 122, warmPool: { minSize: 0 } }));
    runTo(world, START, START + 3 * MINUTE);
    // A scale-out draws 8 of them; a raised MaxSize then refills the pool with 10 still launching.
    world.autoScaling.updateAutoScalingGroup({ AutoScalingGroupName: 'web', DesiredCapacity: 10 });
    world.autoScaling.updateAutoScalingGroup({ AutoScalingGroupName: 'web', MaxSize: 132 });
    world.advanceTo(START + 3 * MINUTE + MINUTE / 4);
    expect(world.autoScaling.counts('web')).toMatchObject({ warmPoolStopped: 112, warmPoolPending: 10 });
    overrideAwsTransport({ answer: world.answer });
    const { autoScaling } = createAwsClients({ region: 'us-east-1' });

    expect(await drawableWarmPoolInstances(autoScaling, 'web')).toBe(112);
    // 122 instances at 50 a page: three calls, each of AWS's largest page.
    expect(world.calls.get('autoscaling:DescribeWarmPoolCommand')).toBe(3);
  });
});
