import { type ClientInstrumentation, lazyClients } from '../../../shared/aws/aws-clients';

describe('lazyClients', () => {
  it('makes each client on first use only, and keeps it while warm', () => {
    const made: string[] = [];
    const clients = lazyClients({
      autoScaling: () => {
        made.push('autoScaling');
        return { name: 'autoScaling' };
      },
      sqs: () => {
        made.push('sqs');
        return { name: 'sqs' };
      },
    });
    expect(made).toEqual([]);
    expect(clients.sqs).toBe(clients.sqs);
    expect(made).toEqual(['sqs']);
  });

  it('hands each client to the instrumentation once, when it is made, and serves what it returns', () => {
    const instrumented: string[] = [];
    const instrumentation: ClientInstrumentation = {
      captureAWSv3Client: <T>(client: T): T => {
        instrumented.push((client as { name: string }).name);
        return { ...(client as object), traced: true } as T;
      },
    };
    const clients = lazyClients(
      { dynamoDb: () => ({ name: 'dynamoDb' }), ssm: () => ({ name: 'ssm' }) },
      instrumentation,
    );
    expect(clients.dynamoDb).toEqual({ name: 'dynamoDb', traced: true });
    expect(clients.dynamoDb).toBe(clients.dynamoDb);
    expect(instrumented).toEqual(['dynamoDb']);
  });
});
