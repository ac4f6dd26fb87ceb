import { parseArgs } from 'node:util';
import {
  CAMPAIGN_DETAIL_TYPES,
  CAMPAIGN_EVENT_SOURCE,
  type CampaignEvent,
  type CampaignEventType,
  campaignEndedReason,
  validateCampaignEvent,
} from '../contracts/campaign-events';
import { campaignPutEventsEntry } from '../contracts/campaign-put-events-entry';
import { ENV } from '../contracts/env';

/** What one run printed and how it ended. */
export interface CampaignCliResult {
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
}

const USAGE = `Builds and validates a Prescale campaign event and prints the entries for
  aws events put-events --entries file://campaign.json

Usage:
  npm run -s campaign -- scheduled --id <id> --kind <kind> (--groups a,b | --tag key=value)
                      --start <iso> --end <iso> [--multiplier <f> | --added-load <load>]
                      [--ramp-up-seconds <s>] [--extra-instances <n>] [--version <n>] [--bus <name>]
  npm run -s campaign -- updated   ...the same, with --version <n> higher than the last one
  npm run -s campaign -- cancelled --id <id> [--version <n>] [--reason <text>] [--bus <name>]

Times need an offset or Z (2026-11-27T08:00:00+01:00). --bus defaults to $${ENV.eventBusName}.
`;

