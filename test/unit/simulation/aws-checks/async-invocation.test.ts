import { invokeAsynchronously } from '../../../../shared/simulation/aws-checks/async-invocation';
import { DeployedAccount } from '../../../../shared/simulation/aws-checks/deployed-account';
import { workerTemplate } from '../../../helpers/worker-template';

/** The worker, with an EventInvokeConfig as `config` gives it (none when undefined). */
function account(config?: Record<string, unknown>): DeployedAccount {
  const invokeConfig = config && {
    InvokeConfig: {
      Type: 'AWS::Lambda::EventInvokeConfig',
      Properties: { FunctionName: { Ref: 'Worker' }, Qualifier: '$LATEST', ...config },
    },
  };
  return new DeployedAccount(
    workerTemplate('functions/request-rolling-update/handler.ts', [], {
      Failures: { Type: 'AWS::SQS::Queue', Properties: {} },
      ...invokeConfig,
    }),
    { region: 'eu-west-1' },
  );
}

const onFailure = {
  DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': ['Failures', 'Arn'] } } },
};
const options = { nowMs: Date.UTC(2026, 11, 5, 12), requestId: 'r-1' };

/** A handler failing its first `failures` invocations; counts them. */
function flaky(failures: number) {
  let calls = 0;
  const invoke = async () => {
    calls += 1;
    if (calls <= failures)
      throw Object.assign(new Error(`call ${calls} refused`), { name: 'RejectedRequestError' });
    return { kind: 'started' };
  };
  return { invoke, calls: () => calls };
}

describe('invokeAsynchronously', () => {
  it('retries twice by default and succeeds on a later attempt', async () => {
    const handler = flaky(2);
    const out = await invokeAsynchronously(
      account(),
      'request-rolling-update',
      { id: 'e' },
      handler.invoke,
      options,
    );
    expect(out).toEqual({ kind: 'succeeded', attempts: 3, result: { kind: 'started' } });
  });

  it("records a failure of every attempt as Lambda's invocation record, for the on-failure queue", async () => {
    const handler = flaky(9);
    const deployed = account({ MaximumRetryAttempts: 1, ...onFailure });
    const out = await invokeAsynchronously(
      deployed,
      'request-rolling-update',
      { id: 'e' },
      handler.invoke,
      options,
    );
    expect(handler.calls()).toBe(2);
    expect(out).toMatchObject({
      kind: 'failed',
      attempts: 2,
      destinationQueueUrl: deployed.resolve({ Ref: 'Failures' }),
      record: {
        version: '1.0',
        timestamp: '2026-12-05T12:00:00.000Z',
        requestContext: {
          requestId: 'r-1',
          functionArn: `${deployed.functionFor('request-rolling-update').arn}:$LATEST`,
          condition: 'RetriesExhausted',
          approximateInvokeCount: 2,
        },
        requestPayload: { id: 'e' },
        responseContext: { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' },
        responsePayload: { errorType: 'RejectedRequestError', errorMessage: 'call 2 refused', trace: [] },
      },
    });
  });

  it('runs once with no retries configured, and names no queue without a destination', async () => {
    const handler = flaky(1);
    const out = await invokeAsynchronously(
      account({ MaximumRetryAttempts: 0 }),
      'request-rolling-update',
      {},
      handler.invoke,
      options,
    );
    expect(handler.calls()).toBe(1);
    expect(out.kind === 'failed' && out.destinationQueueUrl).toBeUndefined();
  });
});
