import type { PaymentChannel } from '../../subgraphs/payment/entities/Payment.js';
import { Random, weighted, Weighted } from './random.js';

/** Where a merchant sells: its customers' clock, its card currencies and the wallets its customers use. */
export interface Region {
  name: 'americas' | 'europe' | 'china' | 'japan';
  /** local time = UTC + this many hours (the day's rhythm follows it) */
  utcOffsetHours: number;
  /** share of the merchants */
  share: number;
  cardCurrencies: Record<string, number>;
  products: readonly string[];
}

export const regions: readonly Region[] = [
  { name: 'americas', utcOffsetHours: -5, share: 0.32, cardCurrencies: { USD: 0.9, CAD: 0.1 }, products: ['Sneakers', 'Coffee beans', 'Headphones', 'Yoga mat', 'Gift card', 'Phone case'] },
  { name: 'europe', utcOffsetHours: 1, share: 0.24, cardCurrencies: { EUR: 0.62, GBP: 0.3, CHF: 0.08 }, products: ['Train ticket', 'Wool scarf', 'Espresso machine', 'Museum pass', 'Novel', 'Bicycle lamp'] },
  { name: 'china', utcOffsetHours: 8, share: 0.34, cardCurrencies: { USD: 0.7, HKD: 0.3 }, products: ['Oolong tea', 'Milk tea', 'Mooncakes', 'Phone charger', 'Cinema ticket', 'Dumplings'] },
  { name: 'japan', utcOffsetHours: 9, share: 0.1, cardCurrencies: { JPY: 1 }, products: ['Bento', 'Manga volume', 'Rail pass', 'Matcha', 'Umbrella', 'Ramen kit'] },
];

/** The typical ticket in each currency, in major units: amounts are spread log-normally around it. */
export const medianTicket: Record<string, number> = { USD: 45, CAD: 55, EUR: 40, GBP: 35, CHF: 50, HKD: 300, JPY: 4500, CNY: 120 };

export interface MerchantProfile {
  id: string;
  name: string;
  createdAt: Date;
  region: Region;
  /** relative number of payments (a few large merchants, many small ones) */
  size: number;
  channels: Weighted<PaymentChannel>;
  cardCurrencies: Weighted<string>;
  /** this merchant's tickets relative to its currency's median (a jeweller's are larger than a tea shop's) */
  ticketScale: number;
}

const firstWords = ['Golden', 'Blue', 'Northern', 'Lucky', 'Little', 'Silver', 'Jade', 'Urban', 'Harbor', 'Maple', 'Sakura', 'Lotus', 'Cedar', 'Amber', 'Quiet'];
const secondWords = ['Tea House', 'Outfitters', 'Books', 'Electronics', 'Bakery', 'Travel', 'Market', 'Studio', 'Pharmacy', 'Games', 'Kitchen', 'Florist', 'Cycles', 'Optics'];

/** Chinese merchants take wallets (some cards from abroad too); a tenth of the others take wallets from Chinese visitors. */
function channelMix(random: Random, region: Region): Record<PaymentChannel, number> {
  if (region.name === 'china') {
    return random.pick([
      { CARD: 0, ALIPAY: 0.55, WECHAT_PAY: 0.45 },
      { CARD: 0, ALIPAY: 0.55, WECHAT_PAY: 0.45 },
      { CARD: 0, ALIPAY: 0.55, WECHAT_PAY: 0.45 },
      { CARD: 0, ALIPAY: 1, WECHAT_PAY: 0 },
      { CARD: 0, ALIPAY: 0, WECHAT_PAY: 1 },
      { CARD: 0.3, ALIPAY: 0.4, WECHAT_PAY: 0.3 },
    ]);
  }
  return random.chance(0.1) ? { CARD: 0.85, ALIPAY: 0.1, WECHAT_PAY: 0.05 } : { CARD: 1, ALIPAY: 0, WECHAT_PAY: 0 };
}

/** `count` merchants, created before `since`, sized by Zipf's law (the k-th largest sells about 1/k of the largest). */
export function generateMerchants(random: Random, count: number, since: Date): MerchantProfile[] {
  const byShare = new Weighted(regions, regions.map((r) => r.share));
  const merchants: MerchantProfile[] = [];
  for (let rank = 1; rank <= count; rank++) {
    const region = byShare.draw(random);
    const createdAt = new Date(since.getTime() - random.between(1, 400) * 86_400_000 - random.below(86_400_000));
    const mix = channelMix(random, region);
    const channels = (Object.keys(mix) as PaymentChannel[]).filter((channel) => mix[channel] > 0);
    merchants.push({
      id: random.id('mer', createdAt.getTime()),
      name: `${random.pick(firstWords)} ${random.pick(secondWords)} ${rank}`,
      createdAt,
      region,
      size: 1 / rank ** 1.07,
      channels: new Weighted(channels, channels.map((channel) => mix[channel])),
      cardCurrencies: weighted(region.cardCurrencies),
      ticketScale: random.logNormal(1, 0.5),
    });
  }
  return merchants;
}
