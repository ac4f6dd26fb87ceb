import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { build } from 'esbuild';
import { PRESCALE_ESBUILD_OPTIONS } from '../../infra/bundling/esbuild-options';
import { literalTraitKeys, namespaceZodImport } from '../../infra/bundling/shakeable-sources';

const REPO_ROOT = path.resolve(__dirname, '../..');

describe('literalTraitKeys', () => {
  it("replaces computed keys naming the module's own string constants with literal keys", () => {
    const source = [
      'const _xN = "xmlName";',
      'const _eQN = "ec2QueryName";',
      'export var A$ = [3, n0, _A, 0, [_I], [[0, { [_eQN]: `InstanceId`, [_xN]: _iI }]]];',
    ].join('\n');
    expect(literalTraitKeys(source)).toContain('[[0, { "ec2QueryName": `InstanceId`, "xmlName": _iI }]]');
  });

  it('leaves computed keys that are not string constants of the module as they are', () => {
    const source = 'const _n = 5;\nlet _s = "x";\nexport var A$ = { [_n]: 1, [_s]: 2, [_other]: 3 };';
    expect(literalTraitKeys(source)).toBe(source);
  });
});

describe('namespaceZodImport', () => {
  it("imports zod's namespace instead of its `z` export", () => {
    expect(namespaceZodImport("import { z } from 'zod';\nconst s = z.string();")).toBe(
      "import * as z from 'zod';\nconst s = z.string();",
    );
    expect(namespaceZodImport("import { ZodError, z } from 'zod';")).toBe(
      "import { ZodError } from 'zod';\nimport * as z from 'zod';",
    );
  });
});

/** EC2 Query API responses (the shapes of the EC2 API reference's examples). */
const RESPONSES = {
  DescribeInstanceStatus:
    '<DescribeInstanceStatusResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"><requestId>r-1</requestId><instanceStatusSet><item><instanceId>i-0abc</instanceId><availabilityZone>us-east-1a</availabilityZone><eventsSet><item><code>system-reboot</code><description>scheduled reboot</description><notBefore>2026-12-01T02:00:00.000Z</notBefore></item></eventsSet><instanceState><code>16</code><name>running</name></instanceState></item></instanceStatusSet></DescribeInstanceStatusResponse>',
  DescribeSpotPriceHistory:
    '<DescribeSpotPriceHistoryResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"><requestId>r-2</requestId><spotPriceHistorySet><item><instanceType>m7g.large</instanceType><productDescription>Linux/UNIX</productDescription><spotPrice>0.031200</spotPrice><timestamp>2026-11-29T10:00:00.000Z</timestamp><availabilityZone>us-east-1a</availabilityZone></item></spotPriceHistorySet></DescribeSpotPriceHistoryResponse>',
};

/** Sends two EC2 commands through a recording HTTP handler; returns the request bodies and outputs. */
const EC2_ROUND_TRIP = `
import { Readable } from 'node:stream';
import { DescribeInstanceStatusCommand, DescribeSpotPriceHistoryCommand, EC2Client } from '@aws-sdk/client-ec2';

const RESPONSES: Record<string, string> = ${JSON.stringify(RESPONSES)};

export async function roundTrip() {
  const sent: string[] = [];
  const client = new EC2Client({
    region: 'us-east-1',
    credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'example' },
    requestHandler: {
      handle: async (request: { body: string }) => {
        sent.push(request.body);
        const action = new URLSearchParams(request.body).get('Action') ?? '';
        const body = Readable.from([Buffer.from(RESPONSES[action] ?? '')]);
        return { response: { statusCode: 200, headers: {}, body } };
      },
    },
  });
  const status = await client.send(new DescribeInstanceStatusCommand({
    InstanceIds: ['i-0abc'], IncludeAllInstances: true, Filters: [{ Name: 'event.code', Values: ['system-reboot'] }],
  }));
  const prices = await client.send(new DescribeSpotPriceHistoryCommand({
    InstanceTypes: ['m7g.large'], ProductDescriptions: ['Linux/UNIX'], StartTime: new Date('2026-11-29T09:00:00Z'),
  }));
  return { sent, status: status.InstanceStatuses, prices: prices.SpotPriceHistory };
}
`;

async function bundledRoundTrip(withPlugins: boolean): Promise<{ result: unknown; bytes: number }> {
  const result = await build({
    ...PRESCALE_ESBUILD_OPTIONS,
    mainFields: [...PRESCALE_ESBUILD_OPTIONS.mainFields],
    external: [],
    plugins: withPlugins ? [...PRESCALE_ESBUILD_OPTIONS.plugins] : [],
    stdin: { contents: EC2_ROUND_TRIP, resolveDir: REPO_ROOT, loader: 'ts', sourcefile: 'ec2-round-trip.ts' },
    write: false,
  });
  const code = result.outputFiles[0]?.text ?? '';
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'prescale-shakeable-')), 'index.js');
  writeFileSync(file, code);
  const { roundTrip } = require(file) as { roundTrip: () => Promise<unknown> };
  return { result: await roundTrip(), bytes: code.length };
}

describe('shakeableSources', () => {
  it('bundles an EC2 client that sends and parses exactly what the unchanged client does, smaller', async () => {
    const plain = await bundledRoundTrip(false);
    const shaken = await bundledRoundTrip(true);
    expect(shaken.result).toEqual(plain.result);
    expect(shaken.result).toMatchObject({
      sent: [
        expect.stringContaining('Action=DescribeInstanceStatus'),
        expect.stringContaining('InstanceType.1=m7g.large'),
      ],
      status: [{ InstanceId: 'i-0abc', Events: [{ Code: 'system-reboot' }] }],
      prices: [{ InstanceType: 'm7g.large', SpotPrice: '0.031200' }],
    });
    expect(shaken.bytes).toBeLessThan(plain.bytes / 2);
  });
});
