/**
 * An SQS record as Lambda delivers it (the shape of the AWS Lambda developer guide's SQS example
 * event), with the given message id and body.
 */
export function sqsRecord(messageId: string, body: string) {
  return {
    messageId,
    receiptHandle: `AQEBwJnKyrHigUMZj6rYigCgxlaS3SLy0a${messageId}`,
    body,
    attributes: {
      ApproximateReceiveCount: '1',
      SentTimestamp: '1545082649183',
      SenderId: 'AIDAIENQZJOLO23YVJ4VO',
      ApproximateFirstReceiveTimestamp: '1545082649185',
    },
    messageAttributes: {},
    md5OfBody: 'e4e68fb7bd0e697a0ae8f1bb342846b3',
    eventSource: 'aws:sqs' as const,
    eventSourceARN: 'arn:aws:sqs:us-east-2:123456789012:prescale-group-work',
    awsRegion: 'us-east-2',
  };
}

/** An EventBridge event as a rule delivers it to its target (the EventBridge user guide's shape). */
export function eventBridgeEvent(
  kind: { readonly source: string; readonly detailType: string },
  detail: unknown,
  options: { readonly id?: string; readonly timeMs?: number; readonly region?: string } = {},
) {
  return {
    version: '0',
    id: options.id ?? 'e-1',
    source: kind.source,
    'detail-type': kind.detailType,
    account: '123456789012',
    region: options.region ?? 'eu-west-1',
    time: new Date(options.timeMs ?? Date.parse('2026-03-02T01:00:05Z')).toISOString().replace('.000Z', 'Z'),
    resources: [],
    detail,
  };
}

/**
 * A CloudFormation custom-resource request as the CDK provider framework hands it to `onEvent`
 * (the CloudFormation user guide's example shape), for a resource of Prescale's `prescale` stack.
 */
export function customResourceEvent(requestType: 'Create' | 'Update' | 'Delete', region = 'eu-west-1') {
  const serviceToken = `arn:aws:lambda:${region}:123456789012:function:provider`;
  return {
    RequestType: requestType,
    ServiceToken: serviceToken,
    ResponseURL: `https://cloudformation-custom-resource-response-${region.replaceAll('-', '')}.s3.amazonaws.com/response`,
    StackId: `arn:aws:cloudformation:${region}:123456789012:stack/prescale/5b918d10-cd98-11ea-90d5-0a9cd3354c10`,
    RequestId: 'unique-id-for-this-request',
    LogicalResourceId: 'LookAheadCleanup',
    ResourceType: 'Custom::LookAheadCleanup',
    ResourceProperties: { ServiceToken: serviceToken },
    ...(requestType === 'Create' ? {} : { PhysicalResourceId: 'prescale-look-ahead-cleanup' }),
    ...(requestType === 'Update' ? { OldResourceProperties: {} } : {}),
  };
}
