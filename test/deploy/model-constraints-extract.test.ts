import { type BotocoreModel, extractConstraints, unsupportedPattern } from './model-constraints-extract';

const model: BotocoreModel = {
  metadata: { protocol: 'json', apiVersion: '2012-08-10' },
  operations: {
    PutItem: { input: { shape: 'PutItemInput' } },
    DeleteTable: { input: { shape: 'DeleteTableInput' } },
    ListTables: {},
  },
  shapes: {
    PutItemInput: {
      type: 'structure',
      members: {
        TableName: { shape: 'TableName' },
        Item: { shape: 'AttributeMap' },
        Comment: { shape: 'FreeText' },
        Mode: { shape: 'Mode' },
        Token: { shape: 'JavaToken' },
      },
    },
    DeleteTableInput: { type: 'structure', members: { Force: { shape: 'Boolean' } } },
    TableName: { type: 'string', min: 3, max: 255, pattern: '[a-zA-Z0-9_.-]+' },
    AttributeMap: { type: 'map', key: { shape: 'AttributeName' }, value: { shape: 'AttributeValue' } },
    AttributeName: { type: 'string', max: 65535 },
    AttributeValue: {
      type: 'structure',
      members: { S: { shape: 'FreeText' }, M: { shape: 'AttributeMap' } },
    },
    FreeText: { type: 'string' },
    Mode: { type: 'string', enum: ['FAST', 'SAFE'] },
    JavaToken: { type: 'string', pattern: '\\p{Alnum}+' },
    Boolean: { type: 'boolean' },
    Unused: { type: 'string', max: 1 },
  },
};

describe('extractConstraints', () => {
  const { service, skipped } = extractConstraints(model, ['PutItem', 'DeleteTable', 'ListTables']);

  it('keeps the constrained shapes reachable from the operations, through recursive ones', () => {
    expect(Object.keys(service.shapes).sort()).toEqual([
      'AttributeMap',
      'AttributeName',
      'AttributeValue',
      'Mode',
      'PutItemInput',
      'TableName',
    ]);
    expect(service.shapes.AttributeValue).toEqual({ type: 'structure', members: { M: 'AttributeMap' } });
    expect(service.shapes.AttributeMap).toEqual({
      type: 'map',
      key: 'AttributeName',
      value: 'AttributeValue',
    });
  });

  it('keeps only the constraint fields of a shape', () => {
    expect(service.shapes.TableName).toEqual({
      type: 'string',
      min: 3,
      max: 255,
      pattern: '[a-zA-Z0-9_.-]+',
    });
    expect(service.shapes.Mode).toEqual({ type: 'string', enum: ['FAST', 'SAFE'] });
  });

  it('lists every operation, with its input shape or null', () => {
    expect(service.operations).toEqual({
      DeleteTable: 'DeleteTableInput',
      ListTables: null,
      PutItem: 'PutItemInput',
    });
  });

  it('leaves out a Java-only pattern and says why', () => {
    expect(service.shapes.PutItemInput?.members).not.toHaveProperty('Token');
    expect(skipped).toEqual([
      { shape: 'JavaToken', pattern: '\\p{Alnum}+', reason: expect.stringMatching(/Invalid/) },
    ]);
  });

  it('leaves out the enums named open', () => {
    const open = extractConstraints(model, ['PutItem'], ['Mode']).service;
    expect(open.shapes).not.toHaveProperty('Mode');
    expect(open.shapes.PutItemInput?.members).not.toHaveProperty('Mode');
  });

  it('refuses an operation the model does not have', () => {
    expect(() => extractConstraints(model, ['GetItem'])).toThrow(
      'the botocore model has no operation GetItem',
    );
  });
});

describe('unsupportedPattern', () => {
  it('accepts patterns JavaScript reads as Java does', () => {
    expect(unsupportedPattern('^ami-[a-z0-9]{1,17}$')).toBeUndefined();
    expect(
      unsupportedPattern('[\\u0020-\\uD7FF\\uE000-\\uFFFD\\uD800\\uDC00-\\uDBFF\\uDFFF\\r\\n\\t]*'),
    ).toBeUndefined();
    expect(unsupportedPattern('[\\p{L}\\p{N}_.:/=+\\-@]*')).toBeUndefined();
  });

  it.each([
    ['(?s).*', 'inline flag'],
    ['[a-z]*+', 'possessive quantifier'],
    ['\\A[a-z]+\\z', 'Java anchors'],
    ['\\p{Print}*', 'POSIX class'],
    ['[a-z[0-9]]+', 'nested class'],
    ['[a-z&&[^x]]+', 'intersection'],
  ])('refuses %s (%s)', (pattern) => {
    expect(unsupportedPattern(pattern)).toEqual(expect.any(String));
  });
});
