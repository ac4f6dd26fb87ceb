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
