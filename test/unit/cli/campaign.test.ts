import { execSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { campaignCli } from '../../../shared/cli/campaign';
import { validateCampaignEvent } from '../../../shared/contracts/campaign-events';

const base = [
  'scheduled',
  '--id',
  'bf-2026',
  '--kind',
  'sale',
  '--groups',
  'web,api',
  '--start',
  '2026-11-27T08:00:00+01:00',
  '--end',
  '2026-11-27T20:00:00+01:00',
];
/** A clock before the base window, so the events are not over when "sent". */
const NOW = () => Date.parse('2026-11-01T00:00:00Z');
const cli = (argv: readonly string[], env: Record<string, string> = {}) => campaignCli(argv, env, NOW);

describe('campaignCli', () => {
  it('prints put-events entries for a valid event, the detail as the receiver will validate it', () => {
    const out = cli(
      [
        ...base,
        '--multiplier',
        '3',
        '--ramp-up-seconds',
        '1800',
        '--extra-instances',
        '2',
        '--bus',
        'prescale',
      ],
      {},
    );
    expect(out.exitCode).toBe(0);
    const [entry] = JSON.parse(out.stdout);
    expect(entry).toEqual({
      Source: 'prescale',
      DetailType: 'Campaign Scheduled',
      EventBusName: 'prescale',
      Detail: JSON.stringify({
        campaignId: 'bf-2026',
        kind: 'sale',
        groups: { names: ['web', 'api'] },
        start: '2026-11-27T08:00:00+01:00',
        end: '2026-11-27T20:00:00+01:00',
        expectedLoad: { kind: 'multiplier', factor: 3 },
        rampUpSeconds: 1800,
        extraInstances: 2,
      }),
    });
    const delivered = {
      id: 'x',
      source: entry.Source,
      'detail-type': entry.DetailType,
      detail: JSON.parse(entry.Detail),
    };
    expect(validateCampaignEvent(delivered).kind).toBe('valid');
  });

  it('takes the bus from the environment and builds cancels and tag selections', () => {
    const cancel = cli(['cancelled', '--id', 'bf-2026', '--reason', 'moved'], {
      PRESCALE_EVENT_BUS: 'bus',
    });
    expect(JSON.parse(JSON.parse(cancel.stdout)[0].Detail)).toEqual({
      campaignId: 'bf-2026',
      reason: 'moved',
    });
    const byTag = cli([...base.slice(0, 5), '--tag', 'team=shop', ...base.slice(7), '--added-load', '250'], {
      PRESCALE_EVENT_BUS: 'bus',
    });
    expect(JSON.parse(JSON.parse(byTag.stdout)[0].Detail).groups).toEqual({
      tag: { key: 'team', value: 'shop' },
    });
  });

  it('lists every problem and exits 1 for an invalid event', () => {
    const out = cli(
      [...base.slice(0, 8), '2026-11-27T08:00:00', ...base.slice(9), '--multiplier', 'lots', '--bus', 'b'],
      {},
    );
    expect(out).toEqual({
      exitCode: 1,
      stdout: '',
      stderr:
        'Invalid Campaign Scheduled event:\n' +
        '  - detail.start: expected an ISO 8601 date-time of a real day, with seconds and an offset ±hh:mm or Z, e.g. 2026-11-27T08:00:00+01:00 (a time without offset is ambiguous); received "2026-11-27T08:00:00"\n' +
        '  - detail.expectedLoad.factor: Invalid input: expected number, received string; received "lots"\n',
    });
  });

  it('prints the usage and exits 2 for an unknown command, option or a missing bus', () => {
    expect(cli(['postponed'], {}).exitCode).toBe(2);
    expect(cli([...base, '--colour', 'red'], {}).exitCode).toBe(2);
    expect(cli(base, {}).stderr).toBe('expected --bus <event bus name> or $PRESCALE_EVENT_BUS\n');
  });

  it('prints the usage on stdout and exits 0 for --help', () => {
    const result = cli(['--help'], {});
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toContain('Usage:');
    expect(result.stderr).toBe('');
  });

  it('writes only the put-events entries when run as docs/campaigns.md shows it, through npm', () => {
    const doc = readFileSync(path.join(__dirname, '../../../docs/campaigns.md'), 'utf8');
    const block = /```sh\n(npm run -s campaign -- [^`]*?) > campaign\.json\n/.exec(doc)?.[1];
    expect(block).toBeDefined();
    // Next year's dates: the CLI refuses a window that is over, and the doc's example ages.
    const command = (block as string)
      .replace(/\\\n\s*/g, '')
      .replace('<bus name>', 'prescale-campaigns')
      .replace(/\b20\d\d-(\d\d-\d\dT)/g, `${new Date().getUTCFullYear() + 1}-$1`);
    const stdout = execSync(command, { cwd: path.join(__dirname, '../../..'), encoding: 'utf8' });
    expect(JSON.parse(stdout)).toEqual([
      expect.objectContaining({
        Source: 'prescale',
        DetailType: 'Campaign Scheduled',
        EventBusName: 'prescale-campaigns',
      }),
    ]);
  });

  it.each([
    [
      'both sizes',
      [...base, '--multiplier', '3', '--added-load', '500'],
      '--multiplier and --added-load exclude each other: an event has one expectedLoad; give one of them',
    ],
    [
      'a tag without a value',
      [...base.slice(0, 5), '--tag', 'team', ...base.slice(7)],
      '--tag expects key=value (e.g. team=shop); received "team"',
    ],
    [
      'a reason on scheduled',
      [...base, '--reason', 'big sale'],
      '--reason is for cancelled only; scheduled events have no reason',
    ],
    [
      'a reason on updated',
      ['updated', ...base.slice(1), '--version', '2', '--reason', 'bigger'],
      '--reason is for cancelled only; updated events have no reason',
    ],
    [
      'a window on cancelled',
      ['cancelled', '--id', 'bf-2026', '--start', '2026-11-27T08:00:00Z'],
      'cancelled takes --id, --version and --reason only; received --start',
    ],
  ])('refuses %s as a usage error naming the options (exit 2)', (_label, argv, message) => {
    const out = cli([...argv, '--bus', 'b']);
    expect(out.exitCode).toBe(2);
    expect(out.stdout).toBe('');
    expect(out.stderr.split('\n')[0]).toBe(message);
  });

  it.each([
    ['0x10', '"0x10"'],
    ['', '""'],
    ['1_000', '"1_000"'],
    [' ', '" "'],
  ])('reads numbers strictly: --extra-instances %j is invalid', (text, received) => {
    const out = cli([...base, '--extra-instances', text, '--bus', 'b']);
    expect(out.exitCode).toBe(1);
    expect(out.stderr).toContain(
      `detail.extraInstances: Invalid input: expected number, received string; received ${received}`,
    );
  });

  it('still reads decimal numbers, signs and exponents', () => {
    const out = cli([...base, '--multiplier', '1.5e0', '--extra-instances', '+2', '--bus', 'b']);
    expect(out.exitCode).toBe(0);
    expect(JSON.parse(JSON.parse(out.stdout)[0].Detail)).toEqual(
      expect.objectContaining({ expectedLoad: { kind: 'multiplier', factor: 1.5 }, extraInstances: 2 }),
    );
  });

  it('refuses a window that is over, with the reason the receiver gives (exit 1)', () => {
    const after = () => Date.parse('2026-11-28T00:00:00Z');
    const out = campaignCli([...base, '--bus', 'b'], {}, after);
    expect(out).toEqual({
      exitCode: 1,
      stdout: '',
      stderr:
        'Invalid Campaign Scheduled event:\n' +
        '  - detail.end: the campaign ended at 2026-11-27T19:00:00.000Z, before it arrived at 2026-11-28T00:00:00.000Z\n',
    });
    // One that is running (started, not over) is still fine.
    expect(campaignCli([...base, '--bus', 'b'], {}, () => Date.parse('2026-11-27T12:00:00Z')).exitCode).toBe(
      0,
    );
  });
});
