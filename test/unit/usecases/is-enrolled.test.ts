import { userConfigSchema } from '../../../shared/contracts/user-config';
import { isEnrolled } from '../../../shared/usecases/is-enrolled';
import { groupSnapshot } from '../../fakes/fake-scaling-target';

const byNameAndTag = userConfigSchema.parse({
  groups: { names: ['web'], tag: { key: 'prescale:enabled', value: 'true' } },
});
const byNameOnly = userConfigSchema.parse({ groups: { names: ['web'] } });

describe('isEnrolled', () => {
  it('enrols a group named in groups.names, without the tag', () => {
    expect(isEnrolled(byNameAndTag, groupSnapshot({ name: 'web' }))).toBe(true);
    expect(isEnrolled(byNameOnly, groupSnapshot({ name: 'web' }))).toBe(true);
  });

  it.each([
    ['enrols a group carrying the tag key with its value', { 'prescale:enabled': 'true' }, true],
    ['does not enrol a group whose tag has another value', { 'prescale:enabled': 'false' }, false],
    ['does not enrol a group with the value under another key', { 'prescale:other': 'true' }, false],
    ['does not enrol a group without tags', {}, false],
  ])('%s', (_, tags, enrolled) => {
    expect(isEnrolled(byNameAndTag, groupSnapshot({ name: 'api', tags }))).toBe(enrolled);
  });

  it('does not enrol by tag when no enrolment tag is configured', () => {
    const tagged = groupSnapshot({ name: 'api', tags: { 'prescale:enabled': 'true' } });
    expect(isEnrolled(byNameOnly, tagged)).toBe(false);
  });
});
