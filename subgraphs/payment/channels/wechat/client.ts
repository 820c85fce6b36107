import { createHash } from 'node:crypto';
import { z } from 'zod';
import { httpRequest, type HttpAnswer } from '../../../../lib/http-request.js';
import { authorizationHeader, verifyPlatformSignature, type MerchantSigner, type PlatformVerifier } from './signature.js';

/**
 * A refusal or failure of WeChat Pay: `status` 0 when there was no trustworthy answer (unreachable, timed out,
 * or an answer without a valid platform signature), else the HTTP status with the v3 error `code`.
 */
export class WechatPayError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'WechatPayError';
  }
}

export interface WechatPayClientOptions {
  /** https://api.mch.weixin.qq.com in production, the simulator in sandbox */
  baseUrl: string;
  merchant: MerchantSigner;
  platform: PlatformVerifier;
  /** per request; default 10 s */
  timeoutMs?: number;
  nowSeconds?: () => number;
}

const errorSchema = z.object({ code: z.string(), message: z.string().optional() });

/** Calls API v3: every request signed, every answer's platform signature verified before it is read. */
export class WechatPayClient {
  readonly baseUrl: string;

  constructor(private readonly options: WechatPayClientOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
  }

  get mchid(): string {
    return this.options.merchant.mchid;
  }

  /** Returns the verified JSON answer (undefined for 204), or throws a WechatPayError. */
  async call<T>(method: 'GET' | 'POST', path: string, schema: z.ZodType<T>, body?: unknown): Promise<T> {
    const url = new URL(`${this.baseUrl}${path}`);
    const text = body === undefined ? '' : JSON.stringify(body);
    const where = `${method} ${url.pathname}`;
    const headers: Record<string, string> = {
      Accept: 'application/json',
      Authorization: authorizationHeader(this.options.merchant, { method, url: `${url.pathname}${url.search}`, body: text }),
    };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    let answer: HttpAnswer;
    try {
      answer = await httpRequest(url.href, { method, headers, ...(body === undefined ? {} : { body: text }), timeoutMs: this.options.timeoutMs ?? 10_000 });
    } catch (cause) {
      const timedOut = cause instanceof DOMException && cause.name === 'TimeoutError';
      throw new WechatPayError(0, timedOut ? 'TIMEOUT' : 'NETWORK_ERROR', `WeChat Pay unreachable on ${where}`, { cause });
    }
    // A refused signature is answered unsigned: nothing else is trusted without the platform's signature.
    if (answer.status === 401) throw this.refusal(answer, where);
    const check = verifyPlatformSignature(this.options.platform, answer.headers, answer.body, this.options.nowSeconds?.());
    if (!check.ok) throw new WechatPayError(0, 'UNVERIFIED_RESPONSE', `WeChat Pay answer to ${where} failed verification: ${check.reason}`);
    if (answer.status < 200 || answer.status > 299) throw this.refusal(answer, where);
    const payload = answer.status === 204 ? undefined : parseJson(answer.body);
    const parsed = schema.safeParse(payload);
    if (!parsed.success) throw new WechatPayError(0, 'UNEXPECTED_RESPONSE', `WeChat Pay sent an unexpected answer to ${where}`);
    return parsed.data;
  }

  /**
   * Downloads a bill from a download_url this provider gave: a signed GET whose answer is not signed; its
   * integrity is the SHA1 given with the URL, checked here before anything is read.
   */
  async download(downloadUrl: string, sha1: string): Promise<Buffer> {
    const url = new URL(downloadUrl);
    if (url.origin !== new URL(this.baseUrl).origin) {
      throw new WechatPayError(0, 'UNEXPECTED_RESPONSE', `download_url ${url.origin} is not WeChat Pay's host`);
    }
    const authorization = authorizationHeader(this.options.merchant, { method: 'GET', url: `${url.pathname}${url.search}`, body: '' });
    let response: Response;
    let file: Buffer;
    try {
      response = await fetch(url, { headers: { Authorization: authorization }, signal: AbortSignal.timeout(this.options.timeoutMs ?? 10_000) });
      file = Buffer.from(await response.arrayBuffer());
    } catch (cause) {
      throw new WechatPayError(0, 'NETWORK_ERROR', 'WeChat Pay unreachable on the bill download', { cause });
    }
    if (!response.ok) {
      const code = errorSchema.safeParse(parseJson(file.toString('utf8'))).data?.code ?? 'UNKNOWN';
      throw new WechatPayError(response.status, code, `WeChat Pay answered ${response.status} ${code} to the bill download`);
    }
    const actual = createHash('sha1').update(file).digest('hex');
    if (actual !== sha1.toLowerCase()) {
      throw new WechatPayError(0, 'HASH_MISMATCH', `the bill's SHA1 ${actual} is not the ${sha1} WeChat Pay announced`);
    }
    return file;
  }

  private refusal(answer: HttpAnswer, where: string): WechatPayError {
    const error = errorSchema.safeParse(parseJson(answer.body)).data;
    const code = error?.code ?? 'UNKNOWN';
    return new WechatPayError(answer.status, code, `WeChat Pay answered ${answer.status} ${code} to ${where}${error?.message ? `: ${error.message}` : ''}`);
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
