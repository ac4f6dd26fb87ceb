import type { DynamoDbRequestHandler } from './in-process-dynalite';

type Handle = (request: {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: string;
}) => Promise<{ response: { statusCode: number; body: Buffer } }>;

// dynalite checks the header's form only.
const WIRE_HEADERS = {
  'content-type': 'application/x-amz-json-1.0',
  authorization:
    'AWS4-HMAC-SHA256 Credential=AKIASIMULATION00000/20240101/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=0',
  'x-amz-date': '20240101T000000Z',
};

/** Binary attribute values travel as base64 in DynamoDB's JSON protocol. */
function toWire(_key: string, value: unknown): unknown {
  return value instanceof Uint8Array
    ? Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64')
    : value;
}

/**
 * Back from the JSON protocol: an attribute value `{B: "…"}` or `{BS: ["…"]}` (one member, as
 * every AttributeValue has) holds base64 bytes. A map attribute named B holds an object, never a
 * string, so it is never taken for one.
 */
function fromWire(_key: string, value: unknown): unknown {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return value;
  const entries = Object.keys(value);
  if (entries.length !== 1) return value;
  const v = value as { B?: unknown; BS?: unknown };
  if (typeof v.B === 'string') return { B: new Uint8Array(Buffer.from(v.B, 'base64')) };
  if (Array.isArray(v.BS) && v.BS.every((b) => typeof b === 'string'))
    return { BS: v.BS.map((b: string) => new Uint8Array(Buffer.from(b, 'base64'))) };
  return value;
}

/** An error DynamoDB answered, as the SDK raises it: the `__type`'s last part is its name. */
export class DynaliteServiceError extends Error {
  readonly $fault: 'client' | 'server';
  readonly $metadata: { httpStatusCode: number };
  constructor(name: string, message: string, statusCode: number) {
    super(message);
    this.name = name;
    this.$fault = statusCode >= 500 ? 'server' : 'client';
    this.$metadata = { httpStatusCode: statusCode };
  }
}

/**
 * Answers a DynamoDB command from dynalite through its JSON protocol: the command's (marshalled)
 * input is the request body, the response body is the command's output, and an error answer is
 * thrown under its DynamoDB name. `handler` serves the wire request (dynalite, behind any checks).
 */
export function dynaliteAnswers(handler: DynamoDbRequestHandler) {
  const handle = (handler as unknown as { handle: Handle }).handle.bind(handler);
  return async (commandName: string, input: unknown): Promise<unknown> => {
    const operation = commandName.replace(/Command$/, '');
    const { response } = await handle({
      method: 'POST',
      path: '/',
      headers: { ...WIRE_HEADERS, 'x-amz-target': `DynamoDB_20120810.${operation}` },
      body: JSON.stringify(input ?? {}, toWire),
    });
    const text = response.body.toString('utf8');
    // Only an answer that names a B or BS member can hold bytes; the others skip the reviver.
    const out = (!text ? {} : text.includes('"B') ? JSON.parse(text, fromWire) : JSON.parse(text)) as Record<
      string,
      unknown
    >;
    if (response.statusCode !== 200) {
      const name = String(out.__type ?? 'UnknownError')
        .split('#')
        .pop() as string;
      throw new DynaliteServiceError(name, String(out.message ?? out.Message ?? name), response.statusCode);
    }
    return out;
  };
}
