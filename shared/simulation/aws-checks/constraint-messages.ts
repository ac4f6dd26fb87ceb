import type { ConstraintViolation } from './model-constraints';

/**
 * How a service words a model-constraint failure. `coral`: the generated validation most AWS
 * services run ("1 validation error detected: Value 'x' at 'autoScalingGroupName' failed to satisfy
 * constraint: Member must have length less than or equal to 255"), member paths in lowerCamelCase
 * with 1-based `.N.member.` list steps. `query-parameter`: CloudWatch's and EC2's own wording ("The
 * value 5xx for parameter MetricDataQueries.member.1.Id is not matching the expected pattern
 * ^[a-z][a-zA-Z0-9_]*$."), one line per failure.
 */
type Style = 'coral' | 'query-parameter';

/**
 * The error code and wording each service answers a length, range, pattern or enum failure with.
 * The code is the one the service's model or API reference names for input validation:
 * Auto Scaling, CloudFormation and CloudWatch (query errors) `ValidationError`; DynamoDB, SSM, EventBridge
 * Scheduler, Step Functions, Timestream and EventBridge `ValidationException`; the Price List API
 * `InvalidParameterException` and X-Ray `InvalidRequestException` (their models name no
 * ValidationException); SNS `InvalidParameter`, SQS and EC2 `InvalidParameterValue`.
 */
export const CONSTRAINT_ERROR: Readonly<Record<string, { readonly code: string; readonly style: Style }>> = {
  autoscaling: { code: 'ValidationError', style: 'coral' },
  cloudformation: { code: 'ValidationError', style: 'coral' },
  cloudwatch: { code: 'ValidationError', style: 'query-parameter' },
  dynamodb: { code: 'ValidationException', style: 'coral' },
  ec2: { code: 'InvalidParameterValue', style: 'query-parameter' },
  eventbridge: { code: 'ValidationException', style: 'coral' },
  pricing: { code: 'InvalidParameterException', style: 'coral' },
  scheduler: { code: 'ValidationException', style: 'coral' },
  sfn: { code: 'ValidationException', style: 'coral' },
  sns: { code: 'InvalidParameter', style: 'coral' },
  sqs: { code: 'InvalidParameterValue', style: 'coral' },
  ssm: { code: 'ValidationException', style: 'coral' },
  'timestream-query': { code: 'ValidationException', style: 'coral' },
  xray: { code: 'InvalidRequestException', style: 'coral' },
};

function render(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(render).join(', ')}]`;
  if (value instanceof Date) return value.toISOString();
  if (value !== null && typeof value === 'object')
    return `{${Object.entries(value)
      .map(([k, v]) => `${k}=${render(v)}`)
      .join(', ')}}`;
  return String(value);
}

function phrase(rule: ConstraintViolation['rule']): string {
  switch (rule.kind) {
    case 'min-length':
      return `Member must have length greater than or equal to ${rule.limit}`;
    case 'max-length':
      return `Member must have length less than or equal to ${rule.limit}`;
    case 'min-value':
      return `Member must have value greater than or equal to ${rule.limit}`;
    case 'max-value':
      return `Member must have value less than or equal to ${rule.limit}`;
    case 'pattern':
      return `Member must satisfy regular expression pattern: ${rule.pattern}`;
    case 'enum':
      return `Member must satisfy enum value set: [${rule.values.join(', ')}]`;
  }
}

const lowerFirst = (s: string) => s.charAt(0).toLowerCase() + s.slice(1);

function coralLine(v: ConstraintViolation): string {
  // A list element's or map entry's failure is reported at the list or map itself.
  const steps = v.on === 'member' ? v.path : v.path.slice(0, -1);
  const at = steps.map((s) => (typeof s === 'number' ? `${s + 1}.member` : lowerFirst(s))).join('.');
  const wrap = {
    member: (p: string) => p,
    'list-element': (p: string) => `Member must satisfy constraint: [${p}]`,
    'map-key': (p: string) => `Map keys must satisfy constraint: [${p}]`,
    'map-value': (p: string) => `Map value must satisfy constraint: [${p}]`,
  }[v.on];
  return `Value '${render(v.value)}' at '${at}' failed to satisfy constraint: ${wrap(phrase(v.rule))}`;
}

function queryParameterLine(v: ConstraintViolation): string {
  const parameter = v.path.map((s) => (typeof s === 'number' ? `member.${s + 1}` : s)).join('.');
  const what = `The value ${render(v.value)} for parameter ${parameter}`;
  const rule = v.rule;
  switch (rule.kind) {
    case 'pattern':
      return `${what} is not matching the expected pattern ${rule.pattern}.`;
    case 'enum':
      return `${what} is not valid: expected one of ${rule.values.join(', ')}.`;
    case 'min-length':
      return `${what} must be at least ${rule.limit} long.`;
    case 'max-length':
      return `${what} must be at most ${rule.limit} long.`;
    case 'min-value':
      return `${what} must be greater than or equal to ${rule.limit}.`;
    case 'max-value':
      return `${what} must be less than or equal to ${rule.limit}.`;
  }
}

/** One line per failure, in the service's wording (see `CONSTRAINT_ERROR`). */
export function constraintLines(service: string, violations: readonly ConstraintViolation[]): string[] {
  const style = CONSTRAINT_ERROR[service]?.style ?? 'coral';
  return violations.map(style === 'coral' ? coralLine : queryParameterLine);
}

/**
 * The error the service answers `violations` with: its code and the message as the service
 * words it (Coral services prefix "N validation error(s) detected: " and join with "; ").
 * @throws Error when `violations` is empty (there is no error to answer).
 */
export function constraintError(
  service: string,
  violations: readonly ConstraintViolation[],
): { code: string; message: string } {
  if (violations.length === 0) throw new Error('no constraint violation to answer');
  const { code, style } = CONSTRAINT_ERROR[service] ?? { code: 'ValidationException', style: 'coral' };
  const lines = constraintLines(service, violations);
  if (style === 'query-parameter') return { code, message: lines.join('\n') };
  const n = lines.length;
  return { code, message: `${n} validation error${n === 1 ? '' : 's'} detected: ${lines.join('; ')}` };
}
