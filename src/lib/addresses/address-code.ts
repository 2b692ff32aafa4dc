/**
 * The stable code of a standard address, printed on its door plate and encoded in its QR code:
 * the district's 6-digit code, a serial from the database's address sequence in Crockford base 32
 * (5 symbols, more when the serial outgrows them) and one check symbol, e.g. `350203-00013-8`.
 *
 * The check symbol is Crockford's (https://www.crockford.com/base32.html): the whole code read as a
 * base-32 number (decimal digits are base-32 symbols too), modulo 37, written with the 32 symbols
 * plus `*~$=U`. Because 37 is prime and larger than 32, it catches every single mistyped symbol and
 * every swap of two neighbours. Codes are derived from the serial only, so they never change and,
 * since the sequence never goes back, are never reused.
 */

const SYMBOLS = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const CHECK_SYMBOLS = `${SYMBOLS}*~$=U`;
const SERIAL_WIDTH = 5;

export interface AddressCode {
	districtCode: string;
	serial: number;
}

export type AddressCodeProblem = 'MALFORMED' | 'CHECK_MISMATCH';

export class AddressCodeError extends Error {
	constructor(
		readonly code: AddressCodeProblem,
		message: string
	) {
		super(message);
	}
}

function checkSymbol(symbols: string): string {
	let remainder = 0;
	for (const symbol of symbols) remainder = (remainder * 32 + SYMBOLS.indexOf(symbol)) % 37;
	return CHECK_SYMBOLS[remainder];
}

/**
 * @param districtCode the 6-digit district code
 * @param serial a positive whole number from the address sequence
 * @returns the printed code
 * @example encodeAddressCode('350203', 35) === '350203-00013-8'
 */
export function encodeAddressCode(districtCode: string, serial: number): string {
	if (!/^\d{6}$/.test(districtCode)) throw new Error('districtCode must be 6 digits');
	if (!Number.isSafeInteger(serial) || serial < 1) throw new Error('serial must be a positive whole number');
	const base32 = serial.toString(32).toUpperCase();
	let body = '';
	// Number.toString(32) writes 0-9A-V; map each digit value onto Crockford's symbols.
	for (const digit of base32) body += SYMBOLS[parseInt(digit, 32)];
	body = body.padStart(SERIAL_WIDTH, '0');
	return `${districtCode}-${body}-${checkSymbol(districtCode + body)}`;
}

/**
 * Reads a code as a person may type it: any case, with or without the hyphens, `O` for 0 and `I`
 * or `L` for 1 (Crockford's reading rules).
 * @throws AddressCodeError MALFORMED when it is not shaped like a code, CHECK_MISMATCH on a typo
 * @example decodeAddressCode('350203000138') → { districtCode: '350203', serial: 35 }
 */
export function decodeAddressCode(text: string): AddressCode {
	const cleaned = text.trim().toUpperCase().replace(/-/g, '').replace(/O/g, '0').replace(/[IL]/g, '1');
	const match = /^(\d{6})([0-9A-HJKMNP-TV-Z]{5,11})([0-9A-HJKMNP-TV-Z*~$=U])$/.exec(cleaned);
	if (!match) throw new AddressCodeError('MALFORMED', `"${text}" is not an address code like 350203-00013-8`);
	const [, districtCode, body, check] = match;
	if (checkSymbol(districtCode + body) !== check)
		throw new AddressCodeError(
			'CHECK_MISMATCH',
			`"${text}" has a wrong check symbol: a character is mistyped`
		);
	let serial = 0;
	for (const symbol of body) serial = serial * 32 + SYMBOLS.indexOf(symbol);
	if (serial < 1 || !Number.isSafeInteger(serial))
		throw new AddressCodeError('MALFORMED', `"${text}" has no valid serial`);
	return { districtCode, serial };
}

/** The code in its printed form, or null when it is not a valid code (for route matchers). */
export function normaliseAddressCode(text: string): string | null {
	try {
		const { districtCode, serial } = decodeAddressCode(text);
		return encodeAddressCode(districtCode, serial);
	} catch {
		return null;
	}
}
