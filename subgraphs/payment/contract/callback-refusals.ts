/**
 * How each provider expects a notification to be refused when it cannot be read at all (too large,
 * malformed, cut short), in its own protocol: WeChat Pay v3 a 4xx with JSON {code, message}, Alipay
 * the text `fail`, the card acquirer what the card route answers to a notification it does not
 * accept. The gateway (which proxies callbacks) and the payment subgraph answer alike.
 */
export interface CallbackRefusal {
  status: number;
  contentType: string;
  body: string;
}

/** by the path segment of POST /callbacks/<channel>, in lower case */
const refusals = new Map<string, (status: number, message: string) => CallbackRefusal>([
  ['wechat_pay', (status, message) => ({ status, contentType: 'application/json', body: JSON.stringify({ code: 'FAIL', message }) })],
  ['alipay', (status) => ({ status, contentType: 'text/plain', body: 'fail' })],
  ['card', (status, message) => ({ status, contentType: 'text/plain', body: message })],
]);

/** The refusal of an unreadable callback to `channel` (a path segment); plain text for a channel we do not know. */
export function callbackRefusal(channel: string, status: number, message: string): CallbackRefusal {
  const refusal = refusals.get(channel.toLowerCase());
  return refusal ? refusal(status, message) : { status, contentType: 'text/plain', body: message };
}

/** What a callback body may weigh, at the gateway and at the payment subgraph. */
export const MAX_CALLBACK_BYTES = 256 * 1024;
