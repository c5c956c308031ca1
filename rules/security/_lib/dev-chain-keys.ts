/**
 * The accounts of local development blockchains: Hardhat and Anvil (Foundry) fund the first accounts of the
 * mnemonic `test test … junk`, Ganache's `--deterministic` mode those of `myth like bonus scare …`. Their private
 * keys are printed by the tools at every start and copied into every tutorial, deploy script and `.env` of a dApp
 * that runs against a local chain: they belong to everybody, and whatever reaches them on a public chain is swept
 * by bots within seconds. A key in the repository that is one of them opens nothing of the project's.
 *
 * The keys are derived here from the published mnemonics (BIP-39 seed, BIP-32 path `m/44'/60'/0'/0/i`, the one
 * Ethereum wallets use) rather than pasted, so the list says where it comes from and cannot hold a typo. Node's
 * crypto has every piece (PBKDF2, HMAC-SHA512, secp256k1), and the work is done once, only when a value of the
 * right shape (64 hex digits) is met.
 */
import { createECDH, createHmac, pbkdf2Sync } from 'node:crypto';

/** The mnemonics local chains document as their default accounts. */
const DEV_CHAIN_MNEMONICS = [
  // Hardhat Network and Anvil.
  'test test test test test test test test test test test junk',
  // Ganache with --deterministic (and ganache-cli -d).
  'myth like bonus scare over problem client lizard pioneer submit female collect',
];
/** Hardhat funds 20 accounts, Anvil and Ganache 10; a few more for configs that ask for more. */
const ACCOUNTS_PER_MNEMONIC = 30;

/** The order of secp256k1's group: a child key is taken modulo it. */
const CURVE_ORDER = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;
const HARDENED = 0x80000000;

const KEY_SHAPE = /^(?:0x)?[0-9a-f]{64}$/i;

let devChainKeys: ReadonlySet<string> | undefined;

/** Is the value (64 hex digits, with or without `0x`) the private key of a local chain's default account? */
export function isDevChainKey(value: string): boolean {
  if (!KEY_SHAPE.test(value)) return false;
  devChainKeys ??= new Set(DEV_CHAIN_MNEMONICS.flatMap((mnemonic) => accountKeys(mnemonic, ACCOUNTS_PER_MNEMONIC)));
  return devChainKeys.has(value.replace(/^0x/i, '').toLowerCase());
}

/** The private keys of the first `count` accounts of `m/44'/60'/0'/0/i` for a mnemonic (no passphrase). */
function accountKeys(mnemonic: string, count: number): string[] {
  const seed = pbkdf2Sync(mnemonic.normalize('NFKD'), 'mnemonic', 2048, 64, 'sha512');
  const master = createHmac('sha512', 'Bitcoin seed').update(seed).digest();
  let node: ExtendedKey = { key: master.subarray(0, 32), chain: master.subarray(32) };
  for (const index of [44 + HARDENED, 60 + HARDENED, HARDENED, 0]) node = childOf(node, index);
  return Array.from({ length: count }, (_, index) => childOf(node, index).key.toString('hex'));
}

interface ExtendedKey {
  key: Buffer;
  chain: Buffer;
}

/** BIP-32 private child derivation: hardened children hash the parent's private key, normal ones its public key. */
function childOf(parent: ExtendedKey, index: number): ExtendedKey {
  const serialIndex = Buffer.alloc(4);
  serialIndex.writeUInt32BE(index >>> 0);
  let data: Buffer;
  if (index >= HARDENED) data = Buffer.concat([Buffer.alloc(1), parent.key, serialIndex]);
  else {
    const curve = createECDH('secp256k1');
    curve.setPrivateKey(parent.key);
    data = Buffer.concat([curve.getPublicKey(null, 'compressed'), serialIndex]);
  }
  const digest = createHmac('sha512', parent.chain).update(data).digest();
  const key = (toBigInt(digest.subarray(0, 32)) + toBigInt(parent.key)) % CURVE_ORDER;
  return { key: Buffer.from(key.toString(16).padStart(64, '0'), 'hex'), chain: digest.subarray(32) };
}

function toBigInt(bytes: Buffer): bigint {
  return BigInt(`0x${bytes.toString('hex')}`);
}
