/**
 * One version of a place name as a plain record (what a proposal carries and a version stores), its
 * schema, and the field-by-field diff a reviewer reads. Shared by the server (proposals, imports,
 * reviews) and the pages.
 */
import type { Geometry } from 'geojson';
import { z } from 'zod';

export interface PlaceAlias {
	name: string;
	kind: 'alias' | 'former';
	fromYear?: number | null;
	toYear?: number | null;
	protected?: boolean;
}

export type GeomPrecision = 'surveyed' | 'approximate' | 'region';

export interface PlaceRecord {
	standardName: string;
	specificPart: string;
	genericPart: string;
	pinyin: string;
	classCode: string;
	geometry: Geometry | null;
	geomPrecision: GeomPrecision;
	regionCode: string | null;
	originNote: string | null;
	/** What the place becomes once approved: approved (named, renamed, moved) or retired. */
	status: 'approved' | 'retired';
	protected: boolean;
	successorId: number | null;
	aliases: PlaceAlias[];
}

const year = z.number().int().min(1000).max(2200).nullable().optional();

const geometrySchema = z
	.object({
		type: z.enum(['Point', 'LineString', 'Polygon', 'MultiPoint', 'MultiLineString', 'MultiPolygon'])
	})
	.loose()
	.refine((g) => Array.isArray((g as { coordinates?: unknown }).coordinates), 'coordinates are required')
	.transform((g) => g as unknown as Geometry);

export const placeAliasSchema = z.object({
	name: z.string().max(100),
	kind: z.enum(['alias', 'former']),
	fromYear: year,
	toYear: year,
	protected: z.boolean().optional()
});

/** A proposal as the API and the forms accept it; the server fills in what is left out. */
export const placeRecordSchema = z.object({
	standardName: z.string().max(100),
	specificPart: z.string().max(100).optional(),
	genericPart: z.string().max(20).optional(),
	pinyin: z.string().max(200).optional(),
	classCode: z.string().regex(/^\d{5}$/, 'a five-digit class code'),
	geometry: geometrySchema.nullable().optional(),
	geomPrecision: z.enum(['surveyed', 'approximate', 'region']).optional(),
	regionCode: z
		.string()
		.regex(/^\d{6,12}$/)
		.nullable()
		.optional(),
	originNote: z.string().max(2000).nullable().optional(),
	status: z.enum(['approved', 'retired']).optional(),
	protected: z.boolean().optional(),
	successorId: z.number().int().positive().nullable().optional(),
	aliases: z.array(placeAliasSchema).max(50).optional()
});

export type PlaceRecordInput = z.infer<typeof placeRecordSchema>;

export type RecordDiff = Partial<Record<keyof PlaceRecord, { from: unknown; to: unknown }>>;

const FIELDS: (keyof PlaceRecord)[] = [
	'standardName',
	'specificPart',
	'genericPart',
	'pinyin',
	'classCode',
	'geometry',
	'geomPrecision',
	'regionCode',
	'originNote',
	'status',
	'protected',
	'successorId',
	'aliases'
];

/**
 * The fields that differ between the published record (null for a new name) and the proposal.
 *
 * @example diffRecords(published, { ...published, standardName: '新名' }) // { standardName: { from, to } }
 */
export function diffRecords(before: PlaceRecord | null, after: PlaceRecord): RecordDiff {
	const diff: RecordDiff = {};
	for (const field of FIELDS) {
		const from = before ? before[field] : null;
		const to = after[field];
		if (JSON.stringify(from ?? null) !== JSON.stringify(to ?? null)) diff[field] = { from: from ?? null, to };
	}
	return diff;
}
