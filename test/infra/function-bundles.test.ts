import { bundleFunctions, type FunctionBundle, functionNames } from '../helpers/bundle-function';

const KB = 1024;

/** Gzipped bundle budget of every Lambda, unless it has its own below. */
const DEFAULT_BUDGET_GZIP_BYTES = 300 * KB;

/** Functions with their own budget, and why. */
const OWN_BUDGETS: Readonly<Record<string, { readonly gzipBytes: number; readonly why: string }>> = {
  'select-instance-types': {
    gzipBytes: 420 * KB,
    why: 'the HiGHS solver glue (its WebAssembly ships in a layer) and the EC2 and Pricing clients',
  },
  'compute-update-plan': {
    gzipBytes: 420 * KB,
    why: 'the HiGHS solver glue of the update-scenario planner and the EC2 client (launch template versions)',
  },
  'find-scheduled-maintenance': {
    gzipBytes: 360 * KB,
    why: "the EC2 client: esbuild keeps the SDK's whole EC2 schema module (540 KB minified)",
  },
  'validate-rolling-update': {
    gzipBytes: 360 * KB,
    why: "the EC2 client: esbuild keeps the SDK's whole EC2 schema module (540 KB minified)",
  },
};

/** SDK clients each function may bundle: the ones its handler wires. */
const SDK_CLIENTS: Readonly<Record<string, readonly string[]>> = {
  'dispatch-scaling-run': ['auto-scaling', 'dynamodb', 'sqs'],
  'scale-groups': ['auto-scaling', 'cloudwatch', 'dynamodb', 'ssm', 'timestream-query', 'xray'],
};

describe('Lambda bundles', () => {
  let bundles: Map<string, FunctionBundle>;
  beforeAll(async () => {
    bundles = await bundleFunctions(functionNames());
  });
  const bundleOf = (name: string) => bundles.get(name) as FunctionBundle;

  it.each(functionNames())('%s stays within its gzipped size budget', async (name) => {
    const bundle = bundleOf(name);
    const budget = OWN_BUDGETS[name]?.gzipBytes ?? DEFAULT_BUDGET_GZIP_BYTES;
    expect(bundle.gzipBytes).toBeLessThanOrEqual(budget);
  });

  it.each(Object.entries(SDK_CLIENTS))('%s bundles only the SDK clients it calls', async (name, clients) => {
    const inputs = Object.keys(bundleOf(name).inputs);
    const bundled = new Set(
      inputs.flatMap((input) => input.match(/node_modules\/@aws-sdk\/client-([a-z0-9-]+)\//)?.slice(1) ?? []),
    );
    expect([...bundled].sort()).toEqual([...clients].sort());
  });

  it('gives every own budget a function that exists', () => {
    expect(Object.keys(OWN_BUDGETS).filter((name) => !functionNames().includes(name))).toEqual([]);
  });
});
