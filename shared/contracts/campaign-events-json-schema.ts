import * as z from 'zod';
import {
  CAMPAIGN_DETAIL_SCHEMAS,
  CAMPAIGN_DETAIL_TYPES,
  CAMPAIGN_EVENT_SOURCE,
  type CampaignEventType,
} from './campaign-events';

// The JSON Schema users and the EventBridge schema registry see, generated from the zod schemas
// the receiver validates with, so the two cannot drift.

function envelopeFor<T extends CampaignEventType>(type: T) {
  return z
    .object({
      source: z.literal(CAMPAIGN_EVENT_SOURCE),
      'detail-type': z.literal(CAMPAIGN_DETAIL_TYPES[type]),
      detail: CAMPAIGN_DETAIL_SCHEMAS[type],
    })
    .describe(`Prescale "${CAMPAIGN_DETAIL_TYPES[type]}" event, as EventBridge delivers it.`);
}

/**
 * JSON Schema (draft-04, the dialect EventBridge's schema registry accepts as `JSONSchemaDraft4`)
 * of one event type, generated from the zod schema. Shapes only: cross-field rules (end after
 * start, window length, ramp) are checked by Prescale when the event arrives.
 */
export function campaignEventJsonSchema(type: CampaignEventType): Record<string, unknown> {
  return z.toJSONSchema(envelopeFor(type), { target: 'draft-04', io: 'input', unrepresentable: 'any' });
}

/** All three event types in one schema (docs/campaign-events.schema.json). */
export function campaignEventsJsonSchema(): Record<string, unknown> {
  const union = z
    .union([envelopeFor('scheduled'), envelopeFor('updated'), envelopeFor('cancelled')])
    .describe('Prescale campaign events on the Prescale event bus (source "prescale").');
  return {
    title: 'Prescale campaign events',
    ...z.toJSONSchema(union, { target: 'draft-04', io: 'input', unrepresentable: 'any' }),
  };
}
