/**
 * Reads an OpenStreetMap extract — `.osm.pbf` (https://wiki.openstreetmap.org/wiki/PBF_Format) or
 * `.osm` XML (https://wiki.openstreetmap.org/wiki/OSM_XML) — into plain nodes, ways and relations.
 * Pure: bytes in, data out; malformed input throws an Error saying what is wrong.
 */
import tinyosmpbf from 'tiny-osmpbf';
import sax from 'sax';

export type OsmFormat = 'pbf' | 'xml';
export type Tags = Record<string, string>;

export interface OsmWay {
	id: number;
	refs: number[];
	tags: Tags;
}

export interface OsmRelation {
	id: number;
	members: { type: 'node' | 'way' | 'relation'; ref: number; role: string }[];
	tags: Tags;
}

export interface OsmPoi {
	id: number;
	lon: number;
	lat: number;
	tags: Tags;
}

export interface OsmData {
	/** Every node's position, [lon, lat] in WGS-84. */
	nodes: Map<number, [number, number]>;
	ways: OsmWay[];
	relations: OsmRelation[];
	/** Nodes that carry tags (amenities, shops, ...). */
	pois: OsmPoi[];
}

/** The format a file name says it has. */
export function detectOsmFormat(fileName: string): OsmFormat {
	if (/\.(osm\.)?pbf$/i.test(fileName)) return 'pbf';
	if (/\.(osm|xml)$/i.test(fileName)) return 'xml';
	throw new Error(`cannot tell the OSM format of ${fileName}: expected .osm.pbf, .pbf, .osm or .xml`);
}

export function readOsm(bytes: Uint8Array, format: OsmFormat): OsmData {
	return format === 'pbf' ? readPbf(bytes) : readXml(new TextDecoder('utf-8').decode(bytes));
}

function emptyData(): OsmData {
	return { nodes: new Map(), ways: [], relations: [], pois: [] };
}

function readPbf(bytes: Uint8Array): OsmData {
	let elements;
	try {
		({ elements } = tinyosmpbf(bytes));
	} catch (error) {
		throw new Error(`not a readable OSM PBF file (${(error as Error).message})`);
	}
	const data = emptyData();
	for (const element of elements) {
		const tags = element.tags ?? {};
		if (element.type === 'node') {
			if (typeof element.lon !== 'number' || typeof element.lat !== 'number') continue;
			data.nodes.set(element.id, [element.lon, element.lat]);
			if (Object.keys(tags).length > 0)
				data.pois.push({ id: element.id, lon: element.lon, lat: element.lat, tags });
		} else if (element.type === 'way') {
			data.ways.push({ id: element.id, refs: element.nodes ?? [], tags });
		} else if (element.type === 'relation') {
			data.relations.push({ id: element.id, members: element.members ?? [], tags });
		}
	}
	return data;
}

function readXml(text: string): OsmData {
	const data = emptyData();
	const parser = sax.parser(true, { trim: true });
	let current:
		{ kind: 'node'; id: number; lon: number; lat: number; tags: Tags } | OsmWay | OsmRelation | null = null;
	let currentKind: 'node' | 'way' | 'relation' | null = null;
	let sawOsm = false;
	const number = (value: unknown, what: string): number => {
		const parsed = Number(value);
		if (value === undefined || value === '' || !Number.isFinite(parsed)) {
			throw new Error(`OSM XML line ${parser.line + 1}: ${what} "${String(value)}" is not a number`);
		}
		return parsed;
	};
	parser.onopentag = (tag) => {
		const a = tag.attributes as Record<string, string>;
		switch (tag.name) {
			case 'osm':
				sawOsm = true;
				break;
			case 'node':
				currentKind = 'node';
				current = {
					kind: 'node',
					id: number(a.id, 'node id'),
					lon: number(a.lon, 'lon'),
					lat: number(a.lat, 'lat'),
					tags: {}
				};
				break;
			case 'way':
				currentKind = 'way';
				current = { id: number(a.id, 'way id'), refs: [], tags: {} };
				break;
			case 'relation':
				currentKind = 'relation';
				current = { id: number(a.id, 'relation id'), members: [], tags: {} };
				break;
			case 'nd':
				if (currentKind === 'way') (current as OsmWay).refs.push(number(a.ref, 'nd ref'));
				break;
			case 'member':
				if (currentKind === 'relation') {
					(current as OsmRelation).members.push({
						type: a.type as 'node' | 'way' | 'relation',
						ref: number(a.ref, 'member ref'),
						role: a.role ?? ''
					});
				}
				break;
			case 'tag':
				if (current && a.k !== undefined) current.tags[a.k] = a.v ?? '';
				break;
		}
	};
	parser.onclosetag = (name) => {
		if (name !== currentKind || !current) return;
		if (currentKind === 'node') {
			const node = current as { id: number; lon: number; lat: number; tags: Tags };
			data.nodes.set(node.id, [node.lon, node.lat]);
			if (Object.keys(node.tags).length > 0)
				data.pois.push({ id: node.id, lon: node.lon, lat: node.lat, tags: node.tags });
		} else if (currentKind === 'way') data.ways.push(current as OsmWay);
		else data.relations.push(current as OsmRelation);
		current = null;
		currentKind = null;
	};
	try {
		parser.write(text).close();
	} catch (error) {
		const message = (error as Error).message.split('\n')[0];
		throw new Error(message.startsWith('OSM XML') ? message : `not well-formed OSM XML (${message})`);
	}
	if (!sawOsm) throw new Error('not OSM XML: no <osm> root element');
	return data;
}
