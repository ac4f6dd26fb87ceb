import {
  AutoScalingClient,
  PutWarmPoolCommand,
  UpdateAutoScalingGroupCommand,
} from '@aws-sdk/client-auto-scaling';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { AutoScalingScalingTarget } from '../../../shared/aws/auto-scaling-scaling-target';
import { RejectedRequestError, TransientDependencyError } from '../../../shared/ports/errors';

const asg = mockClient(AutoScalingClient);
const target = new AutoScalingScalingTarget(asg as unknown as AutoScalingClient);

beforeEach(() => {
  asg.reset();
});

describe('AutoScalingScalingTarget updating a group', () => {
  it('restates the warm pool’s other settings when it sets MinSize', async () => {
    asg.on(PutWarmPoolCommand).resolves({});
    await target.setWarmPoolMinSize('web', 3, {
      minSize: 1,
      maxGroupPreparedCapacity: 8,
      poolState: 'Hibernated',
      reuseOnScaleIn: true,
    });
    expect(asg).toHaveReceivedCommandWith(PutWarmPoolCommand, {
      AutoScalingGroupName: 'web',
      MinSize: 3,
      MaxGroupPreparedCapacity: 8,
      PoolState: 'Hibernated',
      InstanceReusePolicy: { ReuseOnScaleIn: true },
    });
    asg.reset();
    asg.on(PutWarmPoolCommand).resolves({});
    await target.setWarmPoolMinSize('web', 2, { minSize: 0 });
    // No prepared capacity set: leaving it out keeps AWS's default (the group's MaxSize).
    expect(asg.commandCalls(PutWarmPoolCommand)[0]?.args[0].input).toEqual({
      AutoScalingGroupName: 'web',
      MinSize: 2,
    });
  });

  it('sends only the changed bounds', async () => {
    asg.on(UpdateAutoScalingGroupCommand).resolves({});
    await target.updateCapacity('web', { minSize: 5, desiredCapacity: 5 });
    expect(asg).toHaveReceivedCommandWith(UpdateAutoScalingGroupCommand, {
      AutoScalingGroupName: 'web',
      MinSize: 5,
      DesiredCapacity: 5,
    });
    expect(asg.commandCalls(UpdateAutoScalingGroupCommand)[0]?.args[0].input).not.toHaveProperty('MaxSize');
  });

  it('translates throttling into a transient error and validation into a rejected request', async () => {
    asg
      .on(UpdateAutoScalingGroupCommand)
      .rejectsOnce(
        Object.assign(new Error('Rate exceeded'), { name: 'Throttling', $metadata: { httpStatusCode: 400 } }),
      )
      .rejectsOnce(
        Object.assign(
          new Error('Desired capacity:11 must be between the specified min size:2 and max size:10'),
          {
            name: 'ValidationError',
            $metadata: { httpStatusCode: 400 },
          },
        ),
      );
    await expect(target.updateCapacity('web', { desiredCapacity: 11 })).rejects.toBeInstanceOf(
      TransientDependencyError,
    );
    const rejected = target.updateCapacity('web', { desiredCapacity: 11 });
    await expect(rejected).rejects.toBeInstanceOf(RejectedRequestError);
    await expect(rejected).rejects.toThrow('ValidationError: Desired capacity:11');
  });
});
