import { activeAwsRequestChecks } from '../aws-checks/installed-checks';
import type { SimulatedWorld } from '../world/simulated-world';
import type { ServeDynamoDbOperation } from './in-process-dynalite';

/**
 * Wraps the in-process dynalite so that, while deployment checks are installed (`aws-checks`),
 * each DynamoDB request a handler sends is validated against the API model and authorized as the
 * handler's deployed role before dynalite serves it. The request is the JSON protocol's body
 * (attribute values marshalled), the same shape the API model describes. A refusal answers as
 * DynamoDB does: HTTP 400 with `__type`.
 */
export function checkedDynamoDbRequests(
  serve: ServeDynamoDbOperation,
  world: () => SimulatedWorld | undefined,
): ServeDynamoDbOperation {
  return async (operation, body) => {
    const checks = activeAwsRequestChecks();
    if (checks) {
      try {
        await checks.check(world(), 'dynamodb', `${operation}Command`, body);
      } catch (error) {
        const { name, message } = error as Error;
        return { statusCode: 400, body: { __type: `com.amazonaws.dynamodb.v20120810#${name}`, message } };
      }
    }
    return serve(operation, body);
  };
}
