/**
 * QR codes for door plates: each encodes the address's public page, `${origin}/a/{code}`, as an SVG
 * that prints sharply at any size (a plate's code is 120 × 120 mm, standards.md).
 */
import QRCode from 'qrcode';
import type { StandardAddress } from '../../addresses/address';

/** The URL a door plate's QR code opens. */
export function addressPageUrl(origin: string, code: string): string {
	return `${origin.replace(/\/+$/, '')}/a/${encodeURIComponent(code)}`;
}

/** An SVG QR code of the URL, error correction M (a plate outdoors gets dirty). */
export function qrSvg(url: string): Promise<string> {
	return QRCode.toString(url, { type: 'svg', errorCorrectionLevel: 'M', margin: 1 });
}

export interface DoorPlate {
	code: string;
	standardName: string;
	pinyin: string;
	roadName: string;
	roadPinyin: string;
	number: string;
	url: string;
	qrSvg: string;
}

export async function doorPlates(origin: string, addresses: StandardAddress[]): Promise<DoorPlate[]> {
	return Promise.all(
		addresses.map(async (address) => {
			const url = addressPageUrl(origin, address.code);
			return {
				code: address.code,
				standardName: address.standardName,
				pinyin: address.pinyin,
				roadName: address.roadName,
				roadPinyin: address.roadPinyin,
				number: address.standardName.slice(address.roadName.length),
				url,
				qrSvg: await qrSvg(url)
			};
		})
	);
}
