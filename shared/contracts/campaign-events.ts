import * as z from 'zod';
import type { CampaignUplift } from '../core/forecast/types';
import { autoScalingGroupNameSchema } from './group-name';
import { type ConfigProblem, InvalidConfigError, parseConfig } from './parse-config';

/**
 * The campaign events users send to Prescale's bus (docs/campaigns.md), their validation, the
 * pre-warm schedule's input (their JSON Schema: campaign-events-json-schema.ts).
 */

/** The `source` of every campaign event (the bus's `PrescaleEventBus.SOURCE`). */
export const CAMPAIGN_EVENT_SOURCE = 'prescale';

/** The three `detail-type`s, by what they do. */
export const CAMPAIGN_DETAIL_TYPES = {
  scheduled: 'Campaign Scheduled',
  updated: 'Campaign Updated',
  cancelled: 'Campaign Cancelled',
} as const;

export type CampaignEventType = keyof typeof CAMPAIGN_DETAIL_TYPES;

/** Most groups one campaign may name or match by tag. */
export const MAX_CAMPAIGN_GROUPS = 40;
/** Longest campaign window. */
export const MAX_CAMPAIGN_DURATION_DAYS = 14;

/**
 * Environment variables of the campaign Lambdas that `shared/contracts/env.ts` does not name yet
 * (the scheduler group, role and pre-warm function ARN are in `ENV`).
 */
export const CAMPAIGN_ENV = {
  /** The campaign dead-letter queue's URL: rejected events are sent here with their reason. */
  deadLetterQueueUrl: 'PRESCALE_CAMPAIGN_DLQ_URL',
  /** The same queue's ARN: the pre-warm schedules' dead-letter target. */
  deadLetterQueueArn: 'PRESCALE_CAMPAIGN_DLQ_ARN',
} as const;

const TIME_MESSAGE =
  'expected an ISO 8601 date-time of a real day, with seconds and an offset ±hh:mm or Z, e.g. 2026-11-27T08:00:00+01:00 (a time without offset is ambiguous)';

const offsetTime = z.iso.datetime({ offset: true, error: TIME_MESSAGE });

const campaignId = z
  .string({ error: 'expected a campaign id' })
  .regex(
    /^[A-Za-z0-9][A-Za-z0-9_.-]{0,47}$/,
    'expected a campaign id of 1–48 letters, digits, ".", "_" or "-", starting with a letter or digit',
  )
  .describe('Your id for the campaign; the same id in Updated and Cancelled events.');

const groupsSchema = z
  .strictObject({
    names: z
      // Any name Auto Scaling takes, as a tag enrols it: a campaign's names grant nothing in IAM.
      .array(autoScalingGroupNameSchema)
      .max(MAX_CAMPAIGN_GROUPS)
      .optional()
      .describe('Auto Scaling group names; each must be enrolled in Prescale.'),
    tag: z
      .strictObject({ key: z.string().min(1).max(128), value: z.string().max(256) })
      .optional()
      .describe(
        'Every group with this tag, resolved when the event arrives; each must be enrolled in Prescale (a tag that also matches a group that is not rejects the event).',
      ),
  })
  .refine((g) => (g.names?.length ?? 0) > 0 || g.tag !== undefined, {
    message: 'expected at least one group name or a tag',
  })
  .meta({
    description: 'Which groups the campaign affects: names, a tag, or both.',
    // The refine above, for JSON Schema readers (zod cannot export a refinement).
    anyOf: [{ required: ['tag'] }, { required: ['names'], properties: { names: { minItems: 1 } } }],
  });

/**
 * The campaign item stores `expectedLoad` as DynamoDB numbers, and DynamoDB refuses a smaller
 * positive one: "Positive range: 1E-130 to 9.9999999999999999999999999999999999999E+125"
 * (DynamoDB Developer Guide, Supported data types, Number). Refused here, on the field, rather
 * than as a ValidationException from PutItem.
 */
const DYNAMODB_SMALLEST_POSITIVE = 1e-130;
const storableError = {
  error: 'expected a positive number of at least 1e-130 (DynamoDB stores no smaller one)',
};

/**
 * The smallest multiplier: 1/100, as the largest is 100. The load a past campaign window brought
 * is read back divided by its factor (`removeCampaignUplift`), so a tiny one turns what did not
 * fall with the campaign (health checks, a trickle of requests) into days of inflated forecast:
 * at 10⁻⁴, twenty requests read back as two hundred thousand.
 */
const SMALLEST_MULTIPLIER = 0.01;

const expectedLoadSchema = z
  .discriminatedUnion(
    'kind',
    [
      z.strictObject({
        kind: z.literal('multiplier'),
        factor: z
          .number()
          .gte(SMALLEST_MULTIPLIER, {
            error: `expected a multiplier of at least ${SMALLEST_MULTIPLIER} (the load a past campaign brought is read back divided by it, so a smaller one would inflate the days after it)`,
          })
          .max(100)
          .describe('Load inside the window is the forecast × factor.'),
      }),
      z.strictObject({
        kind: z.literal('added-load'),
        load: z
          .number()
          .gte(DYNAMODB_SMALLEST_POSITIVE, storableError)
          .max(1e12)
          .describe("Load added to the forecast, in the group's metric unit (as targetLoadPerInstance)."),
      }),
    ],
    { error: 'expected expectedLoad.kind "multiplier" or "added-load"' },
  )
  .describe('How much load to expect; leave out to use what past campaigns of the same kind showed.');

