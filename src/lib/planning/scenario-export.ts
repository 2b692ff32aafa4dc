/**
 * A saved scenario as files a planner can take elsewhere: the coverage table as CSV (one line per
 * district, street and community) and the sites and community coverage as one GeoJSON collection.
 */
import type { Feature, FeatureCollection, Geometry } from 'geojson';
import type { CoverageTableRow, SavedScenario } from './report';

const CSV_COLUMNS = [
	'level',
	'code',
	'name',
	'elderly',
	'within',
	'share',
	'uncovered',
	'off_network',
	'median_minutes',
	'nearest_facility'
];

const csvField = (value: string | number | null) => {
	const text = value === null ? '' : String(value);
	return /[",\n\r]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
};

export function scenarioCsv(scenario: SavedScenario): string {
	const bands = scenario.parameters.bandsMinutes;
	const header = CSV_COLUMNS.flatMap((c) => (c === 'within' ? bands.map((m) => `within_${m}_min`) : [c]));
	const line = (row: CoverageTableRow) =>
		[
			row.level,
			row.code,
			row.name,
			round(row.elderly),
			...row.within.map(round),
			row.share === null ? null : row.share.toFixed(4),
			round(row.uncovered),
			round(row.offNetwork),
			row.medianSeconds === null ? null : (row.medianSeconds / 60).toFixed(1),
			row.nearestFacility?.name ?? null
		]
			.map(csvField)
			.join(',');
	const { district, streets, communities } = scenario.results;
	// A byte-order mark so that spreadsheet programs read the Chinese names as UTF-8.
	return (
		'\uFEFF' +
		[header.join(','), line(district), ...streets.map(line), ...communities.map(line)].join('\r\n') +
		'\r\n'
	);
}

const round = (value: number) => Math.round(value * 100) / 100;

/** Added sites as points, and each community's coverage on its polygon (from `communityShapes`). */
export function scenarioGeoJson(
	scenario: SavedScenario,
	communityShapes: Map<string, Geometry>
): FeatureCollection {
	const sites: Feature[] = scenario.added.map((site) => ({
		type: 'Feature',
		geometry: { type: 'Point', coordinates: [site.lon, site.lat] },
		properties: { role: 'added_site', ...site }
	}));
	const communities: Feature[] = scenario.results.communities.flatMap((row) => {
		const geometry = communityShapes.get(row.code);
		return geometry
			? [
					{
						type: 'Feature' as const,
						geometry,
						properties: {
							role: 'community_coverage',
							code: row.code,
							name: row.name,
							elderly: row.elderly,
							covered: row.within[row.within.length - 1] ?? 0,
							share: row.share,
							nearestFacility: row.nearestFacility?.name ?? null
						}
					}
				]
			: [];
	});
	return {
		type: 'FeatureCollection',
		features: [...sites, ...communities],
		// Foreign members (RFC 7946 §6.1): what the scenario was.
		...{
			scenario: {
				id: scenario.id,
				name: scenario.name,
				parameters: scenario.parameters,
				removedFacilityIds: scenario.removedFacilityIds,
				siting: scenario.siting,
				district: scenario.results.district
			}
		}
	};
}
