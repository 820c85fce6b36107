import { fail } from '../../../lib/errors.js';
import type { CaptureMethod, PaymentChannel } from '../entities/Payment.js';

/**
 * The wallets: the payer scans a QR code and pays in one step (nothing to capture later), in yuan,
 * and an unpaid QR code expires.
 */
export const qrCodeChannels: readonly PaymentChannel[] = ['ALIPAY', 'WECHAT_PAY'];

export function isQrCodeChannel(channel: PaymentChannel): boolean {
  return qrCodeChannels.includes(channel);
}

export function validateChannelOptions(channel: PaymentChannel, captureMethod: CaptureMethod, currency: string): void {
  if (!isQrCodeChannel(channel)) return;
  if (captureMethod !== 'AUTOMATIC') {
    throw fail.badInput('input.captureMethod', `${channel} payments are captured when the payer pays: only AUTOMATIC is possible`);
  }
  if (currency !== 'CNY') throw fail.badInput('input.amount.currency', `${channel} payments are in CNY`);
}
