/**
 * A feed item built only when something reads it: getFeed resolves it, and an SSE frame serializes it through
 * toJSON. For items that are appended far more often than read — 100,000 full outcome records a second, which
 * no page streams — keeping what they are built from is much cheaper than building them all.
 */
export abstract class DeferredFeedItem<T> {
  abstract resolve(): T;
  toJSON(): T {
    return this.resolve();
  }
}

/** A ring item as its value: a deferred one built (once). */
export const resolveFeedItem = (item: unknown): unknown => (item instanceof DeferredFeedItem ? item.resolve() : item);
