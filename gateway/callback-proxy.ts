import { request } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { RequestHandler, Response } from 'express';
import { requestIdHeader } from '../lib/request-context.js';
import { callbackRefusal, MAX_CALLBACK_BYTES } from '../subgraphs/payment/contract/callback-refusals.js';

const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'upgrade', 'proxy-connection', 'te', 'trailer', 'host']);

/**
 * Providers' notifications reach the payment subgraph through the gateway's public host:
 * POST /callbacks/<channel> is passed on byte for byte (providers sign the exact body and headers),
 * and the payment subgraph's answer (the provider's own format) goes back unchanged. No API key:
 * the payment subgraph authenticates each notification by its provider signature. A body beyond
 * MAX_CALLBACK_BYTES, declared or counted as it streams (chunked), is cut off from the subgraph and
 * refused in the provider's own format; so is a callback the subgraph could not be reached for.
 */
export function callbackProxy(paymentUrl: string): RequestHandler {
  const target = new URL(paymentUrl);
  const send = target.protocol === 'https:' ? httpsRequest : request;
  return (req, res) => {
    const channel = String(req.params['channel']);
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > MAX_CALLBACK_BYTES) {
      refuse(res, channel, 413, 'callback body too large');
      return;
    }
    const headers = { ...Object.fromEntries(Object.entries(req.headers).filter(([name]) => !HOP_BY_HOP.has(name))), ...requestIdHeader() };
    let cutOff = false;
    const upstream = send(
      { protocol: target.protocol, hostname: target.hostname, port: target.port, method: 'POST', path: `/callbacks/${encodeURIComponent(channel)}`, headers, timeout: 30_000 },
      (answer) => {
        res.status(answer.statusCode ?? 502);
        for (const [name, value] of Object.entries(answer.headers)) if (value !== undefined && !HOP_BY_HOP.has(name)) res.setHeader(name, value);
        answer.pipe(res);
      },
    );
    upstream.on('timeout', () => upstream.destroy(new Error('payment subgraph did not answer the callback in time')));
    upstream.on('error', () => {
      if (cutOff) return;
      if (!res.headersSent) refuse(res, channel, 502, 'callback could not be delivered');
      else res.destroy();
    });
    let received = 0;
    // Registered before the pipe, so it sees each chunk first; what follows the cut is read and dropped.
    req.on('data', (chunk: Buffer) => {
      received += chunk.length;
      if (cutOff || received <= MAX_CALLBACK_BYTES) return;
      cutOff = true;
      req.unpipe(upstream);
      // unpipe pauses the request: left paused, the sender would never finish writing (nor read the refusal)
      req.resume();
      upstream.destroy();
      if (!res.headersSent) refuse(res, channel, 413, 'callback body too large');
    });
    req.pipe(upstream);
  };
}

function refuse(res: Response, channel: string, status: number, message: string): void {
  const refusal = callbackRefusal(channel, status, message);
  res.status(refusal.status).type(refusal.contentType).send(refusal.body);
}
