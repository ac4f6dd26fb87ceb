import { activeAwsRequestChecks } from '../aws-checks/aws-request-checks';
import type { SimulatedWorld } from '../world/simulated-world';
import type { DynamoDbRequestHandler } from './in-process-dynalite';

type HttpRequest = { headers: Record<string, string>; body?: unknown };
type Handle = (request: HttpRequest, options?: unknown) => Promise<{ response: unknown }>;

function bodyText(body: unknown): string {
  if (typeof body === 'string') return body;
  if (body instanceof Uint8Array)
    return Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('utf8');
  return '{}';
}

/**
 * Wraps the in-process dynalite's request handler so that, while deployment checks are installed
 * (`aws-checks`), each DynamoDB request a handler sends is validated against the API model and
 * authorized as the handler's deployed role before dynalite serves it. The request is the wire
 * JSON (`X-Amz-Target: DynamoDB_20120810.<Operation>`, attribute values marshalled), the same
 * shape the API model describes. A refusal answers as DynamoDB does: HTTP 400 with `__type`.
 */
export function checkedDynamoDbRequests(
  inner: DynamoDbRequestHandler,
  world: () => SimulatedWorld | undefined,
): DynamoDbRequestHandler {
  const serve = (inner as unknown as { handle: Handle }).handle.bind(inner);
  const handle: Handle = async (request, options) => {
    const checks = activeAwsRequestChecks();
    if (checks) {
      const target =
        Object.entries(request.headers).find(([k]) => k.toLowerCase() === 'x-amz-target')?.[1] ?? '';
      const operation = target.split('.').pop() ?? '';
      try {
        await checks.check(world(), 'dynamodb', `${operation}Command`, JSON.parse(bodyText(request.body)));
      } catch (error) {
        const { name, message } = error as Error;
        const body = JSON.stringify({ __type: `com.amazonaws.dynamodb.v20120810#${name}`, message });
        return {
          response: {
            statusCode: 400,
            headers: { 'content-type': 'application/x-amz-json-1.0' },
            body: Buffer.from(body, 'utf8'),
          },
        };
      }
    }
    return serve(request, options);
  };
  return Object.assign(Object.create(inner as object), { handle }) as DynamoDbRequestHandler;
}
