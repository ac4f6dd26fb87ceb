import type { ServeDynamoDbOperation } from './in-process-dynalite';

/**
 * The JSON protocol's body for a command input, as `JSON.parse(JSON.stringify(input))` would give
 * it, with bytes as base64 (binary attribute values travel so in DynamoDB's JSON protocol), built
 * in one walk: a stringify with a replacer and a parse of its text cost a run record ~10× more.
 * What JSON drops or nulls is dropped or nulled the same way; anything with a `toJSON` (a Date)
 * goes through JSON itself.
 */
function toWire(value: unknown): unknown {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  // JSON writes -0 as 0 and a non-finite number as null.
  if (typeof value === 'number') return Number.isFinite(value) ? value + 0 : null;
  if (typeof value !== 'object') return undefined;
  if (value instanceof Uint8Array)
    return Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64');
  if (Array.isArray(value)) {
    const copy = new Array<unknown>(value.length);
    for (let i = 0; i < value.length; i++) copy[i] = toWire(value[i]) ?? null;
    return copy;
  }
  if (typeof (value as { toJSON?: unknown }).toJSON === 'function') return JSON.parse(JSON.stringify(value));
  const copy: Record<string, unknown> = {};
  for (const key of Object.keys(value)) {
    const member = toWire((value as Record<string, unknown>)[key]);
    if (member === undefined) continue;
    if (key === '__proto__')
      Object.defineProperty(copy, key, {
        value: member,
        enumerable: true,
        writable: true,
        configurable: true,
      });
    else copy[key] = member;
  }
  return copy;
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
    const body = toWire(input ?? {}) as Record<string, unknown>;
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
