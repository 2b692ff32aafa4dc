/**
 * Device MQTT passwords, stored only as scrypt hashes (memory-hard, node:crypto) and compared in
 * constant time. Format: scrypt$N$r$p$saltBase64$hashBase64.
 */
import {
	pbkdf2Sync,
	randomBytes,
	scrypt as scryptCallback,
	timingSafeEqual,
	type ScryptOptions
} from 'node:crypto';

const scrypt = (password: string, salt: Buffer, keylen: number, options: ScryptOptions) =>
	new Promise<Buffer>((resolve, reject) =>
		scryptCallback(password, salt, keylen, options, (error, key) => (error ? reject(error) : resolve(key)))
	);

/** N = 2^14, r = 8, p = 1: about 16 MiB and a few ms per check, fine for device logins. */
const PARAMS = { N: 16_384, r: 8, p: 1 };
const KEY_LENGTH = 32;

export async function hashCredential(secret: string): Promise<string> {
	const salt = randomBytes(16);
	const key = await scrypt(secret, salt, KEY_LENGTH, PARAMS);
	return ['scrypt', PARAMS.N, PARAMS.r, PARAMS.p, salt.toString('base64'), key.toString('base64')].join('$');
}

export async function verifyCredential(secret: string, stored: string): Promise<boolean> {
	const [scheme, n, r, p, salt, hash] = stored.split('$');
	if (scheme !== 'scrypt' || !salt || !hash) return false;
	const expected = Buffer.from(hash, 'base64');
	const key = await scrypt(secret, Buffer.from(salt, 'base64'), expected.length, {
		N: Number(n),
		r: Number(r),
		p: Number(p)
	});
	return timingSafeEqual(key, expected);
}

/** A fresh random device password (shown once when the device is registered). */
export function newDeviceSecret(): string {
	return randomBytes(18).toString('base64url');
}

/** Mosquitto 2's default PBKDF2 iteration count; the count is part of each hash line. */
const MOSQUITTO_ITERATIONS = 101;

/**
 * The hash of a password as Mosquitto's password file holds it: `$7$101$<salt>$<key>`, PBKDF2-HMAC-SHA512,
 * 12-byte salt, 64-byte key, both base64 (the format `mosquitto_passwd` writes).
 */
export function mosquittoHash(secret: string, salt: Buffer = randomBytes(12)): string {
	const key = pbkdf2Sync(secret, salt, MOSQUITTO_ITERATIONS, 64, 'sha512');
	return `$7$${MOSQUITTO_ITERATIONS}$${salt.toString('base64')}$${key.toString('base64')}`;
}
