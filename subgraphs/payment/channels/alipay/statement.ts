import { ChannelError, type StatementLine } from '../channel.js';
import { BillFormatError, parseTradeBill } from './bill.js';
import { readZip } from './zip.js';

/**
 * Downloads the bill archive from Alipay's bill_download_url (valid for 30 seconds, no signature: the
 * URL carries its own token), checks it (zip CRC-32, then the detail file's own totals) and parses the
 * detail file. An archive that is damaged or inconsistent is refused, never half read.
 */
export async function downloadTradeBill(url: string): Promise<StatementLine[]> {
  let archive: Buffer;
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(30_000) });
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    archive = Buffer.from(await response.arrayBuffer());
  } catch (error) {
    throw new ChannelError('PROVIDER_UNAVAILABLE', `alipay bill download: ${error instanceof Error ? error.message : String(error)}`);
  }
  try {
    const detail = readZip(archive).find((entry) => entry.name.endsWith('_业务明细.csv'));
    if (!detail) throw new BillFormatError('the archive has no 业务明细 file');
    return parseTradeBill(new TextDecoder('gbk', { fatal: true }).decode(detail.data));
  } catch (error) {
    throw new ChannelError('PROVIDER_REJECTED', `alipay bill: ${error instanceof Error ? error.message : String(error)}`);
  }
}
