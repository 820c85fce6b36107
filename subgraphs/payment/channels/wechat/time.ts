/** API v3 writes times in RFC 3339 with China's offset, to the second: 2024-05-20T13:29:35+08:00. */
export function toWechatTime(date: Date): string {
  return `${new Date(date.getTime() + 8 * 3_600_000).toISOString().slice(0, 19)}+08:00`;
}
