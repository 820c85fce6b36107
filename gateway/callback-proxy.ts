import { request } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { RequestHandler } from 'express';

const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'upgrade', 'proxy-connection', 'te', 'trailer', 'host']);
const MAX_CALLBACK_BYTES = 256 * 1024;

/**
 * Providers' notifications reach the payment subgraph through the gateway's public host:
 * POST /callbacks/<channel> is passed on byte for byte (providers sign the exact body and headers),
 * and the payment subgraph's answer (the provider's own format) goes back unchanged. No API key:
 * the payment subgraph authenticates each notification by its provider signature.
 */
export function callbackProxy(paymentUrl: string): RequestHandler {
  const target = new URL(paymentUrl);
  const send = target.protocol === 'https:' ? httpsRequest : request;
  return (req, res) => {
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > MAX_CALLBACK_BYTES) {
      res.status(413).send('callback body too large');
      return;
    }
    const headers = Object.fromEntries(Object.entries(req.headers).filter(([name]) => !HOP_BY_HOP.has(name)));
    const upstream = send(
      { protocol: target.protocol, hostname: target.hostname, port: target.port, method: 'POST', path: `/callbacks/${encodeURIComponent(String(req.params['channel']))}`, headers, timeout: 30_000 },
      (answer) => {
        res.status(answer.statusCode ?? 502);
        for (const [name, value] of Object.entries(answer.headers)) if (value !== undefined && !HOP_BY_HOP.has(name)) res.setHeader(name, value);
        answer.pipe(res);
      },
    );
    upstream.on('timeout', () => upstream.destroy(new Error('payment subgraph did not answer the callback in time')));
    upstream.on('error', () => {
      if (!res.headersSent) res.status(502).send('callback could not be delivered');
      else res.destroy();
    });
    req.pipe(upstream);
  };
}