const OPTIONS = {
  id: { type: 'string' },
  kind: { type: 'string' },
  groups: { type: 'string' },
  tag: { type: 'string' },
  start: { type: 'string' },
  end: { type: 'string' },
  multiplier: { type: 'string' },
  'added-load': { type: 'string' },
  'ramp-up-seconds': { type: 'string' },
  'extra-instances': { type: 'string' },
  version: { type: 'string' },
  reason: { type: 'string' },
  bus: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** What `cancelled` takes beside --bus and --help; window and size options are a mistake there, not ignored. */
const CANCEL_OPTIONS = new Set(['id', 'version', 'reason']);

/** A decimal number as typed; anything else (`0x10`, empty, `1_000`) stays text so validation names it. */
function numberOrText(text: string | undefined): number | string | undefined {
  if (text === undefined) return undefined;
  return /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(text.trim()) ? Number(text) : text;
}

/** The options that make no sense together or for this command, as usage errors; none when fine. */
function optionProblems(type: CampaignEventType, v: Record<string, string | boolean | undefined>): string[] {
  const given = Object.keys(v).filter((k) => v[k] !== undefined && k !== 'bus' && k !== 'help');
  const problems: string[] = [];
  if (type === 'cancelled') {
    const extra = given.filter((k) => !CANCEL_OPTIONS.has(k));
    if (extra.length > 0) {
      problems.push(
        `cancelled takes --id, --version and --reason only; received ${extra.map((k) => `--${k}`).join(', ')}`,
      );
    }
    return problems;
  }
  if (v.reason !== undefined) {
    problems.push(`--reason is for cancelled only; ${type} events have no reason`);
  }
  if (v.multiplier !== undefined && v['added-load'] !== undefined) {
    problems.push(
      '--multiplier and --added-load exclude each other: an event has one expectedLoad; give one of them',
    );
  }
  const tag = v.tag as string | undefined;
  if (tag !== undefined && !/^[^=]+=/.test(tag)) {
    problems.push(`--tag expects key=value (e.g. team=shop); received "${tag}"`);
  }
  return problems;
}

function detailFrom(
  type: CampaignEventType,
  v: Record<string, string | boolean | undefined>,
): Record<string, unknown> {
  const text = (name: string) => v[name] as string | undefined;
  const defined = (entries: Record<string, unknown>) =>
    Object.fromEntries(Object.entries(entries).filter(([, value]) => value !== undefined));
  if (type === 'cancelled') {
    return defined({
      campaignId: text('id'),
      version: numberOrText(text('version')),
      reason: text('reason'),
    });
  }
  const tag = text('tag');
  const [tagKey, ...tagValue] = (tag ?? '').split('=');
  const groups = defined({
    names: text('groups')
      ?.split(',')
      .map((n) => n.trim())
      .filter(Boolean),
    tag: tag !== undefined ? { key: tagKey, value: tagValue.join('=') } : undefined,
  });
  const multiplier = text('multiplier');
  const addedLoad = text('added-load');
  return defined({
    campaignId: text('id'),
    version: numberOrText(text('version')),
    kind: text('kind'),
    groups,
    start: text('start'),
    end: text('end'),
    expectedLoad:
      multiplier !== undefined
        ? { kind: 'multiplier', factor: numberOrText(multiplier) }
        : addedLoad !== undefined
          ? { kind: 'added-load', load: numberOrText(addedLoad) }
          : undefined,
    rampUpSeconds: numberOrText(text('ramp-up-seconds')),
    extraInstances: numberOrText(text('extra-instances')),
  });
}

/** The receiver refuses a window that is over when it arrives: say so now, not in the dead-letter queue. */
function endedProblems(event: CampaignEvent, nowMs: number): string[] {
  if (event.type === 'cancelled') return [];
  const ended = campaignEndedReason(Date.parse(event.detail.end), nowMs);
  return ended === undefined ? [] : [ended];
}

/**
 * The `npm run campaign` command: parses `argv` (without node and the script), builds the event's
 * detail, validates it with the same rules as the receiving Lambda (a window over by `nowMs`
 * included), and returns the put-events entries as JSON (exit 0), or every problem (exit 1), or
 * the usage (exit 2, also for options that conflict or do not belong to the command; `--help`:
 * stdout, exit 0).
 */
export function campaignCli(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
  nowMs: () => number = Date.now,
): CampaignCliResult {
  let parsed: ReturnType<typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true }>>;
  try {
    parsed = parseArgs({ args: [...argv], options: OPTIONS, allowPositionals: true, strict: true });
  } catch (error) {
    return { exitCode: 2, stdout: '', stderr: `${(error as Error).message}\n\n${USAGE}` };
  }
  const [command] = parsed.positionals;
  // Asked for: the usage on stdout, success. Not asked for (no command): a usage error.
  if (parsed.values.help) return { exitCode: 0, stdout: `${USAGE}\n`, stderr: '' };
  if (command === undefined) return { exitCode: 2, stdout: '', stderr: USAGE };
  if (!(command in CAMPAIGN_DETAIL_TYPES) || parsed.positionals.length > 1) {
    return {
      exitCode: 2,
      stdout: '',
      stderr: `expected one command: scheduled, updated or cancelled; received ${parsed.positionals.join(' ')}\n\n${USAGE}`,
    };
  }
  const type = command as CampaignEventType;
  const bus = parsed.values.bus ?? env[ENV.eventBusName];
  if (!bus) {
    return { exitCode: 2, stdout: '', stderr: `expected --bus <event bus name> or $${ENV.eventBusName}\n` };
  }
  const misused = optionProblems(type, parsed.values);
  if (misused.length > 0) {
    return { exitCode: 2, stdout: '', stderr: `${misused.join('\n')}\n\n${USAGE}` };
  }
  const detail = detailFrom(type, parsed.values);
  const validation = validateCampaignEvent({
    id: 'campaign-cli',
    source: CAMPAIGN_EVENT_SOURCE,
    'detail-type': CAMPAIGN_DETAIL_TYPES[type],
    detail,
  });
  const problems =
    validation.kind === 'invalid'
      ? validation.problems.map((p) => `${p.path}: ${p.expected}; received ${p.received}`)
      : endedProblems(validation.event, nowMs());
  if (problems.length > 0) {
    return {
      exitCode: 1,
      stdout: '',
      stderr: `Invalid ${CAMPAIGN_DETAIL_TYPES[type]} event:\n${problems.map((p) => `  - ${p}\n`).join('')}`,
    };
  }
  const entries = [campaignPutEventsEntry(type, detail, bus)];
  return { exitCode: 0, stdout: `${JSON.stringify(entries, null, 2)}\n`, stderr: '' };
}

if (require.main === module) {
  const result = campaignCli(process.argv.slice(2), process.env);
  process.stdout.write(result.stdout);
  process.stderr.write(result.stderr);
  process.exitCode = result.exitCode;
}
