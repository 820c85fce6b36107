import { AlipaySdk } from 'alipay-sdk';
import { ChannelError } from '../channel.js';

export interface AlipayClientOptions {
  gatewayUrl: string;
  appId: string;
  /** PKCS#8 PEM */
  privateKey: string;
  /** SPKI PEM */
  alipayPublicKey: string;
  /** per request; default 10 s */
  timeoutMs?: number;
}

/** The body of a gateway answer (`<method>_response`): code 10000 is success, others carry a sub_code. */
export interface AlipayAnswer {
  code: string;
  msg: string;
  sub_code?: string;
  sub_msg?: string;
  [field: string]: unknown;
}

/**
 * Alipay's OpenAPI gateway through the official SDK: every request form signed RSA2 with our key, every
 * answer's `sign` verified with Alipay's public key. An answer that does not arrive, or does not verify,
 * is PROVIDER_UNAVAILABLE: nothing is known of what Alipay did.
 */
export class AlipayClient {
  readonly sdk: AlipaySdk;

  constructor(readonly options: AlipayClientOptions) {
    this.sdk = new AlipaySdk({
      appId: options.appId,
      privateKey: options.privateKey,
      keyType: 'PKCS8',
      signType: 'RSA2',
      alipayPublicKey: options.alipayPublicKey,
      gateway: options.gatewayUrl,
      timeout: options.timeoutMs ?? 10_000,
      camelcase: false,
    });
  }

  async call(method: string, bizContent: Record<string, unknown>, common: { notify_url?: string } = {}): Promise<AlipayAnswer> {
    let answer: unknown;
    try {
      answer = await this.sdk.exec(method, { bizContent, ...common }, { validateSign: true });
    } catch (error) {
      // the SDK's messages quote the raw answer; the class and the first line are enough here
      const reason = error instanceof Error ? error.message.split('\n')[0]!.slice(0, 200) : 'unknown error';
      throw new ChannelError('PROVIDER_UNAVAILABLE', `alipay ${method}: ${reason}`);
    }
    const body = answer as Partial<AlipayAnswer> | null;
    if (!body || typeof body.code !== 'string') throw new ChannelError('PROVIDER_UNAVAILABLE', `alipay ${method}: an answer without a code`);
    return body as AlipayAnswer;
  }
}

export const SUCCESS = '10000';
/** "service currently unavailable": the outcome is unknown; the same request may be sent again */
export const UNKNOWN = '20000';
/** a business refusal; sub_code says which */
export const BUSINESS_FAILURE = '40004';

/** An answer that is neither success nor a business refusal: a fault of ours (40001-40006) or Alipay's (20000). */
export function gatewayError(method: string, answer: AlipayAnswer): ChannelError {
  const code = answer.code === UNKNOWN || answer.sub_code === 'ACQ.SYSTEM_ERROR' ? 'PROVIDER_UNAVAILABLE' : 'PROVIDER_REJECTED';
  return new ChannelError(code, `alipay ${method}: ${answer.code} ${answer.sub_code ?? answer.msg}`);
}
