import * as z from 'zod';
import { DEFAULT_DEPENDENCY_CONFIG, dependencyConfigSchema } from './dependency-config';
import { checkEnrolledNames } from './enrolled-name-checks';
import { GROUP_TAGS } from './env';
import { autoScalingGroupNameSchema, grantedGroupNameSchema } from './group-name';
import { checkGroupSettings } from './group-settings-checks';
import { groupOverrideSchema, groupSettingsSchema } from './group-settings-schema';
import { instanceWarmupSecondsSchema, refreshAlarmNamesSchema } from './refresh-preference-limits';

/**
 * Prescale's user-facing configuration: one schema, read by `cdk synth` (from `cdk.json` context
 * `prescale` or a JSON file given with `-c configFile=...`) and passed to the Lambdas as JSON.
 * Every number carries its unit in its name. Defaults are documented in docs/configuration.md.
 */

/**
 * Tag keys Prescale gives another meaning on a group: its own ownership tag (which it writes, so
 * enrolling by it would make a group enrolled because Prescale once managed it, and its IAM
 * conditions would grant on the tag it writes) and the per-group settings it reads. The default
 * enrolment key `prescale:enabled` is the one meant for enrolment.
 */
const RESERVED_TAG_KEYS: ReadonlySet<string> = new Set(
  Object.values(GROUP_TAGS).filter((key) => key !== GROUP_TAGS.enabled),
);

const tag = z.object({
  key: z
    .string()
    .min(1)
    .max(128)
    .refine((key) => !RESERVED_TAG_KEYS.has(key), {
      error: (issue) =>
        `expected an enrolment tag key of your own (for example ${GROUP_TAGS.enabled}), not ${String(issue.input)}: ${
          issue.input === GROUP_TAGS.deployment
            ? 'Prescale writes it on the groups it manages, so enrolment would follow its own tags'
            : 'Prescale reads it as a per-group setting'
        }`,
    }),
  value: z.string().max(256),
});

/**
 * Longest wait for a low-load window, config or request: a rolling update's execution waits in
 * Step Functions, whose history and one-year duration bound how long and how often it may look.
 */
export const MAX_WAIT_HOURS = 168;

export const rollingUpdateSchema = z.object({
  minHealthyPercentage: z.number().int().min(0).max(100).default(90),
  maxHealthyPercentage: z.number().int().min(100).max(200).default(110),
  /** The refresh's `InstanceWarmup`, 0–86400 s (`MAX_INSTANCE_WARMUP_SECONDS`). */
  instanceWarmupSeconds: instanceWarmupSecondsSchema.default(300),
  /**
   * A refresh's `BakeTime`: seconds it waits, `Baking`, after its last replacement before it
   * counts as complete; the workflow watches alarms and rolls back during it. 0–172800 (Auto Scaling's range).
   */
  bakeTimeSeconds: z.number().int().min(0).max(172_800).default(0),
  pollIntervalSeconds: z.number().int().min(10).max(3600).default(60),
  /** How long to wait for a low-load window before ending as Deferred. */
  maxWaitHours: z.number().min(0).max(MAX_WAIT_HOURS).default(24),
  alarmNames: refreshAlarmNamesSchema.default([]),
  autoStartOnInstanceTypeChange: z.boolean().default(false),
  autoStartOnScheduledEvents: z.boolean().default(false),
  /**
   * A refresh's `ScaleInProtectedInstances`: `Wait` (Auto Scaling's default) waits an hour for their
   * protection to go, then fails, so a group with protected instances is refused at validation.
   */
  scaleInProtectedInstances: z.enum(['Refresh', 'Ignore', 'Wait']).default('Wait'),
  /** Most groups one update plan updates at once (its Map's MaxConcurrency; docs/rolling-updates.md). */
  planMaxConcurrentUpdates: z.number().int().min(1).max(10).default(2),
});