const campaignFields = {
  campaignId,
  kind: z
    .string({ error: 'expected a kind' })
    .regex(
      /^[a-z0-9][a-z0-9-]{0,63}$/,
      'expected a kind of 1–64 lower-case letters, digits or "-", e.g. spring-sale',
    )
    .describe('What sort of event this is; Prescale learns the uplift per kind.'),
  groups: groupsSchema,
  start: offsetTime.describe('Window start, ISO 8601 with an offset or Z.'),
  end: offsetTime.describe('Window end (exclusive), ISO 8601 with an offset or Z.'),
  expectedLoad: expectedLoadSchema.optional(),
  rampUpSeconds: z
    .number()
    .int()
    .min(0)
    .max(86_400)
    .optional()
    .describe('Linear ramp from no uplift at start to full uplift. Default 0.'),
  extraInstances: z
    .number()
    .int()
    .min(1)
    .max(1000)
    .optional()
    .describe(
      'Instances to add to each group for the window only (capacity units in a group whose mixed instances policy sets weights); released at the end.',
    ),
};

type CampaignFields = {
  start: string;
  end: string;
  rampUpSeconds?: number | undefined;
};

function checkWindow(detail: CampaignFields, ctx: z.RefinementCtx): void {
  // Refinements run after field errors too; a bad time is reported once, by its own field.
  if (!offsetTime.safeParse(detail.start).success || !offsetTime.safeParse(detail.end).success) return;
  const startMs = Date.parse(detail.start);
  const endMs = Date.parse(detail.end);
  if (!(endMs > startMs)) {
    ctx.addIssue({ code: 'custom', path: ['end'], message: `expected end after start (${detail.start})` });
    return;
  }
  const maxMs = MAX_CAMPAIGN_DURATION_DAYS * 86_400_000;
  if (endMs - startMs > maxMs) {
    ctx.addIssue({
      code: 'custom',
      path: ['end'],
      message: `expected a window of at most ${MAX_CAMPAIGN_DURATION_DAYS} days from start (${detail.start})`,
    });
  }
  const rampMs = (detail.rampUpSeconds ?? 0) * 1000;
  if (rampMs > endMs - startMs) {
    ctx.addIssue({
      code: 'custom',
      path: ['rampUpSeconds'],
      message: `expected a ramp no longer than the window (${(endMs - startMs) / 1000} s)`,
    });
  }
}

/**
 * The highest campaign version: an event is applied only when its version is higher than the
 * stored one, so a stored version no sender could exceed (a `Campaign Updated` of
 * 9007199254740991) would make every later update stale.
 */
export const MAX_CAMPAIGN_VERSION = 2 ** 31 - 1;
const versionMax = {
  error: `expected a version of at most ${MAX_CAMPAIGN_VERSION} (2^31 − 1), so that a later update can still send a higher one`,
} as const;

/** `detail` of `Campaign Scheduled`: a new campaign. */
export const campaignScheduledSchema = z
  .strictObject({
    ...campaignFields,
    version: z
      .number()
      .int()
      .min(1)
      .max(MAX_CAMPAIGN_VERSION, versionMax)
      .optional()
      .describe('Revision of the campaign; 1 when left out. Updated events must send a higher one.'),
  })
  .superRefine(checkWindow)
  .describe('A new campaign.');

/** `detail` of `Campaign Updated`: the whole campaign again, with a higher version. */
export const campaignUpdatedSchema = z
  .strictObject({
    ...campaignFields,
    version: z
      .number({ error: 'expected a version (a whole number ≥ 2, higher than the last one sent)' })
      .int()
      .min(2)
      .max(MAX_CAMPAIGN_VERSION, versionMax)
      .describe('Revision of the campaign, higher than the stored one; older or equal ones are ignored.'),
  })
  .superRefine(checkWindow)
  .describe('The whole campaign again, replacing the stored one.');

/** `detail` of `Campaign Cancelled`. */
export const campaignCancelledSchema = z
  .strictObject({
    campaignId,
    version: z
      .number()
      .int()
      .min(1)
      .max(MAX_CAMPAIGN_VERSION, versionMax)
      .optional()
      .describe('When given, a cancel older than the stored version is ignored.'),
    reason: z.string().max(256).optional().describe('Free text, kept with the campaign.'),
  })
  .describe('Cancels a campaign: its schedules are removed and any pre-warm released.');

export type CampaignScheduledDetail = z.output<typeof campaignScheduledSchema>;
export type CampaignUpdatedDetail = z.output<typeof campaignUpdatedSchema>;
export type CampaignCancelledDetail = z.output<typeof campaignCancelledSchema>;

/**
 * Why a Scheduled/Updated event whose window ends at `endMs` is refused at `nowMs` (a window
 * entirely in the past), or undefined. The receiver and the CLI give this same reason.
 */
