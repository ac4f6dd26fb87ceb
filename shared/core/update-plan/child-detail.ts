import { cutCause } from './cut-cause';
import type { ChildOutcome } from './types';

/**
 * Most characters of one child's failure cause, or of a caught error's, the plan keeps (it
 * repeats them in its log, its step and its notification; ten at this length stay far within the
 * state's 256 KiB, where a cause of the 32,768 characters Step Functions allows would not).
 */
export const CHILD_CAUSE_MAX_CHARS = 1000;

/**
 * A child's reported detail, readable (`childFailure`) and cut to {@link CHILD_CAUSE_MAX_CHARS},
 * naming the child execution whose history holds the whole text: its ARN as reported, else the
 * one inside a `startExecution.sync` Cause, else its name. The slot's Map cuts each detail so
 * (a concurrent slot's ten uncut Causes, each with the child's input, could pass 256 KiB), and
 * the plan again as it decides: cutting a cut detail changes nothing. Pure.
 */
export function cutChildDetail(outcome: ChildOutcome): string {
  const detail = outcome.detail ?? '';
  const where = outcome.executionArn ?? causeExecutionArn(detail) ?? `execution ${outcome.childName}`;
  return cutCause(childFailure(detail), CHILD_CAUSE_MAX_CHARS, `the history of ${where}`);
}

/**
 * A failed child's Cause, readable: `startExecution.sync` reports the child's DescribeExecution
 * output as JSON (`{ "status": "FAILED", "error": …, "cause": … }`), so its error and cause are
 * taken out of it; any other text is kept as it is.
 */
export function childFailure(detail: string): string {
  const parsed = parsedCause(detail);
  const error = parsed?.error ?? parsed?.Error;
  const cause = parsed?.cause ?? parsed?.Cause;
  if (typeof error === 'string') return typeof cause === 'string' ? `${error}: ${cause}` : error;
  return detail;
}

/** The child execution's ARN inside a `startExecution.sync` Cause, if it is one and names it. */
function causeExecutionArn(detail: string): string | undefined {
  const parsed = parsedCause(detail);
  const arn = parsed?.executionArn ?? parsed?.ExecutionArn;
  return typeof arn === 'string' ? arn : undefined;
}

function parsedCause(detail: string): Record<string, unknown> | undefined {
  try {
    const parsed: unknown = JSON.parse(detail);
    return typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : undefined;
  } catch {
    // Not JSON: already readable.
    return undefined;
  }
}
