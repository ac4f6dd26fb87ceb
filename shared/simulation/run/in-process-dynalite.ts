import { EventEmitter } from 'node:events';
import { DynamoDBClient, type DynamoDBClientConfig } from '@aws-sdk/client-dynamodb';

/** The SDK request handler type of the DynamoDB client. */
export type DynamoDbRequestHandler = NonNullable<DynamoDBClientConfig['requestHandler']>;

/** dynalite, a real DynamoDB implementation, answering SDK requests in this process. */
export interface InProcessDynalite {
  /** Give this to a DynamoDB client as `requestHandler`: each request is served without a socket. */
  readonly requestHandler: DynamoDbRequestHandler;
  /** A DynamoDB client (signed requests, as a Lambda sends them) served by this dynalite. */
  client(): DynamoDBClient;
}

/** The endpoint the clients name; nothing listens there: the request handler serves every request. */
export const IN_PROCESS_DYNALITE_ENDPOINT = 'http://dynalite.in-process';

// dynalite is CommonJS without types; this is the part of its API used here.
type RequestListener = (req: EventEmitter, res: FakeResponse) => void;
type DynaliteServer = { listeners(event: 'request'): RequestListener[] };

interface FakeResponse {
  statusCode: number;
  contentType?: string;
  setHeader(name: string, value: string | number): void;
  end(body?: string): void;
}

function requestBytes(body: unknown): Buffer {
  // The SDK sends JSON as a string or as bytes (a Uint8Array subclass whose string methods warn).
  if (body instanceof Uint8Array) return Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  if (typeof body === 'string') return Buffer.from(body, 'utf8');
  return Buffer.alloc(0);
}

/**
 * Starts dynalite (in-memory) without binding a port: its HTTP request listener is called directly
 * with the SDK's request, so every DynamoDB call still goes through dynalite's validation, its
 * expression evaluation and its storage, but not through TCP, Node's HTTP parser or an agent.
 */
export function startInProcessDynalite(): InProcessDynalite {
  const dynalite = require('dynalite') as (options: object) => DynaliteServer;
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  const listener = server.listeners('request')[0];
  if (!listener) throw new Error('dynalite created no HTTP request listener');
  const serve = (request: {
    method: string;
    path?: string;
    headers: Record<string, string>;
    body?: unknown;
  }): Promise<{ statusCode: number; headers: Record<string, string>; body: Buffer }> =>
    new Promise((resolve) => {
      const req = Object.assign(new EventEmitter(), {
        method: request.method,
        url: request.path ?? '/',
        headers: Object.fromEntries(Object.entries(request.headers).map(([k, v]) => [k.toLowerCase(), v])),
      });
      const headers: Record<string, string> = {};
      const res: FakeResponse = {
        statusCode: 200,
        setHeader: (name, value) => {
          headers[name.toLowerCase()] = String(value);
        },
        end: (body = '') => resolve({ statusCode: res.statusCode, headers, body: Buffer.from(body, 'utf8') }),
      };
      listener(req, res);
      const bytes = requestBytes(request.body);
      if (bytes.length > 0) req.emit('data', bytes);
      req.emit('end');
    });
  const requestHandler = {
    handle: async (request: Parameters<typeof serve>[0]) => ({ response: await serve(request) }),
    updateHttpClientConfig: () => undefined,
    httpHandlerConfigs: () => ({}),
  } as unknown as DynamoDbRequestHandler;
  return {
    requestHandler,
    client: () =>
      new DynamoDBClient({
        region: 'us-east-1',
        endpoint: IN_PROCESS_DYNALITE_ENDPOINT,
        requestHandler,
        credentials: { accessKeyId: 'AKIASIMULATION00000', secretAccessKey: 'simulation-secret' },
      }),
  };
}
