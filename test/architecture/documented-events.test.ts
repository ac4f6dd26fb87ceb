import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { z } from 'zod';
import {
  CAMPAIGN_DETAIL_TYPES,
  CAMPAIGN_EVENT_SOURCE,
  validateCampaignEvent,
} from '../../shared/contracts/campaign-events';
import { ROLLING_UPDATE_REQUESTED, rollingUpdateRequestSchema } from '../../shared/contracts/rolling-update';
import {
  ROLLING_UPDATE_PLAN_CANCEL_REQUESTED,
  ROLLING_UPDATE_PLAN_REQUESTED,
  updatePlanCancelSchema,
  updatePlanRequestSchema,
} from '../../shared/contracts/update-plan';
import { MAX_WAIT_HOURS } from '../../shared/contracts/user-config';

const ROOT = path.join(__dirname, '..', '..');
const PAGES = [
  'README.md',
  ...readdirSync(path.join(ROOT, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .map((f) => `docs/${f}`),
];

interface DocumentedEntry {
  readonly page: string;
  readonly Source: string;
  readonly DetailType: string;
  readonly Detail: string;
}

/**
 * Every put-events entry a page shows: inline (`--entries '[…]'`) or as a JSON block. These are
 * what a reader copies, so each must reach a rule and carry a detail the receiver takes.
 */
function documentedEntries(page: string): DocumentedEntry[] {
  const text = readFileSync(path.join(ROOT, page), 'utf8');
  const inline = [...text.matchAll(/--entries '(\[[\s\S]*?\])'/g)].map((m) => m[1] as string);
  const blocks = [...text.matchAll(/```json\n(\[[\s\S]*?\])\n```/g)]
    .map((m) => m[1] as string)
    .filter((json) => json.includes('"DetailType"'));
  return [...inline, ...blocks].flatMap((json) =>
    (JSON.parse(json) as Omit<DocumentedEntry, 'page'>[]).map((entry) => ({ ...entry, page })),
  );
}

/** The rules the stack creates (their `source` and `detail-type`) and what each target parses. */
const RULES: readonly {
  readonly source: string;
  readonly detailType: string;
  readonly detail?: z.ZodType;
}[] = [
  { ...ROLLING_UPDATE_REQUESTED, detail: rollingUpdateRequestSchema },
  { ...ROLLING_UPDATE_PLAN_REQUESTED, detail: updatePlanRequestSchema },
  { ...ROLLING_UPDATE_PLAN_CANCEL_REQUESTED, detail: updatePlanCancelSchema },
  ...Object.values(CAMPAIGN_DETAIL_TYPES).map((detailType) => ({
    source: CAMPAIGN_EVENT_SOURCE,
    detailType,
  })),
];

const entries = PAGES.flatMap(documentedEntries);
const NOW_MS = Date.now();

describe('the put-events entries the docs show', () => {
  it('are found (rolling updates, update plans and campaigns)', () => {
    const kinds = new Set(entries.map((e) => e.DetailType));
    expect(kinds).toEqual(
      new Set([
        ROLLING_UPDATE_REQUESTED.detailType,
        ROLLING_UPDATE_PLAN_REQUESTED.detailType,
        ...Object.values(CAMPAIGN_DETAIL_TYPES),
      ]),
    );
  });

  it.each(entries.map((e) => [`${e.page}: ${e.DetailType}`, e] as const))(
    '%s reaches a rule, with a detail its target takes today',
    (_, entry) => {
      const rule = RULES.find((r) => r.source === entry.Source && r.detailType === entry.DetailType);
      expect(rule).toBeDefined();
      const detail = JSON.parse(entry.Detail) as Record<string, unknown>;
      if (rule?.detail) {
        expect(rule.detail.safeParse(detail).error?.issues ?? []).toEqual([]);
        // A fixed deadline goes stale: past, the request defers at once; too far, it is refused.
        if (typeof detail.deadline === 'string') {
          const deadlineMs = Date.parse(detail.deadline);
          expect(deadlineMs).toBeGreaterThan(NOW_MS);
          expect(deadlineMs).toBeLessThanOrEqual(NOW_MS + MAX_WAIT_HOURS * 3_600_000);
        }
        return;
      }
      const validation = validateCampaignEvent({
        id: 'documented',
        source: entry.Source,
        'detail-type': entry.DetailType,
        detail,
      });
      expect(validation).toMatchObject({ kind: 'valid' });
    },
  );
});
