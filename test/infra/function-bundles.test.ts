import path from 'node:path';
import { bundleFunctions, type FunctionBundle, functionNames } from '../helpers/bundle-function';

const KB = 1024;

/**
 * Gzipped bundle budget of every Lambda, unless it has its own below: the largest of them
 * (validate-rolling-update, 225 KB on 2026-11-29) plus headroom. The ceiling is 300 KB.
 */
const DEFAULT_BUDGET_GZIP_BYTES = 240 * KB;

/** Functions with their own budget (their size on 2026-11-29 plus headroom), and why. */
const OWN_BUDGETS: Readonly<Record<string, { readonly gzipBytes: number; readonly why: string }>> = {
  'select-instance-types': {
    gzipBytes: 305 * KB,
    why: 'the HiGHS solver glue (its WebAssembly ships in a layer), the EC2, Pricing and DynamoDB clients and the kill switch (SSM client; 290 KB on 2026-12-04; 301.0 KB on 2026-12-07 with the record of the change applied, which holds a group its owner reverted)',
  },
  'choose-update-window': {
    gzipBytes: 268 * KB,
    why: "Auto Scaling, CloudWatch and DynamoDB clients and the kill switch it reads at each window (SSM client; 240 KB on 2026-12-04; 256.8 KB on 2026-12-06 with the campaign calendar its forecast reads, the loop's DynamoDB reader; 265.1 KB on 2026-12-07 with the forecast on a group's time zone, `onWallClock`)",
  },
  'compute-update-plan': {
    gzipBytes: 297 * KB,
    why: "the HiGHS solver glue of the update-scenario planner, the forecasting models and four clients (275 KB; 289.9 KB on 2026-12-05 reading the stored X-Ray discovery, which its state machine fetches (since 2026-12-07 the read-plan-discovery Lambda, its edges among the plan groups) so it bundles no DynamoDB client: a DynamoDB client would take it to 299.7 KB; 288.6 KB on 2026-12-06 forecasting with the campaign calendar, which the read-plan-calendar Lambda reads for it: with DynamoDbCampaignCalendar and its client bundled it would be 298.5 KB; 295.6 KB with the forecast on a group's time zone, `onWallClock`)",
  },
  'scale-groups': {
    gzipBytes: 302 * KB,
    why: "the scaling loop: forecasting models, planning, six clients and Powertools batch and parameters (275 KB; 285.4 KB on 2026-12-05 with the owner's scheduled MinSize; 290.7 KB later that day with the campaign uplift's removal, the whole-day model window, the held give-back and the owner's one-time MinSize; 295.0 KB on 2026-12-06 with the releases left to the loop, the warm pool's drawable count, Auto Scaling's group-not-found answers and the cpu load's terminating count; 296.0 KB later that day with a group's one claim per tick, the left releases' conditional settle and the uncollected terminating count's warning; 297.1 KB on 2026-12-07 with the learned load ratio's r² gate, X-Ray discovery's deadline and fallback to the last discovery, and the discovery's conditional write; 298.1 KB later that day with the per-group re-read shared with campaigns, the Metrics Insights range check, the cut companion series' re-read, the look-ahead's delete-then-put and the warm pool's cap at MaxSize; 300.1 KB later that day with the forecast on a group's time zone (`onWallClock`), the warm pool's pending MinSize and the claim left live when marking it done fails, over the 300 KB ceiling as select-instance-types already was)",
  },
  'validate-rolling-update': {
    gzipBytes: 265 * KB,
    why: 'four clients (Auto Scaling, EC2, CloudWatch, DynamoDB) and the kill switch: the SSM client and Powertools parameters (246 KB on 2026-12-04)',
  },
  'prewarm-campaign': {
    gzipBytes: 277 * KB,
    why: "forecasting models and five clients, as the scaling loop (249 KB; 265.3 KB on 2026-12-05 once a release reads the owner's scheduled actions; 270.3 KB on 2026-12-06 with the campaign audit's fixes and the no-history reason the loop gives; 269.8 KB later that day on DynamoDbCampaignRunStore, which reads campaigns without the rules that apply their events; 271.0 KB on 2026-12-06 with the configuration's history-day checks, which every function's runtime parse of its configuration runs; 272.0 KB later that day with the pre-warm's conditional record and re-read campaign, a release's marks for a racing pre-warm and the versioned kind history; 273.31 KB later that day with the campaign version in the pre-warm record's condition and an older version's give-back to a newer one's raise; 266.1 KB later that day once X-Ray's patcher bundles semver's gte alone; 274.1 KB with the forecast on a group's time zone, `onWallClock`; 275.03 KB later that day with the day's new settings (campaigns, eventSenders, instanceRolePathPrefix) in the configuration schema every function parses, and the level persistence and burst floor on the group's time zone)",
  },
};

