import type { Context } from 'aws-lambda';

/** A Lambda context as the Node.js runtime passes one (the developer guide's fields). */
export const lambdaContext = {
  functionName: 'prescale-test',
  functionVersion: '$LATEST',
  invokedFunctionArn: 'arn:aws:lambda:eu-west-1:123456789012:function:prescale-test',
  memoryLimitInMB: '256',
  awsRequestId: 'c6af9ac6-7b61-11e6-9a41-93e8deadbeef',
  logGroupName: '/aws/lambda/prescale-test',
  logStreamName: '2026/12/03/[$LATEST]abc',
  getRemainingTimeInMillis: () => 60_000,
} as Context;

/** The same context for another invocation, with its own request id. */
export function invocationContext(awsRequestId: string): Context {
  return { ...lambdaContext, awsRequestId };
}

/** Every line Powertools' logger and metrics print while `run` runs, parsed as JSON. */
export async function printedDuring(run: () => Promise<unknown>): Promise<Record<string, unknown>[]> {
  const lines: string[] = [];
  const capture = (chunk: unknown): boolean => {
    lines.push(...String(chunk).split('\n').filter(Boolean));
    return true;
  };
  const out = jest.spyOn(process.stdout, 'write').mockImplementation(capture);
  const err = jest.spyOn(process.stderr, 'write').mockImplementation(capture);
  try {
    await run();
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
  return lines.map((line) => JSON.parse(line) as Record<string, unknown>);
}

/**
 * Runs `build` with Powertools logging at `logLevel` and metrics on, as a deployed function reads
 * them when its module loads (the tests' setup turns both off), then puts the environment back.
 */
export function builtAt<T>(logLevel: string, build: () => T): T {
  const saved = { ...process.env };
  process.env.POWERTOOLS_LOG_LEVEL = logLevel;
  process.env.POWERTOOLS_METRICS_DISABLED = 'false';
  try {
    return build();
  } finally {
    process.env = saved;
  }
}

/** The messages of the printed lines at `level`. */
export const messagesAt = (lines: readonly Record<string, unknown>[], level: string): string[] =>
  lines.filter((line) => line.level === level).map((line) => String(line.message));
