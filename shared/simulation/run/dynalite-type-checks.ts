/*
 * dynalite checks the JSON types of every request against its operation's type table
 * (`validations.checkTypes`): per member it parses the type name with a regular expression, and
 * per attribute value it builds the attribute value's table anew, so a run record's thousands of
 * members cost most of a write's validation. `compileTypeChecks` reads a table once into a tree
 * of parsed nodes and checks with it, step for step as dynalite's `checkType`: the same members
 * dropped from the request, the same values returned (booleans from strings, whole numbers
 * floored, members in the table's order) and the same errors, message and all.
 */

/** A type in dynalite's tables: a name (`'String'`, `'AttrStruct<ValueStruct>'`) or a member spec. */
type TypeSpec = string | { readonly type?: unknown; readonly children?: unknown };
/** A table of members: name to type. */
type TypeTable = Record<string, unknown>;

/** A type with its name parsed and its children compiled. */
interface TypeNode {
  base: string;
  subtype: string | undefined;
  /** List and Map: the members' node; ValueStruct and FieldStruct: the table of fields. */
  member: TypeNode | undefined;
  fields: FieldsNode | undefined;
}

/** A table of members compiled. */
interface FieldsNode {
  readonly table: TypeTable;
  readonly names: readonly string[];
  readonly nodes: readonly TypeNode[];
}

/** Checks a request's members against a compiled table, as `validations.checkTypes`. */
export type CompiledTypeChecks = (data: Record<string, unknown>) => Record<string, unknown>;

/** Thrown when a table has a shape dynalite's own tables never have: the caller uses dynalite's checks. */
class UncompilableTypeError extends Error {
  override readonly name = 'UncompilableTypeError';
}

const SUBTYPE = /(.+?)<(.+)>$/;

/** The attribute value's table, as `checkType` builds it for `AttrStruct<…>` (one copy here). */
const ATTRIBUTE_VALUE_TABLE: TypeTable = {
  S: 'String',
  B: 'Blob',
  N: 'String',
  BOOL: 'Boolean',
  NULL: 'Boolean',
  BS: { type: 'List', children: 'Blob' },
  NS: { type: 'List', children: 'String' },
  SS: { type: 'List', children: 'String' },
  L: { type: 'List', children: 'AttrStruct<ValueStruct>' },
  M: { type: 'Map<AttributeValue>', children: 'AttrStruct<ValueStruct>' },
};

const KNOWN_BASES = new Set([
  'Boolean',
  'Short',
  'Integer',
  'Long',
  'Double',
  'String',
  'Blob',
  'List',
  'ParameterizedList',
  'ParameterizedMap',
  'Map',
  'ValueStruct',
  'FieldStruct',
]);

/** Compiles type tables, sharing the nodes of equal type names (the attribute value's recurses). */
class TypeCompiler {
  private readonly byName = new Map<string, TypeNode>();
  private readonly bySpec = new WeakMap<object, TypeNode>();
  private readonly tables = new WeakMap<object, FieldsNode>();

  /** `checkType`'s prologue: children (a name becomes `{ type: name }`), the name, its subtype. */
  type(spec: TypeSpec): TypeNode {
    if (typeof spec === 'string') {
      const known = this.byName.get(spec);
      if (known) return known;
    } else if (spec !== null && typeof spec === 'object') {
      const known = this.bySpec.get(spec);
      if (known) return known;
    } else throw new UncompilableTypeError(`type ${String(spec)}`);
    const node: TypeNode = { base: '', subtype: undefined, member: undefined, fields: undefined };
    if (typeof spec === 'string') this.byName.set(spec, node);
    else this.bySpec.set(spec, node);
    let children = typeof spec === 'string' ? undefined : spec.children;
    if (typeof children === 'string') children = { type: children };
    const name = typeof spec === 'string' ? spec : spec.type ? spec.type : spec;
    if (typeof name !== 'string') throw new UncompilableTypeError('a member spec without a type name');
    const match = SUBTYPE.exec(name);
    const base = match ? (match[1] as string) : name;
    const subtype = match ? match[2] : undefined;
    if (base === 'AttrStruct') {
      // `checkType(val, { type: subtype + '<AttributeValue>', children: the attribute value's table })`.
      const inner = this.type({ type: `${subtype}<AttributeValue>`, children: ATTRIBUTE_VALUE_TABLE });
      Object.assign(node, inner);
      return node;
    }
    if (!KNOWN_BASES.has(base)) throw new UncompilableTypeError(`type ${base}`);
    node.base = base;
    node.subtype = subtype;
    if (base === 'List' || base === 'ParameterizedList' || base === 'ParameterizedMap' || base === 'Map') {
      if (children === undefined || children === null)
        throw new UncompilableTypeError(`${base} without children`);
      node.member = this.type(children as TypeSpec);
    } else if (base === 'ValueStruct' || base === 'FieldStruct') {
      if (children === null || typeof children !== 'object')
        throw new UncompilableTypeError(`${base} fields`);
      node.fields = this.table(children as TypeTable);
    }
    return node;
  }

