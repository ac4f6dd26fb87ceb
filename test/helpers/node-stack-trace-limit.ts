/**
 * `build()` with node's own limit of 10 stack frames, the one `cdk synth` runs the app with. Jest
 * raises it to 100 (jest-runner), and the CDK captures a trace for every CloudFormation resource
 * and every acknowledgment it records, each frame source-mapped by Jest: a fifth of a synth's time
 * (cloudformation-quotas.test.ts 24.5 → 19 s CPU) for metadata no test reads. A synth error thrown
 * inside keeps its message; its stack shows 10 frames.
 */
export function withNodeStackTraceLimit<T>(build: () => T): T {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 10;
  try {
    return build();
  } finally {
    Error.stackTraceLimit = limit;
  }
}
