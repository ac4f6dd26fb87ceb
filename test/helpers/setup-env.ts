// aws-local-stepfunctions 3 calls Promise.withResolvers, which Node adds in 22; Node 20 runs CI here.
if (typeof (Promise as { withResolvers?: unknown }).withResolvers !== 'function') {
  Object.defineProperty(Promise, 'withResolvers', {
    configurable: true,
    writable: true,
    value: function withResolvers<T>() {
      let resolve!: (value: T | PromiseLike<T>) => void;
      let reject!: (reason?: unknown) => void;
      const promise = new Promise<T>((res, rej) => {
        resolve = res;
        reject = rej;
      });
      return { promise, resolve, reject };
    },
  });
}

// Tests never reach AWS: fixed fake credentials and region stop the SDK from looking for real ones.
process.env.AWS_REGION ??= 'eu-west-1';
process.env.AWS_ACCESS_KEY_ID ??= 'AKIAFAKEFAKEFAKE';
process.env.AWS_SECRET_ACCESS_KEY ??= 'fake-secret';
process.env.POWERTOOLS_DEV ??= 'false';
process.env.POWERTOOLS_LOG_LEVEL ??= 'SILENT';
process.env.POWERTOOLS_METRICS_DISABLED ??= 'true';
process.env.POWERTOOLS_TRACE_ENABLED ??= 'false';
// The SDK warns once per process that its 2027 releases need Node 22; CI here runs Node 20.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
// CDK's built-in CloudFormation validation (a wasm engine, ~3 s to start in each test file) runs
// where it can fail a synth: every deploy-matrix configuration (`synthValidated`) and `cdk synth`.
process.env.CDK_VALIDATION ??= 'false';
// Node's own limit of 10 stack frames (the one `cdk synth` and Lambda run with): Jest raises it to
// 100, and the CDK captures a trace for every resource and acknowledgment it records, as every
// error the simulations throw and catch does, each frame source-mapped by Jest. Measured on
// 2026-12-07 (2 cores, idle): test/unit/simulation 123 → 117 s CPU; the quota and stack tests
// 32.3 → 31.4 s. A failing test still shows where it failed.
Error.stackTraceLimit = 10;
// Nor any creation or metadata stack trace in the CDK's templates (what `cdk synth` records for
// `cdk doctor`-style debugging, which no test reads): each is captured and source-mapped per
// resource. Measured on 2026-12-07 (2 cores): three synth-heavy infra files 29.1 → 25.0 s CPU.
process.env.CDK_DISABLE_STACK_TRACE ??= '1';
process.env.CDK_CONTEXT_JSON ??= JSON.stringify({
  'aws:cdk:disable-creation-stack-traces': true,
  'aws:cdk:disable-stack-trace': true,
});
