/**
 * How a standard address is written: road + number (号) + building (幢) + unit (单元), in Chinese and
 * in pinyin. The road's pinyin comes from the gazetteer's rules or from the import file; the generic
 * parts are added here, each written separately with a capital initial (GB/T 16159).
 */

export interface AddressParts {
	roadName: string;
	houseNumber: string;
	building?: string | null;
	unit?: string | null;
}

const strip = (text: string, suffix: string) =>
	text.endsWith(suffix) ? text.slice(0, -suffix.length) : text;

/**
 * @example standardAddressName({ roadName: '思明南路', houseNumber: '123', building: '3', unit: '2' })
 *   === '思明南路123号3幢2单元'
 */
export function standardAddressName(parts: AddressParts): string {
	let name = `${parts.roadName}${strip(parts.houseNumber, '号')}号`;
	if (parts.building) name += `${strip(parts.building, '幢')}幢`;
	if (parts.unit) name += `${strip(parts.unit, '单元')}单元`;
	return name;
}

/**
 * @example addressPinyin('Siming Nanlu', { roadName: '思明南路', houseNumber: '123', building: '3' })
 *   === 'Siming Nanlu 123 Hao 3 Zhuang'
 */
export function addressPinyin(roadPinyin: string, parts: AddressParts): string {
	let text = `${roadPinyin.trim()} ${strip(parts.houseNumber, '号')} Hao`;
	if (parts.building) text += ` ${strip(parts.building, '幢')} Zhuang`;
	if (parts.unit) text += ` ${strip(parts.unit, '单元')} Danyuan`;
	return text;
}
