import {
  AutoScalingClient,
  BatchDeleteScheduledActionCommand,
  CreateOrUpdateTagsCommand,
  DescribeAutoScalingGroupsCommand,
  DescribeInstanceRefreshesCommand,
  DescribePoliciesCommand,
  PutWarmPoolCommand,
  ResourceContentionFault,
  ScalingActivityInProgressFault,
  UpdateAutoScalingGroupCommand,
} from '@aws-sdk/client-auto-scaling';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import {
  isGroupNotFound,
  translateAutoScalingError,
} from '../../../shared/aws/auto-scaling-error-translation';
import { AutoScalingGroupOwnership } from '../../../shared/aws/auto-scaling-group-ownership';
import { AutoScalingScalingTarget } from '../../../shared/aws/auto-scaling-scaling-target';
import { AutoScalingScheduledCapacity } from '../../../shared/aws/auto-scaling-scheduled-capacity';
import {
  RejectedRequestError,
  ResourceNotFoundError,
  TransientDependencyError,
} from '../../../shared/ports/errors';

const asg = mockClient(AutoScalingClient);
const client = asg as unknown as AutoScalingClient;

/** An Auto Scaling error as the SDK raises it (the query protocol's `Code` as `name`). */
const awsError = (name: string, message: string, httpStatusCode = 400) =>
  Object.assign(new Error(message), { name, $fault: 'client', $metadata: { httpStatusCode } });

/** What Auto Scaling has answered for a group that does not exist, by where each was seen. */
const GROUP_NOT_FOUND_ANSWERS = [
  // UpdateAutoScalingGroup (aws/aws-sdk-go#1151), PutScheduledUpdateGroupAction (hashicorp/terraform#17238)
  'AutoScalingGroup name not found - null',
  // DescribeWarmPool/PutWarmPool (kubernetes/kops#11282)
  'AutoScalingGroup name not found - No such Auto Scaling group: web',
  // DeleteAutoScalingGroup (getmoto/moto#9917, cloud-custodian/cloud-custodian#249)
  "AutoScalingGroup name not found - AutoScalingGroup 'web' not found",
  // CreateOrUpdateTags (cloud-custodian/cloud-custodian#380)
  'AutoScalingGroup not found - AutoScaling Group web not found',
  // PutScalingPolicy given an ARN (hashicorp/terraform#15585)
  'AutoScalingGroup web not found',
  // the simulated Auto Scaling's answer before 2026-12-06
  'AutoScalingGroup name not found - AutoScalingGroup web not found',
];

beforeEach(() => asg.reset());

describe('translateAutoScalingError', () => {
  it.each(GROUP_NOT_FOUND_ANSWERS)('reads "%s" as the group not found', (message) => {
    const error = translateAutoScalingError(
      awsError('ValidationError', message),
      'UpdateAutoScalingGroup',
      'web',
    );
    expect(error).toBeInstanceOf(ResourceNotFoundError);
    expect(error).toMatchObject({ resourceType: 'group', resourceId: 'web' });
  });

  it.each([
    'Scheduled action name not found - prescale-3',
    'The AutoScaling group may not be modified while it is pending delete',
    'You must use a valid fully-formed launch template. The specified launch template, with template ID lt-0abc, does not exist.',
    'Desired capacity:11 must be between the specified min size:2 and max size:10',
  ])('keeps "%s" a refused request', (message) => {
    const error = translateAutoScalingError(
      awsError('ValidationError', message),
      'UpdateAutoScalingGroup',
      'web',
    );
    expect(error).toBeInstanceOf(RejectedRequestError);
    expect(isGroupNotFound(awsError('ValidationError', message))).toBe(false);
  });

  it('reads "not found" only in a ValidationError, and throttling stays transient', () => {
    expect(
      isGroupNotFound(awsError('ResourceContention', 'AutoScalingGroup name not found - null', 500)),
    ).toBe(false);
    expect(
      translateAutoScalingError(
        awsError('ResourceContention', 'You already have a pending update', 500),
        'X',
        'web',
      ),
    ).toBeInstanceOf(TransientDependencyError);
  });

  it('reads the SDK’s ResourceContentionFault as transient by its name, without the status', () => {
    const fault = new ResourceContentionFault({
      message: 'You already have a pending update',
      $metadata: {},
    });
    expect(translateAutoScalingError(fault, 'UpdateAutoScalingGroup', 'web')).toBeInstanceOf(
      TransientDependencyError,
    );
  });

  it('reads the SDK’s ScalingActivityInProgressFault as transient, a refusal on the only attempt', () => {
    const fault = new ScalingActivityInProgressFault({
      message: "The operation can't be performed because there are scaling activities in progress",
      $metadata: { httpStatusCode: 400, attempts: 1 },
    });
    const error = translateAutoScalingError(fault, 'UpdateAutoScalingGroup', 'web');
    expect(error).toBeInstanceOf(TransientDependencyError);
    expect(error).toMatchObject({ refused: true });
  });

  it.each([
    ['Throttling', 'Rate exceeded', 400, true],
    ['ResourceContention', 'You already have a pending update to an Auto Scaling resource', 500, false],
    [
      'ScalingActivityInProgress',
      "The operation can't be performed because there are scaling activities in progress",
      400,
      true,
    ],
    ['TooManyRequestsException', 'Too many requests', 429, true],
    ['InternalFailure', 'An internal error occurred', 500, false],
    ['ServiceUnavailable', 'Service unavailable', 503, false],
    ['TimeoutError', 'socket hang up', 500, false],
    ['ECONNRESET', 'read ECONNRESET', 500, false],
  ])(
    'says whether a transient %s was refused, not acted on, or its outcome is unknown',
    (name, message, status, refused) => {
      const error = translateAutoScalingError(
        awsError(name, message, status),
        'UpdateAutoScalingGroup',
        'web',
      );
      expect(error).toBeInstanceOf(TransientDependencyError);
      expect(error).toMatchObject({ refused });
    },
  );

  it.each([
    [
      'throttled after the SDK retried',
      { name: 'Throttling', $metadata: { httpStatusCode: 400, attempts: 5 } },
    ],
    [
      'a ValidationError after a retry',
      { name: 'ValidationError', $metadata: { httpStatusCode: 400, attempts: 2 } },
    ],
    [
      'a connection reset, as Node raises it',
      { name: 'Error', code: 'ECONNRESET', $metadata: { attempts: 3 } },
    ],
    ['a broken pipe', { name: 'Error', code: 'EPIPE', $metadata: { attempts: 1 } }],
    ['a response that could not be read', { name: 'SyntaxError', $metadata: { attempts: 1 } }],
    [
      'a 200 whose body could not be parsed',
      { name: 'Error', $metadata: { httpStatusCode: 200, attempts: 1 } },
    ],
    ['a host not found', { name: 'Error', code: 'ENOTFOUND', $metadata: { attempts: 5 } }],
  ])('never says %s was refused: an attempt may have landed', (_n, shape) => {
    const error = translateAutoScalingError(
      Object.assign(new Error('x'), shape),
      'UpdateAutoScalingGroup',
      'web',
    );
    expect(error).toMatchObject({ refused: false });
  });

  it('says a ValidationError on the only attempt was refused', () => {
    const error = translateAutoScalingError(
      Object.assign(new Error('bad'), {
        name: 'ValidationError',
        $metadata: { httpStatusCode: 400, attempts: 1 },
      }),
      'UpdateAutoScalingGroup',
      'web',
    );
    expect(error).toBeInstanceOf(RejectedRequestError);
    expect(error).toMatchObject({ refused: true });
  });
});

