/** How many redrives one user may send per minute: a deliberate bulk goes through the bulk action, not clicks. */
export const REDRIVE_LIMIT = { maxFailures: 30, windowMs: 60_000 } as const;