  table(table: TypeTable): FieldsNode {
    const known = this.tables.get(table);
    if (known) return known;
    const names = Object.keys(table);
    const nodes: TypeNode[] = [];
    const compiled: FieldsNode = { table, names, nodes };
    this.tables.set(table, compiled);
    for (const name of names) nodes.push(this.type(table[name] as TypeSpec));
    return compiled;
  }
}

/** dynalite's `typeError`: a 400 SerializationException with the message. */
function typeError(message: string): Error {
  return Object.assign(new Error(message), {
    statusCode: 400,
    body: { __type: 'com.amazon.coral.service#SerializationException', Message: message },
  });
}

const TRUE_STRINGS = ['TRUE', '1', 'YES'];
const FALSE_STRINGS = ['FALSE', '0', 'NO'];

function checkFields(data: Record<string, unknown>, fields: FieldsNode): Record<string, unknown> {
  for (const key in data) {
    if (!fields.table[key] || data[key] == null) delete data[key];
  }
  const out: Record<string, unknown> = {};
  for (let i = 0; i < fields.names.length; i += 1) {
    const key = fields.names[i] as string;
    const value = checkValue(data[key], fields.nodes[i] as TypeNode);
    if (value != null) out[key] = value;
  }
  return out;
}

function checkValue(val: unknown, node: TypeNode): unknown {
  if (val == null) return null;
  const type = node.base;
  switch (type) {
    case 'Boolean':
      return checkBoolean(val, type);
    case 'Short':
    case 'Integer':
    case 'Long':
    case 'Double':
      return checkNumber(val, type);
    case 'String':
      return checkString(val, type);
    case 'Blob':
      return checkBlob(val);
    default:
      return checkCollection(val, node);
  }
}

/** A value for a Boolean member: a boolean, or a string dynalite reads as one. */
function checkBoolean(val: unknown, type: string): unknown {
  switch (typeof val) {
    case 'number':
      throw typeError(`${val % 1 === 0 ? 'NUMBER_VALUE' : 'DECIMAL_VALUE'} cannot be converted to ${type}`);
    case 'string': {
      const upper = val.toUpperCase();
      if (TRUE_STRINGS.includes(upper)) return true;
      if (FALSE_STRINGS.includes(upper)) return false;
      throw typeError('Unexpected token received from parser');
    }
    case 'object':
      if (Array.isArray(val)) throw typeError(`Unrecognized collection type class java.lang.${type}`);
      throw typeError('Start of structure or map found where not expected');
  }
  return val;
}

/** A value for a Short, Integer, Long or Double member: whole numbers floored except Double. */
function checkNumber(val: unknown, type: string): unknown {
  switch (typeof val) {
    case 'boolean':
      throw typeError(`${val ? 'TRUE_VALUE' : 'FALSE_VALUE'} cannot be converted to ${type}`);
    case 'number':
      return type !== 'Double' ? Math.floor(val) : val;
    case 'string':
      throw typeError(`STRING_VALUE cannot be converted to ${type}`);
    case 'object':
      if (Array.isArray(val)) throw typeError(`Unrecognized collection type class java.lang.${type}`);
      throw typeError('Start of structure or map found where not expected');
  }
  return val;
}

function checkString(val: unknown, type: string): unknown {
  switch (typeof val) {
    case 'boolean':
      throw typeError(`${val ? 'TRUE_VALUE' : 'FALSE_VALUE'} cannot be converted to ${type}`);
    case 'number':
      throw typeError(`${val % 1 === 0 ? 'NUMBER_VALUE' : 'DECIMAL_VALUE'} cannot be converted to ${type}`);
    case 'object':
      if (Array.isArray(val)) throw typeError(`Unrecognized collection type class java.lang.${type}`);
      throw typeError('Start of structure or map found where not expected');
  }
  return val;
}

