import { Logger } from 'pino';
import { Clock } from '../domain/clock';
import { WishEvent, WishState } from '../domain/wish/types';
import { Relay } from './relay';
import { NewOutboxItem } from '../domain/outbox';

export interface OutboxWriter {
  enqueue(items: NewOutboxItem[], now: Date): Promise<number>;
}

/** After each committed event: relay it into the outbox and nudge the sender. */
export function createNotifier(deps: { relay: Relay; outbox: OutboxWriter; clock: Clock; logger: Logger; wake?: () => void; markRelayed?: (eventId: string, at: Date) => Promise<void> }) {
  async function enqueue(items: NewOutboxItem[]): Promise<void> {
    if (items.length === 0) return;
    await deps.outbox.enqueue(items, deps.clock());
    deps.wake?.();
  }
  async function onEvent(event: WishEvent, state: WishState): Promise<void> {
    try {
      const items = await deps.relay.messagesFor(event, state);
      // Dated by the event's commit, not the relay: relays run after the answer and may overlap, and
      // the sender orders a chat's messages by this date, so they still arrive in the order of events.
      if (items.length > 0) {
        await deps.outbox.enqueue(items, event.at);
        deps.wake?.();
      }
      await deps.markRelayed?.(event.id, deps.clock());
    } catch (err) {
      // The event is committed; the relay sweep picks up anything not marked relayed.
      deps.logger.warn({ err, eventId: event.id }, 'relay failed; the sweep will retry it');
    }
  }
  return { onEvent, enqueue };
}

export type Notifier = ReturnType<typeof createNotifier>;
