import { createSocket, type Socket } from 'node:dgram';
import type { AddressInfo } from 'node:net';
import { DescribeAutoScalingGroupsCommand } from '@aws-sdk/client-auto-scaling';
import { lambdaContext } from '../../helpers/powertools-output';

/*
 * A function's AWS calls as X-Ray subsegments, through the real X-Ray SDK and Powertools tracer
 * in a Lambda-like environment: the SDK streams each closed subsegment over UDP to the daemon
 * address, here a socket of this test. The modules load after the environment is set, since the
 * X-Ray SDK and the tracer read it when they load.
 */
const LAMBDA_ENV = {
  LAMBDA_TASK_ROOT: '/var/task',
  AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs24.x',
  AWS_LAMBDA_FUNCTION_NAME: 'prescale-test',
  POWERTOOLS_TRACE_ENABLED: 'true',
  _X_AMZN_TRACE_ID: 'Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1',
  AWS_XRAY_LOG_LEVEL: 'silent',
};

/** The invocation's own subsegment, which Powertools' tracer names `## <handler>`. */
const isInvocation = (document: Record<string, unknown>): boolean => String(document.name).startsWith('## ');

describe('lazyClients with the function tracer', () => {
  let daemon: Socket;
  const documents: Record<string, unknown>[] = [];
  let received: () => void = () => undefined;
  const saved = { ...process.env };

  beforeAll(async () => {
    daemon = createSocket('udp4');
    daemon.on('message', (message) => {
      // Each datagram is a JSON header line, then the (sub)segment document.
      const [, body] = message.toString('utf8').split('\n');
      if (body) documents.push(JSON.parse(body) as Record<string, unknown>);
      received();
    });
    await new Promise<void>((resolve) => daemon.bind(0, '127.0.0.1', resolve));
    Object.assign(process.env, LAMBDA_ENV, {
      AWS_XRAY_DAEMON_ADDRESS: `127.0.0.1:${(daemon.address() as AddressInfo).port}`,
    });
  });

  afterAll(async () => {
    process.env = saved;
    await new Promise<void>((resolve) => daemon.close(() => resolve()));
  });

  it('records each AWS call as a subsegment of the invocation, with its operation and region', async () => {
    const { overrideAwsTransport, autoScalingClient, lazyClients } = await import(
      '../../../shared/aws/aws-clients'
    );
    const { createObservability } = await import('../../../shared/aws/powertools');
    const { withMiddleware } = await import('../../../shared/aws/with-middleware');
    const { z } = await import('zod');
    overrideAwsTransport({ answer: async () => ({ AutoScalingGroups: [] }) });
    try {
      const observability = createObservability('test-role');
      const clients = lazyClients({ autoScaling: autoScalingClient }, observability.tracer);
      const handler = withMiddleware(
        z.object({}),
        async () =>
          (
            await clients.autoScaling.send(
              new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: ['web'] }),
            )
          ).AutoScalingGroups,
        observability,
      );
      // The handler's own subsegment closes last, after every call it made.
      const invocationEnded = new Promise<void>((resolve) => {
        received = () => {
          if (documents.some(isInvocation)) resolve();
        };
      });
      expect(await handler({}, lambdaContext)).toEqual([]);
      await invocationEnded;
    } finally {
      overrideAwsTransport(undefined);
    }
    const invocation = documents.find(isInvocation);
    const calls = documents.filter((document) => document.namespace === 'aws');
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatchObject({
      name: 'AutoScaling',
      parent_id: invocation?.id,
      namespace: 'aws',
      trace_id: '1-5759e988-bd862e3fe1be46a994272793',
      aws: { operation: 'DescribeAutoScalingGroups', region: 'eu-west-1' },
      http: { response: { status: 200 } },
    });
  });
});