/** A value for a Blob member: a string that is canonical base 64. */
function checkBlob(val: unknown): unknown {
  switch (typeof val) {
    case 'boolean':
    case 'number':
      throw typeError('only base-64-encoded strings are convertible to bytes');
    case 'object':
      if (Array.isArray(val)) throw typeError('Unrecognized collection type class java.nio.ByteBuffer');
      throw typeError('Start of structure or map found where not expected');
  }
  const text = val as string;
  if (text.length % 4)
    throw typeError(`Base64 encoded length is expected a multiple of 4 bytes but found: ${text.length}`);
  if (Buffer.from(text, 'base64').toString('base64') !== text)
    throw typeError('Invalid last non-pad Base64 character dectected');
  return val;
}

/** A value for a list, map or structure member, its members checked in turn. */
function checkCollection(val: unknown, node: TypeNode): unknown {
  const type = node.base;
  const subtype = node.subtype as string;
  switch (type) {
    case 'List':
      refuseShape(
        val,
        'Unexpected field type',
        true,
        () => 'Start of structure or map found where not expected',
      );
      return (val as unknown[]).map((child) => checkValue(child, node.member as TypeNode));
    case 'ParameterizedList':
      refuseShape(val, PARAMETERIZED_CAST, true, () => 'Start of structure or map found where not expected');
      return (val as unknown[]).map((child) => checkValue(child, node.member as TypeNode));
    case 'ParameterizedMap':
      refuseShape(
        val,
        PARAMETERIZED_CAST,
        false,
        () =>
          'Unrecognized collection type java.util.Map<java.lang.String, com.amazonaws.dynamodb.v20120810.AttributeValue>',
      );
      return checkMembers(val as Record<string, unknown>, node.member as TypeNode);
    case 'Map':
      refuseShape(
        val,
        'Unexpected field type',
        false,
        () =>
          `Unrecognized collection type java.util.Map<java.lang.String, ${~subtype.indexOf('.') ? subtype : `com.amazonaws.dynamodb.v20120810.${subtype}`}>`,
      );
      return checkMembers(val as Record<string, unknown>, node.member as TypeNode);
    case 'ValueStruct':
      refuseShape(
        val,
        'Unexpected value type in payload',
        false,
        () => `Unrecognized collection type class com.amazonaws.dynamodb.v20120810.${subtype}`,
      );
      return checkFields(val as Record<string, unknown>, node.fields as FieldsNode);
    case 'FieldStruct':
      refuseShape(
        val,
        'Unexpected field type',
        false,
        () => `Unrecognized collection type class com.amazonaws.dynamodb.v20120810.${subtype}`,
      );
      return checkFields(val as Record<string, unknown>, node.fields as FieldsNode);
    default:
      throw new Error(`Unknown type: ${type}`);
  }
}

const PARAMETERIZED_CAST =
  "class sun.reflect.generics.reflectiveObjects.ParameterizedTypeImpl cannot be cast to class java.lang.Class (sun.reflect.generics.reflectiveObjects.ParameterizedTypeImpl and java.lang.Class are in module java.base of loader 'bootstrap')";

/** Each member of a map checked, in its key order (dynalite's `Object.keys(val).reduce`). */
function checkMembers(val: Record<string, unknown>, member: TypeNode): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(val)) out[key] = checkValue(val[key], member);
  return out;
}

const compiler = new TypeCompiler();
const compiledTables = new WeakMap<object, CompiledTypeChecks | null>();

/**
 * dynalite's `checkTypes(data, types)` for one operation's type table, compiled once: the same
 * result and the same thrown errors. Undefined for a table of a shape dynalite's own tables never
 * have (the caller then uses dynalite's checks).
 */
export function compileTypeChecks(types: TypeTable): CompiledTypeChecks | undefined {
  let compiled = compiledTables.get(types);
  if (compiled === undefined) {
    try {
      const fields = compiler.table(types);
      compiled = (data) => checkFields(data, fields);
    } catch (error) {
      if (!(error instanceof UncompilableTypeError)) throw error;
      compiled = null;
    }
    compiledTables.set(types, compiled);
  }
  return compiled ?? undefined;
}

/**
 * dynalite's refusal of a value of the wrong shape for a collection or structure: a scalar, or an
 * array where it wants an object (or an object where it wants an array). Anything else (null,
 * undefined) passes here, as in dynalite. The shape message is built only when it is thrown.
 */
function refuseShape(
  val: unknown,
  scalarMessage: string,
  wantsArray: boolean,
  shapeMessage: () => string,
): void {
  const type = typeof val;
  if (type === 'boolean' || type === 'number' || type === 'string') throw typeError(scalarMessage);
  if (type === 'object' && Array.isArray(val) !== wantsArray) throw typeError(shapeMessage());
}