describe('Auto Scaling adapters on a deleted group', () => {
  it('update capacity, warm pool and ownership calls fail as ResourceNotFoundError', async () => {
    const gone = awsError('ValidationError', 'AutoScalingGroup name not found - null');
    asg.on(UpdateAutoScalingGroupCommand).rejects(gone);
    asg.on(PutWarmPoolCommand).rejects(gone);
    asg
      .on(CreateOrUpdateTagsCommand)
      .rejects(awsError('ValidationError', GROUP_NOT_FOUND_ANSWERS[3] as string));
    const target = new AutoScalingScalingTarget(client);
    await expect(target.updateCapacity('web', { minSize: 3 })).rejects.toBeInstanceOf(ResourceNotFoundError);
    await expect(target.setWarmPoolMinSize('web', 1, { minSize: 0 })).rejects.toBeInstanceOf(
      ResourceNotFoundError,
    );
    await expect(new AutoScalingGroupOwnership(client, 'prod').take('web')).rejects.toBeInstanceOf(
      ResourceNotFoundError,
    );
  });

  it('describes the other groups when one is deleted between the group read and its policy read', async () => {
    asg.on(DescribeAutoScalingGroupsCommand).resolves({
      AutoScalingGroups: ['api', 'web'].map((name) => ({
        AutoScalingGroupName: name,
        MinSize: 1,
        MaxSize: 4,
        DesiredCapacity: 2,
        AvailabilityZones: ['eu-west-1a'],
        CreatedTime: new Date('2026-01-01T00:00:00Z'),
        HealthCheckType: 'EC2',
        DefaultCooldown: 300,
      })),
    });
    asg
      .on(DescribePoliciesCommand, { AutoScalingGroupName: 'web' })
      .rejects(
        awsError('ValidationError', 'AutoScalingGroup name not found - AutoScalingGroup web not found'),
      )
      .on(DescribePoliciesCommand, { AutoScalingGroupName: 'api' })
      .resolves({ ScalingPolicies: [] });
    asg.on(DescribeInstanceRefreshesCommand).resolves({ InstanceRefreshes: [] });
    const groups = await new AutoScalingScalingTarget(client).describeGroups({ names: ['api', 'web'] });
    expect(groups.map((g) => g.name)).toEqual(['api']);
  });

  it('takes a deleted group’s scheduled actions as deleted with it', async () => {
    asg
      .on(BatchDeleteScheduledActionCommand)
      .rejects(awsError('ValidationError', 'AutoScalingGroup name not found - null'));
    await expect(
      new AutoScalingScheduledCapacity(client).deleteScheduledActions('web', ['prescale-1']),
    ).resolves.toBeUndefined();
  });
});
