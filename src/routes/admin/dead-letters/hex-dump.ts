/**
 * The bytes of a dead letter as an operator reads them: lines of 16 bytes, each with its offset, the
 * bytes in hex and the printable ASCII beside them (anything else as `.`), like `hexdump -C`.
 */
export interface HexLine {
	offset: string;
	hex: string;
	ascii: string;
}

export function hexDump(bytes: Uint8Array, width = 16): HexLine[] {
	const lines: HexLine[] = [];
	for (let at = 0; at < bytes.length; at += width) {
		const row = [...bytes.subarray(at, at + width)];
		lines.push({
			offset: at.toString(16).padStart(8, '0'),
			hex: row.map((b) => b.toString(16).padStart(2, '0')).join(' '),
			ascii: row.map((b) => (b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '.')).join('')
		});
	}
	return lines;
}

/** The bytes from a hex string, as the page's data carries them. */
export function fromHex(hex: string): Uint8Array {
	return Uint8Array.from(hex.match(/../g) ?? [], (pair) => parseInt(pair, 16));
}
