import { EVENT_TAGS } from '@plugboard/rules';
import { NOTIFICATION_TAGS, notificationTags } from './notification-tags';

describe('notificationTags', () => {
  const ctx = { eventId: 'e-1', event: 'AccountCreated', position: 'post' as const, timestamp: new Date(0), payload: {} };

  it('has every event tag the Logger has, so {event} renders in a mail as it does in a log line', () => {
    const tags = notificationTags(ctx, {});
    expect(tags.event).toBe('AccountCreated');
    expect(tags.eventId).toBe('e-1');
    for (const t of EVENT_TAGS) expect(NOTIFICATION_TAGS).toContain(t.name);
  });

  it('documents exactly the tags it renders', () => {
    expect(Object.keys(notificationTags(ctx, {})).sort()).toEqual([...NOTIFICATION_TAGS].sort());
  });
});
