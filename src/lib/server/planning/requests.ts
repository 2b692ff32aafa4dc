/**
 * What the planning API accepts, checked before any analysis runs, and how planning refusals become
 * HTTP answers: a bad parameter or site is a 400 naming the problem, a district without a walking
 * network a 409.
 */
import { error } from '@sveltejs/kit';
import { z } from 'zod';
import { FACILITY_KINDS } from '../../facility-kinds';
import { ELDERLY_SPEED_MPS } from '../../routing/walking-area';
import { ANY_KIND, bandsFor, PlanningInputError } from '../../planning/coverage-report';
import type { CoverageParameters } from '../../planning/report';
import { SitingInputError } from '../../planning/siting/problem';

export const MAX_CANDIDATES = 2000;

const kind = z.enum([ANY_KIND, ...FACILITY_KINDS]);

export const parametersSchema = z
	.object({
		minutes: z.number().int().min(1).max(60).default(15),
		speedMps: z.number().min(0.3).max(2).default(ELDERLY_SPEED_MPS),
		kind: kind.default(ANY_KIND)
	})
	.strict()
	.transform((p): CoverageParameters => ({ ...p, bandsMinutes: bandsFor(p.minutes) }));

/** Coverage parameters from a query string (`?minutes=15&speed=1.0&kind=any`). */
export function parametersFromUrl(url: URL): CoverageParameters {
	const raw: Record<string, unknown> = {};
	const minutes = url.searchParams.get('minutes');
	const speed = url.searchParams.get('speed');
	const facilityKind = url.searchParams.get('kind');
	if (minutes !== null) raw.minutes = Number(minutes);
	if (speed !== null) raw.speedMps = Number(speed);
	if (facilityKind !== null) raw.kind = facilityKind;
	const parsed = parametersSchema.safeParse(raw);
	if (!parsed.success) {
		const issue = parsed.error.issues[0];
		error(400, `${issue.path.join('.')}: ${issue.message}`);
	}
	return parsed.data;
}

export const candidateSchema = z
	.object({
		name: z.string().trim().min(1).max(100),
		kind: z.enum(FACILITY_KINDS).default('community_station'),
		lon: z.number().min(-180).max(180),
		lat: z.number().min(-90).max(90),
		capacity: z.number().min(0).nullable().default(null),
		source: z.enum(['planned', 'drawn', 'uploaded', 'generated']).default('drawn')
	})
	.strict();

const changes = {
	added: z.array(candidateSchema).max(MAX_CANDIDATES).default([]),
	removedFacilityIds: z.array(z.string().regex(/^\d+$/, 'must be a facility id')).max(1000).default([])
};

export const sitingSchema = z
	.object({
		parameters: parametersSchema.prefault({}),
		model: z.enum(['mclp', 'lscp', 'pmedian']),
		p: z.number().int().min(1).optional(),
		targetShare: z.number().gt(0).max(1).optional(),
		capacitated: z.boolean().default(false),
		defaultCapacity: z.number().min(0).optional(),
		solver: z.enum(['greedy', 'both']).default('greedy'),
		timeLimitSeconds: z.number().min(1).max(60).default(10),
		candidates: z
			.object({
				/** The plan's named projects. */
				planned: z.boolean().default(true),
				/** How many sites to propose over where the elderly live. */
				generated: z.number().int().min(0).max(MAX_CANDIDATES).default(0),
				/** Sites drawn on the map or uploaded as GeoJSON (already read by the page). */
				sites: z.array(candidateSchema).max(MAX_CANDIDATES).default([]),
				/** A GeoJSON FeatureCollection of Points, as uploaded. */
				geojson: z.unknown().optional()
			})
			.strict()
			.default({ planned: true, generated: 0, sites: [] }),
		...changes
	})
	.strict()
	.superRefine((body, ctx) => {
		if (body.model !== 'lscp' && body.p === undefined)
			ctx.addIssue({
				code: 'custom',
				path: ['p'],
				message: `the ${body.model} model needs p, the number of sites to choose`
			});
		if (body.model === 'lscp' && body.targetShare === undefined)
			ctx.addIssue({
				code: 'custom',
				path: ['targetShare'],
				message: 'the lscp model needs targetShare (0 … 1)'
			});
	});

/** The coverage of a scenario that is not saved: parameters plus the sites added and removed. */
export const scenarioChangesSchema = z
	.object({ parameters: parametersSchema.prefault({}), ...changes })
	.strict();

export const scenarioSchema = z
	.object({
		name: z.string().trim().min(1).max(200),
		parameters: parametersSchema,
		siting: z
			.object({
				model: z.enum(['mclp', 'lscp', 'pmedian']),
				p: z.number().int().min(1).optional(),
				targetShare: z.number().gt(0).max(1).optional(),
				capacitated: z.boolean().optional()
			})
			.strict()
			.nullable()
			.default(null),
		...changes
	})
	.strict();

/** Runs a planning action for an HTTP caller: refusals become 400 (or 409 without a network). */
export async function asPlanningHttp<T>(action: () => Promise<T> | T): Promise<T> {
	try {
		return await action();
	} catch (failure) {
		if (failure instanceof PlanningInputError)
			error(failure.code === 'NO_NETWORK' ? 409 : 400, `${failure.code}: ${failure.message}`);
		if (failure instanceof SitingInputError) error(400, `${failure.code}: ${failure.message}`);
		throw failure;
	}
}
