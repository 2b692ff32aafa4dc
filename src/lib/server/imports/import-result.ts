/**
 * Result shape shared by the geo importers: the pure parsers return what they could read and,
 * for everything else, where it is in the file and why it was refused, so an operator can fix it.
 */

export interface Rejected {
	/**
	 * Where the problem is: for CSV the physical line number in the file (header = line 1, first data
	 * row = line 2); for GeoJSON and Shapefile the 1-based feature number; 0 for the whole file.
	 */
	row: number;
	/** A short English sentence naming the field and the problem, e.g. `lon "abc" is not a number`. */
	reason: string;
}

export interface ParseResult<T> {
	accepted: T[];
	rejected: Rejected[];
}

export type RegionLevel = 'district' | 'street' | 'community';

const LEVEL_BY_LENGTH: Record<number, RegionLevel> = { 6: 'district', 9: 'street', 12: 'community' };

/**
 * Normalises a statistical region code: trims it and drops the zero padding that some sources add
 * to reach 12 digits ('350203010000' → street '350203010', '350203000000' → district '350203').
 * Returns null when the result is not a 6-, 9- or 12-digit code.
 */
export function normaliseRegionCode(raw: string): { code: string; level: RegionLevel } | null {
	let code = raw.trim();
	if (!/^\d+$/.test(code)) return null;
	if (code.length === 12 && code.endsWith('000000')) code = code.slice(0, 6);
	else if (code.length === 12 && code.endsWith('000')) code = code.slice(0, 9);
	const level = LEVEL_BY_LENGTH[code.length];
	return level ? { code, level } : null;
}
