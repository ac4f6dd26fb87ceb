import { customResourceEventSchema } from '../../../shared/contracts/custom-resource-event';

/** A custom-resource request as the CloudFormation user guide shows one. */
function request(requestType: 'Create' | 'Update' | 'Delete', physicalResourceId?: string) {
  return {
    RequestType: requestType,
    ServiceToken: 'arn:aws:lambda:us-east-1:111122223333:function:provider',
    ResponseURL: 'https://cloudformation-custom-resource-response-useast1.s3.amazonaws.com/x',
    StackId: 'arn:aws:cloudformation:us-east-1:111122223333:stack/Prescale/1a2b',
    RequestId: 'unique-id-for-this-request',
    LogicalResourceId: 'LookAheadCleanup',
    ResourceType: 'Custom::LookAheadCleanup',
    ResourceProperties: { ServiceToken: 'arn:aws:lambda:us-east-1:111122223333:function:provider' },
    ...(requestType === 'Update' ? { OldResourceProperties: {} } : {}),
    ...(physicalResourceId === undefined ? {} : { PhysicalResourceId: physicalResourceId }),
  };
}

describe('customResourceEventSchema', () => {
  it('accepts a create without a physical id, and updates and deletes that name theirs', () => {
    expect(customResourceEventSchema.parse(request('Create')).RequestType).toBe('Create');
    expect(customResourceEventSchema.parse(request('Update', 'cleanup')).RequestType).toBe('Update');
    expect(customResourceEventSchema.parse(request('Delete', 'cleanup')).RequestType).toBe('Delete');
  });

  it.each(['Update', 'Delete'] as const)('names the missing physical id of a %s', (requestType) => {
    const result = customResourceEventSchema.safeParse(request(requestType));
    expect(result.error?.issues.map((issue) => issue.path)).toEqual([['PhysicalResourceId']]);
  });
});
