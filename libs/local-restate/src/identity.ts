import { generateKeyPairSync } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import bs58 from 'bs58';

export interface RequestIdentity {
  /** PEM file the server signs requests with (`RESTATE_WORKER__INVOKER__REQUEST_IDENTITY_PRIVATE_KEY_PEM_FILE`). */
  privateKeyPemFile: string;
  /** What endpoints verify with (`RESTATE_IDENTITY_KEYS`): `publickeyv1_` + base58 of the raw Ed25519 key. */
  publicKey: string;
}

/** A fresh Ed25519 key pair for one run: the server signs every request, the apps accept only those. */
export function generateRequestIdentity(dir: string): RequestIdentity {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const privateKeyPemFile = path.join(dir, 'request-identity.pem');
  writeFileSync(privateKeyPemFile, privateKey.export({ format: 'pem', type: 'pkcs8' }), { mode: 0o600 });
  // The DER of an Ed25519 SPKI public key ends with the 32 raw key bytes.
  const raw = publicKey.export({ format: 'der', type: 'spki' }).subarray(-32);
  return { privateKeyPemFile, publicKey: `publickeyv1_${bs58.encode(raw)}` };
}
