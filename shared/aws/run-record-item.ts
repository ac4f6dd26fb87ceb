import { deflateRawSync, inflateRawSync } from 'node:zlib';
import type { RunRecord } from '../ports/state-store';

/**
 * The per-step number lists of a run record, packed into one Binary attribute instead of one
 * `{N: "…"}` member per number: the SDK and DynamoDB marshal long number lists slowly, and the
 * deflated form is smaller (fewer read and write units).
 */
const STEP_ARRAYS = ['plannedLoad', 'medianLoad', 'plannedCapacity'] as const;
type StepArrayName = (typeof STEP_ARRAYS)[number];

/** Byte 0 of the packed attribute: Float64 LE lists, deflated. A later layout takes another number. */
const FORMAT_FLOAT64_LE_DEFLATED = 1;

/** The attribute holding the packed per-step lists. */
export const PACKED_STEPS_ATTRIBUTE = 'stepsF64';

const packError = (detail: string) => new Error(`run record ${PACKED_STEPS_ATTRIBUTE}: ${detail}`);

/**
 * The stored form of a run record: the scalar, human-meaningful fields (group, tick, mode, models,
 * outcome with capacities and reason) stay readable under `record`; the per-step lists go to
 * `stepsF64` as Float64 values, exact for every double. Layout: `[u8 format=1]` then
 * deflate-raw of, per list in `STEP_ARRAYS` order, `[u32 LE length][float64 LE × length]`.
 */
export function runRecordAttributes(record: RunRecord): Record<string, unknown> {
  const { plannedLoad, medianLoad, plannedCapacity, ...readable } = record;
  const lists = [plannedLoad, medianLoad, plannedCapacity];
  const body = Buffer.alloc(lists.reduce((n, list) => n + 4 + 8 * list.length, 0));
  let at = 0;
  for (const list of lists) {
    at = body.writeUInt32LE(list.length, at);
    for (const value of list) at = body.writeDoubleLE(value, at);
  }
  const packed = Buffer.concat([Buffer.of(FORMAT_FLOAT64_LE_DEFLATED), deflateRawSync(body)]);
  return { record: readable, [PACKED_STEPS_ATTRIBUTE]: new Uint8Array(packed) };
}

/**
 * The run record of a stored item, in either form: packed (`stepsF64`) or, for items written
 * before packing existed, the whole record under `record`.
 */
export function runRecordFromItem(item: Record<string, unknown>): RunRecord {
  const packed = item[PACKED_STEPS_ATTRIBUTE];
  if (packed === undefined) return item.record as RunRecord;
  if (!(packed instanceof Uint8Array)) throw packError(`expected a Binary attribute, got ${typeof packed}`);
  if (packed[0] !== FORMAT_FLOAT64_LE_DEFLATED) {
    throw packError(`unknown format ${packed[0]} (expected ${FORMAT_FLOAT64_LE_DEFLATED})`);
  }
  let body: Buffer;
  try {
    body = inflateRawSync(packed.subarray(1));
  } catch (error) {
    throw packError(`not valid deflate data (${(error as Error).message})`);
  }
  const lists = {} as Record<StepArrayName, number[]>;
  let at = 0;
  for (const name of STEP_ARRAYS) {
    if (at + 4 > body.length) throw packError(`truncated before ${name}`);
    const length = body.readUInt32LE(at);
    at += 4;
    if (at + 8 * length > body.length) throw packError(`${name} needs ${length} values, bytes run out`);
    const list = new Array<number>(length);
    for (let i = 0; i < length; i++, at += 8) list[i] = body.readDoubleLE(at);
    lists[name] = list;
  }
  if (at !== body.length) throw packError(`${body.length - at} bytes left after the last list`);
  return { ...(item.record as Omit<RunRecord, StepArrayName>), ...lists };
}
