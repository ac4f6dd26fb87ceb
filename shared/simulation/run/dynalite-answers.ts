import type { ServeDynamoDbOperation } from './in-process-dynalite';

/** Binary attribute values travel as base64 in DynamoDB's JSON protocol. */
function toWire(_key: string, value: unknown): unknown {
  return value instanceof Uint8Array
    ? Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64')
    : value;
}

/**
 * Back from the JSON protocol, in place: an attribute value `{B: "…"}` or `{BS: ["…"]}` (one
 * member, as every AttributeValue has) holds base64 bytes. A map attribute named B holds an
 * object, never a string, so it is never taken for one.
 */
function bytesFromWire(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) value[i] = bytesFromWire(value[i]);
    return value;
  }
  const object = value as Record<string, unknown>;
  const keys = Object.keys(object);
  if (keys.length === 1) {
    const { B, BS } = object;
    if (typeof B === 'string') return { B: new Uint8Array(Buffer.from(B, 'base64')) };
    if (Array.isArray(BS) && BS.every((b) => typeof b === 'string'))
      return { BS: BS.map((b: string) => new Uint8Array(Buffer.from(b, 'base64'))) };
  }
  for (const key of keys) object[key] = bytesFromWire(object[key]);
  return object;
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
 * Answers a DynamoDB command from dynalite: the command's (marshalled) input becomes the JSON
 * protocol's request body (a copy: bytes as base64), the answer's body is the command's output
 * (bytes back as `Uint8Array`), and an error answer is thrown under its DynamoDB name.
 * `serve` answers one operation (dynalite, behind any checks).
 */
export function dynaliteAnswers(serve: ServeDynamoDbOperation) {
  return async (commandName: string, input: unknown): Promise<unknown> => {
    const operation = commandName.replace(/Command$/, '');
    const body = JSON.parse(JSON.stringify(input ?? {}, toWire)) as Record<string, unknown>;
    const { statusCode, body: out } = await serve(operation, body);
    if (statusCode !== 200) {
      const name = String(out.__type ?? 'UnknownError')
        .split('#')
        .pop() as string;
      throw new DynaliteServiceError(name, String(out.message ?? out.Message ?? name), statusCode);
    }
    return bytesFromWire(out);
  };
}
