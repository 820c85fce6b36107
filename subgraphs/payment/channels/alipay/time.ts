/** Alipay writes times as "yyyy-MM-dd HH:mm:ss" in China Standard Time (UTC+8, no daylight saving). */
const CHINA_OFFSET_MS = 8 * 3_600_000;
const pattern = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$/;

export function toAlipayTime(date: Date): string {
  return new Date(date.getTime() + CHINA_OFFSET_MS).toISOString().slice(0, 19).replace('T', ' ');
}

/** The instant an Alipay time names, or null when the text is not one. */
export function fromAlipayTime(text: string | undefined): Date | null {
  const match = text === undefined ? null : pattern.exec(text.trim());
  if (!match) return null;
  const [year, month, day, hour, minute, second] = match.slice(1).map(Number) as [number, number, number, number, number, number];
  const utc = Date.UTC(year, month - 1, day, hour, minute, second) - CHINA_OFFSET_MS;
  const date = new Date(utc);
  // refuse dates that Date.UTC rolled over (2026-02-30)
  return toAlipayTime(date) === text?.trim() ? date : null;
}

/** The calendar day (YYYY-MM-DD) in China of an instant: Alipay's bills are per day there. */
export function alipayDate(date: Date): string {
  return toAlipayTime(date).slice(0, 10);
}
