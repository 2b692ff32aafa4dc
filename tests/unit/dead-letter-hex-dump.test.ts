import { describe, expect, it } from 'vitest';
import { fromHex, hexDump } from '../../src/routes/admin/dead-letters/hex-dump';

describe('hexDump', () => {
	it('shows 16 bytes a line with their offset, hex and printable ASCII', () => {
		const bytes = new Uint8Array([...Buffer.from('{"v":1,"type":"fall"}'), 0x00, 0xff]);
		expect(hexDump(bytes)).toEqual([
			{
				offset: '00000000',
				hex: '7b 22 76 22 3a 31 2c 22 74 79 70 65 22 3a 22 66',
				ascii: '{"v":1,"type":"f'
			},
			{ offset: '00000010', hex: '61 6c 6c 22 7d 00 ff', ascii: 'all"}..' }
		]);
	});

	it('reads back the hex the page carries', () => {
		expect([...fromHex('00ff7b')]).toEqual([0, 255, 123]);
		expect(fromHex('')).toHaveLength(0);
	});
});
