import { z } from 'zod';
import { Aes } from 'wechatpay-axios-plugin';

/** The encrypted `resource` of an API v3 notification. */
export const encryptedResourceSchema = z.object({
  algorithm: z.literal('AEAD_AES_256_GCM'),
  ciphertext: z.string().min(1),
  nonce: z.string().min(1),
  associated_data: z.string().optional(),
  original_type: z.string(),
});
export type EncryptedResource = z.infer<typeof encryptedResourceSchema>;

/**
 * AEAD_AES_256_GCM with the APIv3 key (32 bytes): ciphertext is base64 of the encrypted bytes followed by the
 * 16-byte tag. Returns undefined when the tag does not verify (a wrong key, or anything altered).
 */
export function decryptResource(resource: EncryptedResource, apiV3Key: string): string | undefined {
  try {
    return Aes.AesGcm.decrypt(resource.ciphertext, apiV3Key, resource.nonce, resource.associated_data ?? '');
  } catch {
    return undefined;
  }
}
