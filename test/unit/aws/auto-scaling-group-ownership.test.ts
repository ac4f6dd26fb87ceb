import {
  AutoScalingClient,
  CreateOrUpdateTagsCommand,
  DeleteTagsCommand,
} from '@aws-sdk/client-auto-scaling';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { AutoScalingGroupOwnership } from '../../../shared/aws/auto-scaling-group-ownership';

const asg = mockClient(AutoScalingClient);
const ownership = new AutoScalingGroupOwnership(new AutoScalingClient({}), 'PrescaleProd');

describe('AutoScalingGroupOwnership', () => {
  beforeEach(() => asg.reset());

  it('tags a group with this deployment as its owner (prescale:deployment), not propagated to instances', async () => {
    asg.on(CreateOrUpdateTagsCommand).resolves({});
    await ownership.take('web');
    expect(asg).toHaveReceivedCommandWith(CreateOrUpdateTagsCommand, {
      Tags: [
        {
          ResourceId: 'web',
          ResourceType: 'auto-scaling-group',
          Key: 'prescale:deployment',
          Value: 'PrescaleProd',
          PropagateAtLaunch: false,
        },
      ],
    });
  });

  it('releases a group by deleting that key alone', async () => {
    asg.on(DeleteTagsCommand).resolves({});
    await ownership.release('web');
    expect(asg).toHaveReceivedCommandWith(DeleteTagsCommand, {
      Tags: [{ ResourceId: 'web', ResourceType: 'auto-scaling-group', Key: 'prescale:deployment' }],
    });
  });

  it('names the call when Auto Scaling refuses, as a rejected request (not retried)', async () => {
    const denied = Object.assign(
      new Error('User is not authorized to perform: autoscaling:CreateOrUpdateTags'),
      {
        name: 'AccessDenied',
        $fault: 'client',
        $metadata: { httpStatusCode: 403 },
      },
    );
    asg.on(CreateOrUpdateTagsCommand).rejects(denied);
    await expect(ownership.take('web')).rejects.toMatchObject({
      name: 'RejectedRequestError',
      operation: 'CreateOrUpdateTags',
      message: expect.stringContaining('AccessDenied'),
    });
  });
});
