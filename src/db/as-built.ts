/**
 * `insertMany` options for documents the code builds whole, of schemas without defaults or casts
 * to apply (the outbox's entries, the change log's, insight marks): Mongoose inserts them as they
 * are, without making a document of each to cast and validate first, which took about a tenth of
 * the app's time per screening decision (CPU profile of the decision bench). Undefined fields are
 * left out, as Mongoose leaves them out (the driver would store them as null).
 */
export const AS_BUILT = { lean: true, ignoreUndefined: true } as const;
