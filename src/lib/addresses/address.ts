/**
 * A standard address as the pages, the API and the exports see it. Addresses carry no personal data:
 * nothing here says who lives there, and the public page (routes/a/[code]) shows only this.
 */
import type { Feature, FeatureCollection, Point } from 'geojson';
import { csvLine } from '../geo/tabular-rows';

export interface StandardAddress {
	id: number;
	code: string;
	externalId: string;
	roadName: string;
	placeNameId: number | null;
	houseNumber: string;
	building: string | null;
	unit: string | null;
	standardName: string;
	/** The road's pinyin, and the whole address's (road, number, building and unit). */
	roadPinyin: string;
	pinyin: string;
	pinyinSource: 'computed' | 'imported';
	regionCode: string | null;
	/** [lon, lat], WGS-84. */
	position: [number, number];
	status: 'active' | 'retired';
}

const COLUMNS = [
	'code',
	'external_id',
	'road_name',
	'house_number',
	'building',
	'unit',
	'standard_name',
	'road_pinyin',
	'pinyin',
	'region_code',
	'place_name_id',
	'lon',
	'lat',
	'status'
] as const;

/** Addresses as CSV, in the columns the importer reads back (plus code, name and region). */
export function addressesCsv(addresses: StandardAddress[]): string {
	const lines = addresses.map((a) =>
		csvLine([
			a.code,
			a.externalId,
			a.roadName,
			a.houseNumber,
			a.building,
			a.unit,
			a.standardName,
			a.roadPinyin,
			a.pinyin,
			a.regionCode,
			a.placeNameId,
			a.position[0],
			a.position[1],
			a.status
		])
	);
	return [COLUMNS.join(','), ...lines].join('\r\n') + '\r\n';
}

/** Addresses as GeoJSON points whose properties the importer reads back. */
export function addressesGeoJson(addresses: StandardAddress[]): FeatureCollection<Point> {
	return {
		type: 'FeatureCollection',
		features: addresses.map((a): Feature<Point> => ({
			type: 'Feature',
			id: a.code,
			geometry: { type: 'Point', coordinates: a.position },
			properties: {
				code: a.code,
				external_id: a.externalId,
				road_name: a.roadName,
				house_number: a.houseNumber,
				building: a.building,
				unit: a.unit,
				standard_name: a.standardName,
				road_pinyin: a.roadPinyin,
				pinyin: a.pinyin,
				region_code: a.regionCode,
				place_name_id: a.placeNameId,
				status: a.status
			}
		}))
	};
}
