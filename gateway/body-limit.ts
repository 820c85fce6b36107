/** The largest request the gateway reads: an HTTP body on /graphql, and a WebSocket message alike. */
export const MAX_BODY_BYTES = 256 * 1024;
/** the same limit in express's notation, as messages name it */
export const MAX_BODY = `${MAX_BODY_BYTES / 1024}kb`;