/**
 * What Prescale may launch when it points an enrolled group at a launch template version (a
 * rolling update's desired configuration or revert, or `pricing.apply`): Auto Scaling checks that
 * the caller may `ec2:RunInstances` from that template and `iam:PassRole` its instance profile's
 * role. Templates carrying the enrolment tag (`groups.tag`) are always allowed; the ids add more,
 * which groups enrolled only by name need. Roles are passable only by ARN (IAM does not authorize
 * PassRole by a role's tags): those listed, and those under the path prefix.
 */
export const launchPermissionsSchema = z.object({
  /** Launch template ids (`lt-…`) of enrolled groups, besides templates carrying the enrolment tag. */
  launchTemplateIds: z
    .array(
      z.string().regex(/^lt-[0-9a-f]{8,17}$/, 'expected a launch template id such as lt-0abc1234def567890'),
    )
    .max(20)
    .default([]),
  /**
   * Roles that enrolled groups' launch templates give their instances (through an instance
   * profile), by name with its path if any (`app/web-instance`). Empty by default: Prescale may
   * pass no role that is neither listed nor under `instanceRolePathPrefix`.
   */
  instanceRoleNames: z
    .array(
      z
        .string()
        .max(512)
        .regex(
          /^(?:[\w+=,.@-]+\/)*[\w+=,.@-]{1,64}$/,
          'expected an IAM role name, optionally with its path (path/name), without arn: or leading /',
        ),
    )
    .max(20)
    .default([]),
  /**
   * An IAM path (`prescale-instances`, `app/web`: without leading or trailing `/`) whose roles
   * Prescale may pass, any number of them (`role/<prefix>/*`), so groups enrolled by tag need not
   * list theirs. Absent by default: no role is passable by path.
   */
  instanceRolePathPrefix: z
    .string()
    .max(510)
    .regex(
      /^[\w+=,.@-]+(?:\/[\w+=,.@-]+)*$/,
      'expected an IAM path without leading or trailing / (prescale-instances, app/web)',
    )
    .optional(),
});

/**
 * An IAM principal as `aws:PrincipalArn` names it: a role (a role session is named by its role),
 * a user, or an account's root; `*` and `?` match as in `ArnLike`.
 */
