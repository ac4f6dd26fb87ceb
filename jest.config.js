// One module system for the whole repo: TypeScript sources are ES modules, type-checked by tsc
// with `module: preserve`; every runner transpiles them (swc here, tsx for scripts and the CDK app,
// esbuild for Lambda bundles). Jest runs them as CommonJS because ESM mode in Jest is still
// experimental and breaks `jest.mock`; the few ESM-only dependencies (middy 7) are transpiled too.
const swc = [
  // @swc/jest, with the repo's modules reading hot built-ins once (see the file for why).
  '<rootDir>/test/helpers/local-intrinsics-transform.js',
  {
    jsc: { parser: { syntax: 'typescript' }, target: 'es2022', keepClassNames: true },
    module: { type: 'commonjs' },
  },
];

/** @type {import('jest').Config} */
module.exports = {
  // Node's environment, with modules compiled through V8's compilation cache (see the file for why).
  testEnvironment: '<rootDir>/test/helpers/code-cache-environment.js',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.(t|j|mj)sx?$': swc },
  // The simulation's handler bundles (`bundleFunctions`, esbuild's CommonJS for node20) need no
  // transform: each lands in a fresh temp directory, so Jest's transform cache never hits them.
  transformIgnorePatterns: [
    '/node_modules/(?!(@middy|aws-local-stepfunctions)/)',
    '/prescale-simulation-[^/]+/',
  ],
  // middy 7 publishes only an `import` export condition, which Jest's CommonJS resolver skips.
  moduleNameMapper: { '^@middy/([a-z-]+)$': '<rootDir>/node_modules/@middy/$1/index.js' },
  moduleFileExtensions: ['ts', 'js', 'mjs', 'cjs', 'json'],
  setupFiles: ['<rootDir>/test/helpers/setup-env.ts'],
  setupFilesAfterEnv: [
    '<rootDir>/test/helpers/end-handler-contexts.ts',
    '<rootDir>/test/helpers/no-network.ts',
  ],
  // One temp directory per run for the CDK apps' cloud assemblies, removed when the run ends.
  globalSetup: '<rootDir>/test/helpers/global-setup.ts',
  globalTeardown: '<rootDir>/test/helpers/global-teardown.ts',
  // Both cores: the suites are CPU-bound, and one worker (Jest's default on 2 cores) doubles the
  // wall time (4 min 11 s → 2 min 36 s for `npm test` on the 2-core machine, 2026-11-29).
  maxWorkers: 2,
  // A worker takes about a second to be gone after its last file: its 'exit' event fires within
  // 1 ms of Jest's end message, the process ends 1.0–1.2 s later (tearing down its heap; measured
  // from the parent, 2026-12-04). Jest's 500 ms default then SIGTERMs it and prints "A worker
  // process has failed to exit gracefully" though nothing leaked (no handle but its stdio pipes).
  workerGracefulExitTimeout: 10_000,
  // A worker's heap grows from file to file (what a file's modules hang on `process` or on
  // long-lived handles keeps its whole module registry): 0.7–1 GB by the infra files, and the
  // simulation files after them ran ~2× their alone times in collection. A worker whose heap is
  // past this after a file is replaced (its start ~1 s). Jest on a fresh clone (2 cores, idle,
  // 2026-12-07): 470 s without it, 391 s at 600 MB (`on-off-load` 40 → 20 s); at the final tree
  // 371 s at 600 MB, 360 s at 400 MB (one run each).
  workerIdleMemoryLimit: '400MB',
  // `npm run test:jest` starts Jest with `--max-semi-space-size=64`, which its workers inherit: the
  // suites allocate fast (the simulation, CDK synths), young-generation GC was 17 % of an in-band
  // run's CPU, and the larger nursery took the whole run 165 → 142 s (2 cores, 2026-12-04).
  // A hang guard only, far above any test's duration on a loaded machine: no test may pass or fail
  // by how fast the machine is (performance is measured in `npm run bench:*`).
  testTimeout: 900_000,
};
