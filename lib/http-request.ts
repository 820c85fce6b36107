import { Agent, request, type IncomingHttpHeaders, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';

/**
 * A small HTTP/1.1 client over node:http with one keep-alive Agent, for calls between our own
 * services and to providers. Global fetch (undici) costs about 1.5 ms of CPU per call here (WHATWG
 * Request, Headers and streams for every call); a request on a kept-alive socket costs a fraction.
 */
// Idle sockets are dropped after 4 s, before a peer's own keep-alive timeout (Node's default is 5 s)
// can close one just as a request is written on it.
const agent = new Agent({ keepAlive: true, maxSockets: 256, timeout: 4_000 });
// a provider's API is usually HTTPS
const httpsAgent = new HttpsAgent({ keepAlive: true, maxSockets: 256, timeout: 4_000 });

export interface HttpAnswer {
  status: number;
  statusText: string;
  headers: IncomingHttpHeaders;
  body: string;
}

export interface HttpRequestOptions {
  method: 'GET' | 'POST';
  headers: Record<string, string>;
  body?: string;
  /** the whole exchange; on expiry the request fails with a DOMException named TimeoutError, like fetch's */
  timeoutMs?: number;
}

export function httpRequest(url: string, options: HttpRequestOptions): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    const headers = options.body === undefined ? options.headers : { ...options.headers, 'content-length': String(Buffer.byteLength(options.body)) };
    const secure = url.startsWith('https:');
    const send = secure ? httpsRequest : request;
    const req = send(url, { method: options.method, headers, agent: secure ? httpsAgent : agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('error', reject);
      res.on('end', () => {
        clearTimeout(timer);
        resolve({ status: res.statusCode ?? 0, statusText: res.statusMessage ?? '', headers: res.headers, body: Buffer.concat(chunks).toString('utf8') });
      });
    });
    const timer =
      options.timeoutMs === undefined
        ? undefined
        : setTimeout(() => {
            const timeout = new DOMException('The operation was aborted due to timeout', 'TimeoutError');
            reject(timeout);
            req.destroy(timeout);
          }, options.timeoutMs);
    req.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    req.end(options.body);
  });
}

/**
 * Sends a request over the same keep-alive agents and resolves with the response as a stream, once
 * its head has arrived: for bodies too large to hold (statements), which the caller pipes on.
 */
export function httpStream(url: string, options: Omit<HttpRequestOptions, 'timeoutMs'>): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    const headers = options.body === undefined ? options.headers : { ...options.headers, 'content-length': String(Buffer.byteLength(options.body)) };
    const secure = url.startsWith('https:');
    const send = secure ? httpsRequest : request;
    const req = send(url, { method: options.method, headers, agent: secure ? httpsAgent : agent }, resolve);
    req.on('error', reject);
    req.end(options.body);
  });
}
