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

describe('campaignCli', () => {
  it('prints put-events entries for a valid event, the detail as the receiver will validate it', () => {
    const out = campaignCli(
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
    const cancel = campaignCli(['cancelled', '--id', 'bf-2026', '--reason', 'moved'], {
      PRESCALE_EVENT_BUS: 'bus',
    });
    expect(JSON.parse(JSON.parse(cancel.stdout)[0].Detail)).toEqual({
      campaignId: 'bf-2026',
      reason: 'moved',
    });
    const byTag = campaignCli(
      [...base.slice(0, 5), '--tag', 'team=shop', ...base.slice(7), '--added-load', '250'],
      {
        PRESCALE_EVENT_BUS: 'bus',
      },
    );
    expect(JSON.parse(JSON.parse(byTag.stdout)[0].Detail).groups).toEqual({
      tag: { key: 'team', value: 'shop' },
    });
  });

  it('lists every problem and exits 1 for an invalid event', () => {
    const out = campaignCli(
      [...base.slice(0, 8), '2026-11-27T08:00:00', ...base.slice(9), '--multiplier', 'lots', '--bus', 'b'],
      {},
    );
    expect(out).toEqual({
      exitCode: 1,
      stdout: '',
      stderr:
        'Invalid Campaign Scheduled event:\n' +
        '  - detail.start: expected an ISO 8601 date-time with an offset or Z, e.g. 2026-11-27T08:00:00+01:00 (a time without offset is ambiguous); received "2026-11-27T08:00:00"\n' +
        '  - detail.expectedLoad.factor: Invalid input: expected number, received string; received "lots"\n',
    });
  });

  it('prints the usage and exits 2 for an unknown command, option or a missing bus', () => {
    expect(campaignCli(['postponed'], {}).exitCode).toBe(2);
    expect(campaignCli([...base, '--colour', 'red'], {}).exitCode).toBe(2);
    expect(campaignCli(base, {}).stderr).toBe('expected --bus <event bus name> or $PRESCALE_EVENT_BUS\n');
  });

  it('prints the usage on stdout and exits 0 for --help', () => {
    const result = campaignCli(['--help'], {});
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toContain('Usage:');
    expect(result.stderr).toBe('');
  });

  it('writes only the put-events entries when run as docs/campaigns.md shows it, through npm', () => {
    const doc = readFileSync(path.join(__dirname, '../../../docs/campaigns.md'), 'utf8');
    const block = /```sh\n(npm run -s campaign -- [^`]*?) > campaign\.json\n/.exec(doc)?.[1];
    expect(block).toBeDefined();
    const command = (block as string).replace(/\\\n\s*/g, '').replace('<bus name>', 'prescale-campaigns');
    const stdout = execSync(command, { cwd: path.join(__dirname, '../../..'), encoding: 'utf8' });
    expect(JSON.parse(stdout)).toEqual([
      expect.objectContaining({
        Source: 'prescale',
        DetailType: 'Campaign Scheduled',
        EventBusName: 'prescale-campaigns',
      }),
    ]);
  });
});
