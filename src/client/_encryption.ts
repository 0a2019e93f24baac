/**
 * The plug-in contract between the client and the `./encryption` subpath. Type-only, so the client never
 * pulls the cipher in by itself.
 *
 * @module
 */

/**
 * End-to-end encryption for `private-encrypted-*` channels, as `encryption` from the `./encryption` subpath
 * implements it. The client calls it only after it has checked the channel and the master key.
 */
export interface EncryptionProvider {
  /**
   * Encrypts `JSON.stringify(data)` for `channel` and returns the event `data` string
   * `{"nonce":"…","ciphertext":"…"}`.
   */
  encrypt(channel: string, data: unknown, masterKey: Uint8Array): Promise<string>;
  /** Decrypts an event `data` string for `channel` and returns the plaintext (a JSON text for Node senders). */
  decrypt(channel: string, data: string, masterKey: Uint8Array): Promise<string>;
}
