import { SimulatedSns } from '../../../../shared/simulation/world/simulated-sns';

const TOPIC = 'arn:aws:sns:eu-west-1:123456789012:prescale-notifications';
const NOW = Date.parse('2026-03-02T01:00:00Z');

describe('SimulatedSns', () => {
  it('keeps what is published to a topic that exists', () => {
    const sns = new SimulatedSns();
    sns.createTopic(TOPIC);
    expect(
      sns.publish({ TopicArn: TOPIC, Subject: 'Prescale rolled back', Message: 'web' }, NOW),
    ).toHaveProperty('MessageId');
    expect(sns.published(TOPIC)).toEqual([
      expect.objectContaining({ subject: 'Prescale rolled back', message: 'web', publishedAtMs: NOW }),
    ]);
  });

  it.each([
    [{ TopicArn: `${TOPIC}-other`, Message: 'm' }, 'NotFound'],
    [{ TopicArn: TOPIC, Message: '' }, 'InvalidParameter'],
    [{ TopicArn: TOPIC, Message: 'x'.repeat(262_145) }, 'InvalidParameter'],
    [{ TopicArn: TOPIC, Message: 'm', Subject: 's'.repeat(101) }, 'InvalidParameter'],
    [{ TopicArn: TOPIC, Message: 'm', Subject: 'two\nlines' }, 'InvalidParameter'],
  ])('refuses %j as SNS does (%s)', (input, code) => {
    const sns = new SimulatedSns();
    sns.createTopic(TOPIC);
    expect(() => sns.publish(input, NOW)).toThrow(expect.objectContaining({ name: code }));
    expect(sns.published(TOPIC)).toEqual([]);
  });
});