const PRINCIPAL_ARN = /^arn:aws[a-z-]*:iam::\d{12}:(?:root|(?:role|user)\/[\w+=,.@/*?-]+)$/;

/**
 * Who may send events to Prescale's bus (docs/SECURITY.md): anything sent there may start a
 * rolling update of an enrolled group or raise its bounds through a campaign. Absent: the bus has
 * no policy, and every principal of the account allowed `events:PutEvents` may send.
 */
export const eventSendersSchema = z
  .array(
    z
      .string()
      .max(2048)
      .regex(
        PRINCIPAL_ARN,
        'expected an IAM role, user or root ARN as aws:PrincipalArn names it (arn:aws:iam::123456789012:role/path/name; a role session is named by its role ARN)',
      ),
  )
  .min(1, 'expected at least one sender: an empty list would refuse every event')
  .max(20);

/** An EC2 instance type as the Pricing and EC2 APIs name it: family, a dot, size (`m7g.large`, `u-6tb1.metal`). */
const INSTANCE_TYPE = /^[a-z][a-z0-9-]*\.[a-z0-9-]+$/;
/** An EC2 instance family: the part of a type before the dot (`m7g`, `c7i-flex`). */
const INSTANCE_FAMILY = /^[a-z][a-z0-9-]*$/;
/** A family or a family prefix (`m7*`), as `familyMatches` reads allowed and excluded families. */
const FAMILY_PATTERN = /^[a-z][a-z0-9-]*\*?$|^\*$/;

export const pricingSchema = z
  .object({
    /** Apply the cheapest selection (true) or only recommend it (false). */
    apply: z.boolean().default(false),
    operatingSystem: z.enum(['Linux', 'Windows', 'RHEL', 'SUSE']).default('Linux'),
    capacityUnit: z.enum(['vcpu', 'weights']).default('vcpu'),
    /** Capacity units per instance type from the user's own benchmarks, when capacityUnit is weights. */
    weights: z.record(z.string(), z.number().positive()).default({}),
    minVcpu: z.number().int().min(1).default(2),
    minMemoryGiB: z.number().min(0).default(4),
    allowedFamilies: z.array(z.string().min(1)).default([]),
    excludedFamilies: z.array(z.string().min(1)).default([]),
    allowBurstable: z.boolean().default(false),
    currentGenerationOnly: z.boolean().default(true),
    diversifyAcross: z.number().int().min(1).max(20).default(3),
    includeSpot: z.boolean().default(false),
    /** Discount rates by family from Savings Plans or Reserved Instances, 0–1 (0.3 = 30 % off). */
    discountRatesByFamily: z.record(z.string(), z.number().min(0).lt(1)).default({}),
    refreshHours: z.number().min(1).max(168).default(12),
    /**
     * The least saving, as a share of the group's cost at its forecast peak, worth applying: a
     * single-type change replaces every instance, and near-equal prices would flip types daily.
     */
    minSavingRatio: z.number().min(0).lt(1).default(0.05),
    /** The least saving in USD per month (730 h) worth applying, beside the ratio. */
    minMonthlySavingUsd: z.number().min(0).default(0),
  })
  .superRefine(checkPricingUnits);

/**
 * Weights and discount rates that would be silently unused: weights beside `vcpu` capacity (never
 * read), `weights` capacity without them (every type excluded as having no weight), a weight for
 * a key no type has (`m7g` for `m7g.large`), a discount for a key no family has (`m7g.large`), an
 * allowed or excluded family no family has (`m7g.large`: an allow-list of it excludes every type).
 */
function checkPricingUnits(
  pricing: {
    capacityUnit: string;
    weights: Record<string, number>;
    discountRatesByFamily: Record<string, number>;
    allowedFamilies: readonly string[];
    excludedFamilies: readonly string[];
  },
  ctx: z.RefinementCtx,
): void {
  const weighted = Object.keys(pricing.weights);
  if (pricing.capacityUnit !== 'weights' && weighted.length > 0) {
    ctx.addIssue({
      code: 'custom',
      path: ['weights'],
      message: `expected capacityUnit "weights" beside weights (with capacityUnit "${pricing.capacityUnit}" they are never read), or no weights`,
    });
  }
  if (pricing.capacityUnit === 'weights' && weighted.length === 0) {
    ctx.addIssue({
      code: 'custom',
      path: ['weights'],
      message:
        'expected weights { "<instance type>": capacity units } when capacityUnit is "weights": a type without a weight is excluded, so none would be chosen',
    });
  }
  for (const key of weighted.filter((k) => !INSTANCE_TYPE.test(k)))
    ctx.addIssue({
      code: 'custom',
      path: ['weights', key],
      message: `expected an instance type such as "m7g.large" (family.size) as the key, got "${key}": no type is named so, and its weight would never be read`,
    });
  for (const key of Object.keys(pricing.discountRatesByFamily).filter((k) => !INSTANCE_FAMILY.test(k)))
    ctx.addIssue({
      code: 'custom',
      path: ['discountRatesByFamily', key],
      message: `expected an instance family such as "m7g" (no size: the rate is for every size) as the key, got "${key}": no family is named so, and its rate would never apply`,
    });
  for (const field of ['allowedFamilies', 'excludedFamilies'] as const)
    pricing[field].forEach((family, i) => {
      if (!FAMILY_PATTERN.test(family))
        ctx.addIssue({
          code: 'custom',
          path: [field, i],
          message: `expected an instance family such as "m7g" or a prefix such as "m7*", got "${family}": no family is named so`,
        });
    });
}

/**
 * Fail-static look-ahead: the next `hours` of the capacity plan kept as scheduled actions on each
 * group (names `prescale-…`), so the pre-warm goes on while Prescale is down (docs/OPERATIONS.md).
 */
export const lookAheadSchema = z.object({
  /** Hours of plan written ahead; 0 turns the look-ahead off. At most the forecast horizon. */
  hours: z.number().int().min(0).max(48).default(24),
  /** Hours between scheduled actions (hourly or coarser); coarsened further when a group's quota is short. */
  stepHours: z.number().int().min(1).max(24).default(1),
});

/**
 * A Timestream database or table name as Timestream creates them (CreateDatabase, CreateTable:
 * "Length Constraints: Minimum length of 3. Maximum length of 256. Pattern: [a-zA-Z0-9_.-]+"): any
 * other is a typo no table has, and could put IAM wildcards into the granted table ARN.
 */
const timestreamResourceName = z
  .string()
  .regex(
    /^[a-zA-Z0-9_.-]{3,256}$/,
    'expected 3 to 256 characters of a-z, A-Z, 0-9, _, . and - (Timestream names)',
  );

/**
 * A column name Timestream can hold, not a system one: "cannot start with ts_ or measure_value and
 * they cannot contain the colon (:) character", nor be a column every table has (`measure_name`,
 * `time`); at most `maxBytes` (Quotas: 60 for a dimension name, 256 for a measure name).
 */
function timestreamColumnName(maxBytes: number, what: string) {
  return z
    .string()
    .min(1)
    .refine(
      (name) => new TextEncoder().encode(name).length <= maxBytes,
      `expected at most ${maxBytes} bytes (Timestream ${what} names)`,
    )
    .refine(
      (name) =>
        !['measure_name', 'time'].includes(name) && !/^(ts_|measure_value)/.test(name) && !name.includes(':'),
      `expected a ${what} name, not measure_name, time, measure_value…, ts_… or one with ":" (reserved by Timestream)`,
    );
}

/** A dimension of the table: the one holding the group's name. */
const timestreamDimensionName = timestreamColumnName(60, 'dimension');

/** A measure of a multi-measure record, as a query reads it: a column of the table. */
const timestreamMeasureColumn = timestreamColumnName(256, 'measure');

/** Deploy-time choices for scheduled campaigns (docs/campaigns.md). */
export const campaignsSchema = z.object({
  /**
   * Register the campaign events' JSON Schemas in an EventBridge schema registry (a console and
   * code-binding convenience the functions never read). false leaves it out, for the Regions
   * without EventBridge Schemas, where CloudFormation would refuse the whole stack.
   */
  schemaRegistry: z.boolean().default(true),
  /**
   * Campaign receiver runs at a time, reserved from the account's Lambda concurrency, so a flood
   * of events on the bus cannot crowd out the loop's Auto Scaling calls. Unset reserves none:
   * Lambda lets an account reserve only what leaves 100 unreserved, and a new account's quota may
   * be 10, where any reservation would refuse the whole stack.
   */
  receiverReservedConcurrency: z
    .number({ error: 'expected a whole number of concurrent runs, 1 to 10' })
    .int({ error: 'expected a whole number of concurrent runs, 1 to 10' })
    .min(1, { error: 'expected a whole number of concurrent runs, 1 to 10' })
    .max(10, { error: 'expected a whole number of concurrent runs, 1 to 10' })
    .optional(),
});

const userConfigFields = z.object({
  /** Groups are enrolled by name, by tag, or both. */
  groups: z
    .object({
      names: z.array(grantedGroupNameSchema).default([]),
      tag: tag.optional(),
    })
    .refine((g) => g.names.length > 0 || g.tag !== undefined, {
      message: 'expected at least one group name or an enrolment tag (for example prescale:enabled=true)',
    }),
  mode: z.enum(['forecast-only', 'forecast-and-scale']).default('forecast-only'),
  /** How often the scaling loop runs. */
  scheduleRateMinutes: z.number().int().min(1).max(60).default(5),
  historySource: z.enum(['cloudwatch', 'timestream']).default('cloudwatch'),
  timestream: z
    .object({
      database: timestreamResourceName,
      table: timestreamResourceName,
      measureName: z.string().min(1).max(256),
      groupDimension: timestreamDimensionName.default('AutoScalingGroupName'),
      /**
       * For a table of multi-measure records: the measure (a column, DOUBLE or BIGINT) holding the
       * load, in records whose `measure_name` is `measureName`. Absent: single-measure records,
       * read from `measure_value::double`.
       */
      measureColumn: timestreamMeasureColumn.optional(),
    })
    .optional(),
  defaults: groupSettingsSchema.default(groupSettingsSchema.parse({})),
  groupOverrides: z.record(autoScalingGroupNameSchema, groupOverrideSchema).default({}),
  /** Record what every mutation would do, and do none of them. */
  dryRun: z.boolean().default(false),
  rollingUpdate: rollingUpdateSchema.default(rollingUpdateSchema.parse({})),
  pricing: pricingSchema.default(pricingSchema.parse({})),
  launchPermissions: launchPermissionsSchema.default(launchPermissionsSchema.parse({})),
  notifications: z.object({ email: z.email().optional() }).default({}),
  /** Principals allowed to send events to Prescale's bus; absent, any of the account's may. */
  eventSenders: eventSendersSchema.optional(),
  /** Which enrolled groups call which (docs/dependencies-graph.md). */
  dependencies: dependencyConfigSchema.default(DEFAULT_DEPENDENCY_CONFIG),
  /**
   * Where per-group forecast and plan values go: `logs` (structured log lines, charted with Logs
   * Insights; no custom-metric cost) or `metrics` (six CloudWatch custom metrics per group,
   * about 1.80 USD per group per month). Fleet-wide counts are always metrics.
   */
  groupMetrics: z.enum(['logs', 'metrics']).default('logs'),
  /** Days to keep run records in the state table. */
  recordRetentionDays: z.number().int().min(1).max(400).default(30),
  lookAhead: lookAheadSchema.default(lookAheadSchema.parse({})),
  campaigns: campaignsSchema.default(campaignsSchema.parse({})),
});

export const userConfigSchema = userConfigFields.superRefine((config, ctx) => {
  if (config.historySource === 'cloudwatch' && config.timestream !== undefined) {
    ctx.addIssue({
      code: 'custom',
      path: ['historySource'],
      message:
        'expected historySource "timestream" beside a timestream block (its measure is read only then), or no timestream block for CloudWatch history',
    });
  }
  checkEnrolledNames(config, ctx);
  if (config.historySource === 'timestream' && config.timestream === undefined) {
    ctx.addIssue({
      code: 'custom',
      path: ['timestream'],
      message:
        'expected a timestream block { database, table, measureName } when historySource is timestream',
    });
  }
  // StartInstanceRefresh refuses a pair more than 100 points apart.
  // https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_RefreshPreferences.html
  const { minHealthyPercentage: minPct, maxHealthyPercentage: maxPct } = config.rollingUpdate;
  if (maxPct - minPct > 100) {
    ctx.addIssue({
      code: 'custom',
      path: ['rollingUpdate', 'maxHealthyPercentage'],
      message: `expected maxHealthyPercentage − minHealthyPercentage ≤ 100 (Auto Scaling's limit), got ${maxPct} − ${minPct} = ${maxPct - minPct}`,
    });
  }
  checkGroupSettings(config, ctx);
});

/** The configuration as the user writes it (defaults optional). */
export type UserConfigInput = z.input<typeof userConfigSchema>;
/** The validated configuration with every default filled in. */
export type UserConfig = z.output<typeof userConfigSchema>;
