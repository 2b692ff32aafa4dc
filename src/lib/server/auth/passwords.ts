/**
 * Password hashing with scrypt (memory-hard, RFC 7914) from node:crypto, so no native dependency.
 * N = 2^15, r = 8, p = 1 uses 32 MiB per hash, the OWASP password-storage baseline for scrypt.
 * The parameters are stored with each hash, so raising them later still verifies old hashes.
 */
import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

const PARAMS = { N: 2 ** 15, r: 8, p: 1 };
const KEY_LENGTH = 32;

function derive(password: string, salt: Buffer, params: typeof PARAMS): Promise<Buffer> {
	const options: ScryptOptions = { ...params, maxmem: 128 * params.N * params.r * 2 };
	return new Promise((resolve, reject) =>
		scrypt(password.normalize('NFKC'), salt, KEY_LENGTH, options, (error, key) =>
			error ? reject(error) : resolve(key)
		)
	);
}

/** `scrypt$N$r$p$salt$key` (base64url), the form stored in users.password_hash. */
export async function hashPassword(password: string): Promise<string> {
	const salt = randomBytes(16);
	const key = await derive(password, salt, PARAMS);
	return ['scrypt', PARAMS.N, PARAMS.r, PARAMS.p, salt.toString('base64url'), key.toString('base64url')].join(
		'$'
	);
}

/** Compares in constant time; a malformed stored hash never matches. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
	const [scheme, n, r, p, salt, key] = stored.split('$');
	const params = { N: Number(n), r: Number(r), p: Number(p) };
	if (scheme !== 'scrypt' || !salt || !key || !Object.values(params).every(Number.isSafeInteger))
		return false;
	const expected = Buffer.from(key, 'base64url');
	const actual = await derive(password, Buffer.from(salt, 'base64url'), params);
	return expected.length === actual.length && timingSafeEqual(expected, actual);
}

/** A password for generated accounts: 18 random bytes, 24 URL-safe characters. */
export function generatePassword(): string {
	return randomBytes(18).toString('base64url');
}

/** The rule a chosen password must meet (length over composition, as NIST SP 800-63B advises). */
export const MIN_PASSWORD_LENGTH = 10;
