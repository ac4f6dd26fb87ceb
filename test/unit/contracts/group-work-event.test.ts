import { groupWorkEventSchema, groupWorkRecordSchema } from '../../../shared/contracts/group-work-event';
import { sqsRecord } from '../../helpers/lambda-events';

describe('groupWorkRecordSchema', () => {
  it('parses the JSON body of a group work item', () => {
    const record = groupWorkRecordSchema.parse(
      sqsRecord('m1', JSON.stringify({ groupName: 'web', tickMs: 1 })),
    );
    expect(record.body).toEqual({ groupName: 'web', tickMs: 1 });
  });

  it('names the body field a bad item lacks, and says when the body is not JSON', () => {
    const missing = groupWorkRecordSchema.safeParse(sqsRecord('m1', JSON.stringify({ tickMs: 1 })));
    expect(missing.error?.issues.map((issue) => issue.path)).toEqual([['body', 'groupName']]);
    const notJson = groupWorkRecordSchema.safeParse(sqsRecord('m2', '{"groupName":'));
    expect(notJson.success).toBe(false);
    expect(notJson.error?.issues[0]?.path).toEqual(['body']);
  });
});

describe('groupWorkEventSchema', () => {
  it('accepts a batch whatever its bodies hold, so one bad body fails only its record', () => {
    const event = { Records: [sqsRecord('m1', 'not json'), sqsRecord('m2', '{}')] };
    expect(groupWorkEventSchema.parse(event).Records).toHaveLength(2);
  });
});
