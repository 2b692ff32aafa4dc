import { describe, expect, it } from 'vitest';
import {
	AddressCodeError,
	decodeAddressCode,
	encodeAddressCode,
	normaliseAddressCode
} from '../../src/lib/addresses/address-code';

function problemOf(text: string): string | null {
	try {
		decodeAddressCode(text);
		return null;
	} catch (failure) {
		return failure instanceof AddressCodeError ? failure.code : 'other';
	}
}

describe('address codes', () => {
	it('writes the district, a five-symbol base-32 serial and a check symbol', () => {
		expect(encodeAddressCode('350203', 1)).toBe('350203-00001-B');
		expect(encodeAddressCode('350203', 35)).toBe('350203-00013-8');
	});

	it('reads back every serial it wrote, from 1 to past five symbols', () => {
		for (const serial of [1, 2, 31, 32, 1023, 1024, 33_554_431, 33_554_432, 2 ** 40]) {
			expect(decodeAddressCode(encodeAddressCode('350203', serial))).toEqual({
				districtCode: '350203',
				serial
			});
		}
	});

	it('reads a code typed in lower case, without hyphens, with O for 0 and l for 1', () => {
		expect(decodeAddressCode('350203-0oo13-8')).toEqual({ districtCode: '350203', serial: 35 });
		expect(decodeAddressCode('3502O30OOl38')).toEqual({ districtCode: '350203', serial: 35 });
		expect(normaliseAddressCode('35020300013 8'.replace(' ', ''))).toBe('350203-00013-8');
	});

	it('catches every single mistyped symbol of a code', () => {
		const code = encodeAddressCode('350203', 4711).replace(/-/g, '');
		const symbols = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
		let tried = 0;
		for (let i = 0; i < code.length - 1; i++) {
			for (const symbol of i < 6 ? '0123456789' : symbols) {
				if (symbol === code[i]) continue;
				const typo = code.slice(0, i) + symbol + code.slice(i + 1);
				expect(problemOf(typo), typo).toBe('CHECK_MISMATCH');
				tried++;
			}
		}
		expect(tried).toBeGreaterThan(100);
	});

	it('catches two neighbouring symbols swapped', () => {
		const code = encodeAddressCode('350203', 987_654).replace(/-/g, '');
		for (let i = 0; i < code.length - 2; i++) {
			if (code[i] === code[i + 1]) continue;
			const swapped = code.slice(0, i) + code[i + 1] + code[i] + code.slice(i + 2);
			expect(problemOf(swapped), swapped).toBe('CHECK_MISMATCH');
		}
	});

	it('refuses text that is not shaped like a code', () => {
		expect(problemOf('35020-00013-8')).toBe('MALFORMED');
		expect(problemOf('350203-0001')).toBe('MALFORMED');
		expect(() => encodeAddressCode('350203', 0)).toThrow('serial');
		expect(normaliseAddressCode('hello')).toBeNull();
	});
});
