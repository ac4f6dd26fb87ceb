import middy from '@middy/core';
import { simulatedLambdaContext } from '../../../../shared/simulation/run/lambda-context';

describe('simulatedLambdaContext', () => {
  it('counts the remaining time down on the simulated clock from the deployed timeout', () => {
    let nowMs = Date.parse('2024-03-01T12:00:00Z');
    const context = simulatedLambdaContext('prescale-scale-groups', 'request-1', {
      timeoutSeconds: 270,
      nowMs: () => nowMs,
    });
    expect(context.getRemainingTimeInMillis()).toBe(270_000);
    nowMs += 10_000;
    expect(context.getRemainingTimeInMillis()).toBe(260_000);
    nowMs += 300_000;
    expect(context.getRemainingTimeInMillis()).toBe(0);
  });

  it('is what middy arms its early timeout from: a handler past its simulated deadline fails as on Lambda', async () => {
    // The simulated clock already stands at the deadline, so middy's timer is armed at 0 ms and the
    // handler, which never settles, is abandoned as Lambda would abandon it.
    const context = simulatedLambdaContext('prescale-scale-groups', 'request-2', {
      timeoutSeconds: 0,
      nowMs: () => 0,
    });
    const handler = middy(() => new Promise<never>(() => undefined));
    await expect(handler({}, context)).rejects.toMatchObject({ name: 'TimeoutError' });
  });

  it('names the deployed function and its ARN', () => {
    const context = simulatedLambdaContext('prescale-dispatch-scaling-run', 'request-3', {
      timeoutSeconds: 60,
      nowMs: () => 0,
    });
    expect(context.invokedFunctionArn).toBe(
      'arn:aws:lambda:us-east-1:123456789012:function:prescale-dispatch-scaling-run',
    );
    expect(context.awsRequestId).toBe('request-3');
    expect(context.getRemainingTimeInMillis()).toBe(60_000);
  });

  it('says the deployed memory, and a PrescaleFunction default of 512 MB where none is given', () => {
    const time = { timeoutSeconds: 60, nowMs: () => 0 };
    expect(
      simulatedLambdaContext('prescale-scale-groups', 'r', { ...time, memoryMB: 1024 }).memoryLimitInMB,
    ).toBe('1024');
    expect(simulatedLambdaContext('prescale-dispatch-scaling-run', 'r', time).memoryLimitInMB).toBe('512');
  });
});
