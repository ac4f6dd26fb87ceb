import { createServer, type Server, type Socket } from 'node:net';
import { AutoScalingClient, DescribeAutoScalingGroupsCommand } from '@aws-sdk/client-auto-scaling';
import { baseConfig, CONNECTION_TIMEOUT_MS } from '../../../shared/aws/aws-transport';

describe('baseConfig timeouts', () => {
  it('gives every client a connection timeout, and a request timeout that fails the attempt only where asked', () => {
    expect(baseConfig({}).requestHandler).toEqual({ connectionTimeout: CONNECTION_TIMEOUT_MS });
    expect(baseConfig({ requestTimeoutMs: 5_000 }).requestHandler).toEqual({
      connectionTimeout: CONNECTION_TIMEOUT_MS,
      requestTimeout: 5_000,
      throwOnRequestTimeout: true,
    });
  });

  describe('against an endpoint that accepts the connection and never answers', () => {
    let server: Server;
    const sockets: Socket[] = [];
    let endpoint: string;

    beforeAll(async () => {
      server = createServer((socket) => sockets.push(socket));
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      const address = server.address();
      if (address === null || typeof address === 'string')
        throw new Error(`expected a TCP address, got ${address}`);
      endpoint = `http://127.0.0.1:${address.port}`;
    });

    afterAll(async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    });

    it('fails the call with a TimeoutError once the request timeout has passed', async () => {
      const client = new AutoScalingClient({
        ...baseConfig({ region: 'eu-west-1', requestTimeoutMs: 200 }),
        maxAttempts: 1,
        endpoint,
        credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' },
      });
      let guard: NodeJS.Timeout | undefined;
      // Far above the 200 ms the attempt may take, even on a busy machine's cold worker: a call still
      // waiting then is one the timeout did not end.
      const stalled = new Promise<string>((resolve) => {
        guard = setTimeout(() => resolve('still waiting after 20 s'), 20_000);
      });
      const outcome = await Promise.race([
        client.send(new DescribeAutoScalingGroupsCommand({})).then(
          () => 'answered',
          (error: Error) => error.name,
        ),
        stalled,
      ]);
      clearTimeout(guard);
      client.destroy();
      expect(outcome).toBe('TimeoutError');
    }, 60_000);
  });
});
