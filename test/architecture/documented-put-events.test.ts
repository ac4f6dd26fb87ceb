import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { campaignCli } from '../../shared/cli/campaign';
import { validateCampaignEvent } from '../../shared/contracts/campaign-events';
import { rollingUpdateRequestSchema } from '../../shared/contracts/rolling-update';
import { updatePlanCancelSchema, updatePlanRequestSchema } from '../../shared/contracts/update-plan';
import { DeployedAccount } from '../../shared/simulation/aws-checks/deployed-account';
import { type PutEventsEntry, routePutEvents } from '../../shared/simulation/aws-checks/event-bus-routes';
import { REPO_ROOT } from '../helpers/source-imports';
import {
  DEPLOY_CONFIGURATIONS,
  DEPLOY_REGION,
  synthConfiguration,
} from '../infra/deploy-matrix/deploy-configurations';

const PAGES = [
  'README.md',
  ...readdirSync(path.join(REPO_ROOT, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .map((f) => `docs/${f}`),
];

/** The placeholders the pages write where the deployed bus's name goes. */
const BUS_PLACEHOLDERS = ['<bus name>', '<PrescaleEventBus name>'];

/**
 * Every PutEvents entry list a page shows: the `--entries '[…]'` of an `aws events put-events`
 * command, and each JSON code block that is a list of entries (a `file://` entries file).
 */
function documentedEntries(page: string): { readonly where: string; readonly entries: PutEventsEntry[] }[] {
  const text = readFileSync(path.join(REPO_ROOT, page), 'utf8');
  const inline = [...text.matchAll(/aws events put-events --entries '(\[[\s\S]*?\])'/g)].map(
    (m) => m[1] as string,
  );
  const blocks = [...text.matchAll(/^```json\n([\s\S]*?)^```/gm)]
    .map((m) => m[1] as string)
    .filter((block) => /"DetailType"/.test(block));
  return [...inline, ...blocks].map((json, i) => ({
    where: `${page} #${i + 1}`,
    entries: JSON.parse(json) as PutEventsEntry[],
  }));
}

/** When the examples are sent: before the documented campaign windows, so none is over yet. */
const SENT_AT_MS = Date.UTC(2026, 11, 5);

/**
 * The entries each `npm run -s campaign -- …` command of a page prints, built by the CLI's own
 * function as `npm run` runs it, with `busName` for the page's bus placeholder.
 * @throws Error when the command does not exit 0 (an invalid example prints no entries).
 */
function cliEntries(
  page: string,
  busName: string,
): { readonly where: string; readonly entries: PutEventsEntry[] }[] {
  const text = BUS_PLACEHOLDERS.reduce(
    (t, placeholder) => t.replaceAll(placeholder, busName),
    readFileSync(path.join(REPO_ROOT, page), 'utf8'),
  );
  return [...text.matchAll(/^npm run -s campaign -- ((?:[^\n]*\\\n)*[^\n]*?)(?: > \S+)?$/gm)].map((m, i) => {
    const argv = (m[1] as string).replace(/\\\n/g, ' ').trim().split(/\s+/);
    const result = campaignCli(argv, {}, () => SENT_AT_MS);
    if (result.exitCode !== 0) throw new Error(`${page} campaign command #${i + 1}: ${result.stderr}`);
    return {
      where: `${page} campaign command #${i + 1}`,
      entries: JSON.parse(result.stdout) as PutEventsEntry[],
    };
  });
}

/** The function each request's rule must reach, and how that function reads the detail. */
const RECEIVERS: Record<string, { handler: string; accepts: (event: Record<string, unknown>) => boolean }> = {
  'Rolling Update Requested': {
    handler: 'request-rolling-update',
    accepts: (e) => rollingUpdateRequestSchema.safeParse(e.detail).success,
  },
  'Rolling Update Plan Requested': {
    handler: 'request-update-plan',
    accepts: (e) => updatePlanRequestSchema.safeParse(e.detail).success,
  },
  'Rolling Update Plan Cancel Requested': {
    handler: 'cancel-update-plan',
    accepts: (e) => updatePlanCancelSchema.safeParse(e.detail).success,
  },
  ...Object.fromEntries(
    ['Campaign Scheduled', 'Campaign Updated', 'Campaign Cancelled'].map((type) => [
      type,
      {
        handler: 'receive-campaign-event',
        accepts: (e: unknown) => validateCampaignEvent(e).kind === 'valid',
      },
    ]),
  ),
};

describe('the put-events examples of the docs, sent to the deployed stack', () => {
  const { template } = synthConfiguration(DEPLOY_CONFIGURATIONS[0] as (typeof DEPLOY_CONFIGURATIONS)[0], {
    validate: false,
  });
  const account = new DeployedAccount(template, { region: DEPLOY_REGION });
  // The name an operator reads from the stack's output.
  const outputs = (template as unknown as { Outputs?: Record<string, { Value: unknown }> }).Outputs ?? {};
  const busName = account.resolve<string>(outputs.EventBusName?.Value);
  const examples = [
    ...PAGES.flatMap(documentedEntries),
    ...PAGES.flatMap((page) => cliEntries(page, busName)),
  ];

  it('finds the examples of rolling updates, update plans and campaigns', () => {
    const types = new Set(examples.flatMap((e) => e.entries.map((entry) => entry.DetailType)));
    expect([...types].sort()).toEqual(
      expect.arrayContaining([
        'Campaign Scheduled',
        'Rolling Update Plan Requested',
        'Rolling Update Requested',
      ]),
    );
    expect(busName).toMatch(/^[\w.-]+$/);
    // docs/campaigns.md's `npm run -s campaign -- scheduled … > campaign.json`, as the CLI prints it.
    expect(examples.map((e) => e.where)).toContain('docs/campaigns.md campaign command #1');
  });

  it('restate in each Campaign Updated every field of the Scheduled example it updates', () => {
    // An update replaces the campaign whole: a field it leaves out goes back to its default (a ramp
    // to 0, no extra instances), so an example that omits one teaches a silent reset.
    const details = examples.flatMap(({ where, entries }) =>
      entries.map((e) => ({
        page: where.split(' ')[0],
        type: e.DetailType,
        detail: JSON.parse(e.Detail ?? '{}') as Record<string, unknown>,
      })),
    );
    const updates = details.filter((d) => d.type === 'Campaign Updated');
    expect(updates.length).toBeGreaterThan(0);
    const dropped = updates.flatMap((update) => {
      const scheduled = details.find(
        (d) =>
          d.type === 'Campaign Scheduled' &&
          d.page === update.page &&
          d.detail.campaignId === update.detail.campaignId,
      );
      if (!scheduled) return [`${update.page} ${update.detail.campaignId}: no Scheduled example to update`];
      return Object.keys(scheduled.detail)
        .filter((field) => !(field in update.detail))
        .map((field) => `${update.page} ${update.detail.campaignId}: Updated leaves out ${field}`);
    });
    expect(dropped).toEqual([]);
  });

  it('reach exactly the function the page documents, with a detail that function accepts', () => {
    const outcomes = examples.flatMap(({ where, entries }) => {
      const onBus = entries.map((e) => ({
        ...e,
        EventBusName: BUS_PLACEHOLDERS.includes(e.EventBusName ?? '') ? busName : e.EventBusName,
      }));
      return routePutEvents(account, onBus, { nowMs: SENT_AT_MS }).map((routed, i) => {
        const type = entries[i]?.DetailType ?? '';
        if (routed.kind === 'failed') return `${where} ${type}: PutEvents fails it (${routed.errorMessage})`;
        const reached = routed.deliveries.map((d) => d.handler ?? d.targetArn).join(', ') || 'nothing';
        const receiver = RECEIVERS[type];
        if (!receiver) return `${where} ${type}: reaches ${reached}; no receiver is documented`;
        const accepted = receiver.accepts(routed.event as unknown as Record<string, unknown>);
        return `${where} ${type}: reaches ${reached}${accepted ? '' : ', which refuses its detail'}`;
      });
    });
    const expected = examples.flatMap(({ where, entries }) =>
      entries.map((e) => `${where} ${e.DetailType}: reaches ${RECEIVERS[e.DetailType ?? '']?.handler}`),
    );
    expect(outcomes).toEqual(expected);
  });
});