export function campaignEndedReason(endMs: number, nowMs: number): string | undefined {
  if (endMs > nowMs) return undefined;
  return `detail.end: the campaign ended at ${new Date(endMs).toISOString()}, before it arrived at ${new Date(nowMs).toISOString()}`;
}

/** A validated campaign event. `eventId` is EventBridge's `id`, the same on every redelivery. */
export type CampaignEvent =
  | { readonly type: 'scheduled'; readonly eventId: string; readonly detail: CampaignScheduledDetail }
  | { readonly type: 'updated'; readonly eventId: string; readonly detail: CampaignUpdatedDetail }
  | { readonly type: 'cancelled'; readonly eventId: string; readonly detail: CampaignCancelledDetail };

/** Validation outcome: the event, or every problem with where it is, what came and what was expected. */
export type CampaignEventValidation =
  | { readonly kind: 'valid'; readonly event: CampaignEvent }
  | { readonly kind: 'invalid'; readonly reason: string; readonly problems: readonly ConfigProblem[] };

const envelopeSchema = z.object(
  {
    id: z.string({ error: 'expected the EventBridge event id' }).min(1),
    source: z.literal(CAMPAIGN_EVENT_SOURCE, { error: `expected source "${CAMPAIGN_EVENT_SOURCE}"` }),
    'detail-type': z.enum(Object.values(CAMPAIGN_DETAIL_TYPES) as [string, ...string[]], {
      error: `expected detail-type ${Object.values(CAMPAIGN_DETAIL_TYPES)
        .map((t) => `"${t}"`)
        .join(', ')}`,
    }),
    detail: z.custom<Record<string, unknown>>(
      (v) => typeof v === 'object' && v !== null && !Array.isArray(v),
      { error: 'expected a detail object' },
    ),
  },
  { error: 'expected an EventBridge event object' },
);

/** Every problem of `input` against `schema`, formatted like configuration problems, paths under `prefix`. */
function problemsOf(schema: z.ZodType, input: unknown, prefix: string): ConfigProblem[] {
  try {
    parseConfig(schema, input, 'campaign event');
    return [];
  } catch (error) {
    if (!(error instanceof InvalidConfigError)) throw error;
    return error.problems.map((p) => ({
      ...p,
      path: prefix === '' ? p.path : p.path === '(root)' ? prefix : `${prefix}.${p.path}`,
    })) satisfies ConfigProblem[];
  }
}

function invalid(problems: readonly ConfigProblem[]): CampaignEventValidation {
  return {
    kind: 'invalid',
    reason: problems.map((p) => `${p.path}: ${p.expected}; received ${p.received}`).join('; '),
    problems,
  };
}

/** The `detail` schema of each event type. */
export const CAMPAIGN_DETAIL_SCHEMAS = {
  scheduled: campaignScheduledSchema,
  updated: campaignUpdatedSchema,
  cancelled: campaignCancelledSchema,
} as const;

/**
 * Validates an EventBridge event as a campaign event: the envelope (`id`, `source`,
 * `detail-type`) and every field of `detail`, with cross-field rules (end after start, at most
 * 14 days, ramp within the window). Never throws for bad input: an invalid event is a value
 * whose `reason` lists every problem as `path: expected; received value`.
 */
export function validateCampaignEvent(raw: unknown): CampaignEventValidation {
  const envelope = envelopeSchema.safeParse(raw);
  if (!envelope.success) {
    return invalid(problemsOf(envelopeSchema, raw, ''));
  }
  const detailType = envelope.data['detail-type'];
  const type = (Object.keys(CAMPAIGN_DETAIL_TYPES) as CampaignEventType[]).find(
    (k) => CAMPAIGN_DETAIL_TYPES[k] === detailType,
  ) as CampaignEventType;
  const schema: z.ZodType = CAMPAIGN_DETAIL_SCHEMAS[type];
  const parsed = schema.safeParse(envelope.data.detail);
  if (!parsed.success) return invalid(problemsOf(schema, envelope.data.detail, 'detail'));
  return {
    kind: 'valid',
    event: { type, eventId: envelope.data.id, detail: parsed.data } as CampaignEvent,
  };
}

/**
 * What the receiving Lambda accepts: anything. Validation happens in `validateCampaignEvent`, so
 * an invalid event becomes a dead-letter message with its reason instead of a failed invocation.
 */
export const campaignDeliverySchema = z.unknown();

/** The input each pre-warm schedule sends to the pre-warm Lambda. */
export const campaignActionInputSchema = z.strictObject({
  campaignId,
  action: z.enum(['prewarm', 'release']),
});

export type CampaignActionInput = z.output<typeof campaignActionInputSchema>;

/** The expected load of a detail in the engine's terms. */
export function campaignUplift(
  detail: CampaignScheduledDetail | CampaignUpdatedDetail,
): CampaignUplift | undefined {
  const load = detail.expectedLoad;
  if (!load) return undefined;
  return load.kind === 'multiplier'
    ? { kind: 'multiplier', factor: load.factor }
    : { kind: 'added-load', load: load.load };
}
