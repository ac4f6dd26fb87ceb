import { autoScalingWorld as world } from '../../../helpers/simulated-auto-scaling-world';

type Described = { AutoScalingGroups: { Tags: { Key: string; Value: string }[] }[] };
const tag = (Key: string, Value?: string) => ({
  ResourceId: 'web',
  ResourceType: 'auto-scaling-group',
  Key,
  ...(Value !== undefined ? { Value } : {}),
});

describe('SimulatedAutoScaling tagging groups', () => {
  const tagsOf = (asg: ReturnType<typeof world>['asg']) =>
    Object.fromEntries(
      (
        asg.describeAutoScalingGroups({ AutoScalingGroupNames: ['web'] }) as Described
      ).AutoScalingGroups[0]?.Tags.map((t) => [t.Key, t.Value]) ?? [],
    );

  it('creates, updates and deletes tags, as the next describe shows; deleting a missing key is no error', () => {
    const { asg } = world();
    asg.createOrUpdateTags({ Tags: [tag('prescale:deployment', 'Prescale'), tag('team', 'web')] });
    asg.createOrUpdateTags({ Tags: [tag('team', 'checkout')] });
    expect(tagsOf(asg)).toEqual({ 'prescale:deployment': 'Prescale', team: 'checkout' });
    asg.deleteTags({ Tags: [tag('team'), tag('never-set')] });
    expect(tagsOf(asg)).toEqual({ 'prescale:deployment': 'Prescale' });
  });

  it('describes each tag with the PropagateAtLaunch it was last set with (false when not given)', () => {
    const { asg } = world();
    asg.createOrUpdateTags({
      Tags: [
        { ...tag('prescale:deployment', 'Prescale'), PropagateAtLaunch: false },
        { ...tag('team', 'web'), PropagateAtLaunch: true },
        tag('cost-center', '42'),
      ],
    });
    asg.createOrUpdateTags({ Tags: [{ ...tag('cost-center', '43'), PropagateAtLaunch: true }] });
    const described = asg.describeAutoScalingGroups({ AutoScalingGroupNames: ['web'] }) as {
      AutoScalingGroups: { Tags: { Key: string; PropagateAtLaunch: boolean }[] }[];
    };
    const propagates = Object.fromEntries(
      (described.AutoScalingGroups[0]?.Tags ?? []).map((t) => [t.Key, t.PropagateAtLaunch]),
    );
    expect(propagates).toMatchObject({ 'prescale:deployment': false, team: true, 'cost-center': true });
  });

  it('refuses an unknown group, another resource type and an aws: key, setting none of the call', () => {
    const { asg } = world();
    expect(() =>
      asg.createOrUpdateTags({ Tags: [tag('ok', '1'), { ...tag('x', '1'), ResourceId: 'gone' }] }),
    ).toThrow(expect.objectContaining({ name: 'ValidationError' }));
    expect(() => asg.createOrUpdateTags({ Tags: [{ ...tag('x', '1'), ResourceType: 'instance' }] })).toThrow(
      expect.objectContaining({ name: 'ValidationError' }),
    );
    expect(() => asg.createOrUpdateTags({ Tags: [tag('aws:cloudformation:stack-name', 'x')] })).toThrow(
      /reserved/,
    );
    expect(tagsOf(asg)).toEqual({});
  });

  it('refuses a 51st tag with LimitExceeded', () => {
    const { asg } = world();
    asg.createOrUpdateTags({ Tags: Array.from({ length: 50 }, (_, i) => tag(`k${i}`, 'v')) });
    asg.createOrUpdateTags({ Tags: [tag('k0', 'updated')] });
    expect(() => asg.createOrUpdateTags({ Tags: [tag('k50', 'v')] })).toThrow(
      expect.objectContaining({ name: 'LimitExceededFault', Code: 'LimitExceeded' }),
    );
    expect(Object.keys(tagsOf(asg))).toHaveLength(50);
  });
});
