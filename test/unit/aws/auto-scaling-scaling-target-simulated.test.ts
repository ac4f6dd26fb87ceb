import { AutoScalingScalingTarget } from '../../../shared/aws/auto-scaling-scaling-target';
import { overrideAwsTransport } from '../../../shared/aws/aws-clients';
import { createAwsClients } from '../../../shared/aws/create-aws-clients';
import { SimulatedWorld } from '../../../shared/simulation/world/simulated-world';
import { webGroupSpec } from '../../helpers/web-group-spec';

const START = Date.UTC(2026, 0, 5);

afterEach(() => overrideAwsTransport(undefined));

// The simulated Auto Scaling leaves Instances out when asked to (IncludeInstances false), as AWS
// does: a read that left them out but counted on them would find none here.
describe('AutoScalingScalingTarget on the simulated Auto Scaling', () => {
  it('reads the bounds without instances and the snapshot with them', async () => {
    const world = new SimulatedWorld({ startMs: START, seed: 1 });
    world.createGroup(webGroupSpec({ tags: { 'prescale:enabled': 'true' } }));
    overrideAwsTransport({ answer: world.answer });
    const target = new AutoScalingScalingTarget(createAwsClients({ region: 'us-east-1' }).autoScaling);
    const selector = { names: [], tag: { key: 'prescale:enabled', value: 'true' } };

    expect((await target.findGroupBounds(selector)).get('web')).toMatchObject({
      minSize: 1,
      maxSize: 10,
      desiredCapacity: 2,
    });
    expect(await target.findGroupNames(selector)).toEqual(['web']);
    const [web] = await target.describeGroups(selector);
    expect(web).toMatchObject({ name: 'web', inServiceCapacity: 2, instanceTypes: ['m5.large'] });
  });
});
