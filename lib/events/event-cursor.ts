/**
 * A subscription cursor names one event of a source's outbox: its position (the total order) and
 * when it occurred (so an expired cursor can be told from a valid one without the event at hand).
 * Opaque to clients: base64url of `v1:<position>:<occurredAt epoch ms>`.
 */
export interface EventCursor {
  position: number;
  occurredAt: Date;
}

const FORMAT = /^v1:(\d{1,15}):(\d{1,15})$/;

export function encodeEventCursor(cursor: EventCursor): string {
  return Buffer.from(`v1:${cursor.position}:${cursor.occurredAt.getTime()}`).toString('base64url');
}

/** null when the text is not a cursor this API issued */
export function decodeEventCursor(text: string): EventCursor | null {
  if (text.length > 64 || !/^[A-Za-z0-9_-]+$/.test(text)) return null;
  const match = FORMAT.exec(Buffer.from(text, 'base64url').toString('utf8'));
  if (!match) return null;
  const position = Number(match[1]);
  const occurredAt = new Date(Number(match[2]));
  if (position < 1 || Number.isNaN(occurredAt.getTime())) return null;
  return { position, occurredAt };
}
