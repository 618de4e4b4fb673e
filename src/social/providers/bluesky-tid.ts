import { createHash } from 'node:crypto';

// Bluesky post record keys are TIDs: a 64-bit number (top bit zero) written as 13 characters of base32-sortable.
// The key of a publication is derived from its idempotency key, so every attempt writes to the same record key
// and a second attempt can neither make a second post nor miss the first one when looking it up.

const ALPHABET = '234567abcdefghijklmnopqrstuvwxyz';
const TID_PATTERN = /^[234567abcdefghij][234567abcdefghijklmnopqrstuvwxyz]{12}$/;

export function encodeTid(value: bigint): string {
  let rest = value & ((1n << 63n) - 1n);
  let out = '';
  for (let i = 0; i < 13; i++) {
    out = ALPHABET[Number(rest & 31n)]! + out;
    rest >>= 5n;
  }
  return out;
}

/** The same valid TID for the same key, every time. */
export function tidFromKey(key: string): string {
  return encodeTid(createHash('sha256').update(key, 'utf8').digest().readBigUInt64BE(0));
}

export const isTid = (value: string): boolean => TID_PATTERN.test(value);
