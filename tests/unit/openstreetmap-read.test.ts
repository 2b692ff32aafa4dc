import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { detectOsmFormat, readOsm } from '../../src/lib/server/imports/openstreetmap/read-osm';

const FIXTURES = path.resolve(import.meta.dirname, '../fixtures/openstreetmap');
const fixture = (name: string) => readFileSync(path.join(FIXTURES, name));
const MONACO = path.resolve(import.meta.dirname, '../../../shared/data/osm/monaco.osm.pbf');

describe('readOsm', () => {
	it('reads the same nodes, ways, relations and tagged nodes from the XML and the PBF fixture', () => {
		const xml = readOsm(fixture('tiny.osm'), 'xml');
		const pbf = readOsm(fixture('tiny.osm.pbf'), 'pbf');
		expect(xml.nodes.size).toBe(17);
		expect(xml.ways).toHaveLength(9);
		expect(xml.relations).toHaveLength(1);
		expect([...pbf.nodes.keys()].sort()).toEqual([...xml.nodes.keys()].sort());
		for (const [id, [lon, lat]] of xml.nodes) {
			expect(pbf.nodes.get(id)![0]).toBeCloseTo(lon, 7);
			expect(pbf.nodes.get(id)![1]).toBeCloseTo(lat, 7);
		}
		expect(pbf.ways).toEqual(xml.ways);
		expect(pbf.relations).toEqual(xml.relations);
		expect(pbf.pois).toEqual(xml.pois);
	});

	it('keeps tags of ways and of tagged nodes, Chinese names included', () => {
		const osm = readOsm(fixture('tiny.osm'), 'xml');
		expect(osm.ways.find((w) => w.id === 106)!.tags).toEqual({ route: 'ferry', name: '测试轮渡' });
		expect(osm.pois).toEqual([
			{
				id: 30,
				lon: 118.1005,
				lat: 24.4505,
				tags: { amenity: 'social_facility', social_facility: 'nursing_home', name: '测试护理院' }
			}
		]);
		expect(osm.relations[0].members).toEqual([
			{ type: 'way', ref: 106, role: '' },
			{ type: 'node', ref: 1, role: 'stop' }
		]);
	});

	it('says what is wrong with XML that is not well formed, not OSM, or has a bad coordinate', () => {
		const bytes = (text: string) => new TextEncoder().encode(text);
		expect(() => readOsm(bytes('<osm><node id="1" lat="1" lon="2"></osm>'), 'xml')).toThrowError(
			/not well-formed OSM XML/
		);
		expect(() => readOsm(bytes('<gpx></gpx>'), 'xml')).toThrowError('not OSM XML: no <osm> root element');
		expect(() => readOsm(bytes('<osm>\n<node id="1" lat="north" lon="2"/></osm>'), 'xml')).toThrowError(
			/OSM XML line 2: lat "north" is not a number/
		);
	});

	it('refuses bytes that are not a PBF file', () => {
		expect(() => readOsm(new TextEncoder().encode('this is not protobuf'), 'pbf')).toThrowError(
			/not a readable OSM PBF file/
		);
	});

	it.skipIf(!existsSync(MONACO))('reads a real extract (Monaco, from the shared reference data)', () => {
		const osm = readOsm(readFileSync(MONACO), 'pbf');
		expect(osm.nodes.size).toBeGreaterThan(20_000);
		expect(osm.ways.length).toBeGreaterThan(3_000);
		const [lon, lat] = osm.nodes.values().next().value!;
		expect(lon).toBeGreaterThan(7.3);
		expect(lat).toBeGreaterThan(43.6);
	});
});

describe('detectOsmFormat', () => {
	it('tells PBF from XML by the file name and names a file it cannot tell', () => {
		expect(detectOsmFormat('monaco.osm.pbf')).toBe('pbf');
		expect(detectOsmFormat('area.osm')).toBe('xml');
		expect(() => detectOsmFormat('streets.geojson')).toThrowError(
			/cannot tell the OSM format of streets.geojson/
		);
	});
});