/** SDK clients each function may bundle: the ones its handler wires. */
const SDK_CLIENTS: Readonly<Record<string, readonly string[]>> = {
  'dispatch-scaling-run': ['auto-scaling', 'dynamodb', 'sqs', 'ssm'],
  'scale-groups': ['auto-scaling', 'cloudwatch', 'dynamodb', 'ssm', 'timestream-query', 'xray'],
};

/** The modules of Lambda event schemas, one per event family (`shared/contracts`). */
const EVENT_SCHEMA_MODULE =
  /shared\/contracts\/(eventbridge-event|rolling-update-events|update-plan-events|group-work-event|custom-resource-event)\.ts$/;

/** The event-schema modules of each function that receives an AWS event: its own events' only. */
const EVENT_SCHEMAS: Readonly<Record<string, readonly string[]>> = {
  'cancel-update-plan': ['eventbridge-event', 'update-plan-events'],
  'remove-look-ahead': ['custom-resource-event'],
  'request-rolling-update': ['eventbridge-event', 'rolling-update-events'],
  'request-update-plan': ['eventbridge-event', 'update-plan-events'],
  'scale-groups': ['group-work-event'],
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

  it('drops the SDK schemas of the commands a function never sends', () => {
    // The EC2 client's schema module is 540 KB minified when kept whole; this function's commands
    // (and the schemas of the errors the client registers) keep 53 KB of it.
    const ec2SchemaBytes = Object.entries(bundleOf('find-scheduled-maintenance').inputs)
      .filter(([input]) => /@aws-sdk\/client-ec2\/dist-es\/schemas\//.test(input))
      .reduce((sum, [, bytes]) => sum + bytes, 0);
    expect(ec2SchemaBytes).toBeGreaterThan(0);
    expect(ec2SchemaBytes).toBeLessThan(80 * KB);
  });

  it.each(['scale-groups', 'request-update-plan'])(
    "%s bundles zod's English messages only, not its other locales",
    (name) => {
      const locales = Object.keys(bundleOf(name).inputs).filter((input) =>
        /node_modules\/zod\/v4\/locales\//.test(input),
      );
      expect(locales.map((input) => path.basename(input))).toEqual(['en.js']);
    },
  );

  it.each(functionNames())('%s bundles the schemas of the events it receives, no others', (name) => {
    const modules = Object.keys(bundleOf(name).inputs).flatMap(
      (input) => input.match(EVENT_SCHEMA_MODULE)?.slice(1) ?? [],
    );
    expect(modules.sort()).toEqual([...(EVENT_SCHEMAS[name] ?? [])].sort());
  });

  it.each(['scale-groups', 'dispatch-scaling-run', 'remove-look-ahead'])(
    '%s bundles none of the rolling-update contracts',
    (name) => {
      const contracts = Object.keys(bundleOf(name).inputs).filter((input) =>
        /shared\/contracts\/(rolling-update|update-plan)\.ts$/.test(input),
      );
      expect(contracts).toEqual([]);
    },
  );

  it('prewarm-campaign bundles none of the rules that apply campaign events, which only the receiver runs', () => {
    const eventRules = Object.keys(bundleOf('prewarm-campaign').inputs).filter((input) =>
      /shared\/(ports\/campaign-event-order|aws\/dynamo-db-campaign-store)\.ts$/.test(input),
    );
    expect(eventRules).toEqual([]);
  });

  it('gives every own budget a function that exists', () => {
    expect(Object.keys(OWN_BUDGETS).filter((name) => !functionNames().includes(name))).toEqual([]);
  });
});
