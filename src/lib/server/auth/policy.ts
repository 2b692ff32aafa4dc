/**
 * Who may do what: the one table the request hook (src/hooks.server.ts) consults for every page
 * load, form action and API call, keyed by SvelteKit route id. `read` covers GET/HEAD (loading a
 * page, reading an API); `write` covers every other method (form actions, POST/PUT/DELETE).
 * Administrators pass every rule. A route with no rule is refused to everyone, and the matrix test
 * (tests/unit/auth-policy.test.ts) fails until it has one: adding a route means adding one line here.
 */
import type { Role, SessionUser } from './roles';

/** Anyone, logged in or not; anyone logged in; or only these roles (administrators always pass). */
export type Who = 'public' | 'signed-in' | readonly Role[];

export interface RouteRule {
	read: Who;
	write: Who;
}

const NOBODY: readonly Role[] = [];
const DISPATCH: readonly Role[] = ['dispatcher', 'dispatch_supervisor'];
const FIELD: readonly Role[] = [...DISPATCH, 'responder'];
const SUPERVISION: readonly Role[] = ['dispatch_supervisor'];
const PLANNING: readonly Role[] = ['planner'];
/** Aggregates only (population counts, coverage, scenarios): also for supervisors and viewers. */
const PLANNING_READERS: readonly Role[] = ['planner', 'dispatch_supervisor', 'viewer'];
const GAZETTEER: readonly Role[] = ['gazetteer_editor', 'gazetteer_reviewer'];
const REVIEW: readonly Role[] = ['gazetteer_reviewer'];

const rule = (read: Who, write: Who = NOBODY): RouteRule => ({ read, write });

const API = '/api/districts/[code=districtCode]';

export const ROUTE_RULES: Record<string, RouteRule> = {
	// Public: the login itself, the QR door plates' address pages, and probes for operators' tools.
	'/login': rule('public', 'public'),
	'/logout': rule('public', 'public'),
	'/api/session': rule('public', 'public'),
	'/a/[code]': rule('public'),
	'/api/health': rule('public'),
	// Counters only, no personal data: scraped by Prometheus, which does not log in.
	'/metrics': rule('public'),

	'/': rule('signed-in'),
	'/console': rule(DISPATCH, DISPATCH),
	'/planning': rule(PLANNING_READERS, PLANNING),
	'/planning/scenarios/[id=id]/report': rule(PLANNING_READERS),
	// The plan's indicators and projects: aggregates only; planners keep the entries and stages.
	'/dashboard': rule(PLANNING_READERS, PLANNING),
	'/dashboard/report': rule(PLANNING_READERS),
	'/gazetteer': rule('signed-in', GAZETTEER),
	'/gazetteer/[id=id]': rule('signed-in', GAZETTEER),
	'/gazetteer/new': rule(GAZETTEER, GAZETTEER),
	'/gazetteer/import': rule(GAZETTEER, GAZETTEER),
	'/gazetteer/readings': rule(GAZETTEER, GAZETTEER),
	'/gazetteer/review': rule(REVIEW, REVIEW),
	'/addresses': rule('signed-in', GAZETTEER),
	'/addresses/plates': rule(GAZETTEER),
	'/boundaries': rule('signed-in', GAZETTEER),
	'/boundaries/campaigns/[id=id]': rule('signed-in', GAZETTEER),
	'/boundaries/campaigns/[id=id]/report': rule('signed-in'),
	'/boundaries/markers/[id=id]': rule('signed-in', GAZETTEER),
	'/admin/audit': rule(NOBODY),
	'/admin/users': rule(NOBODY, NOBODY),
	'/admin/dead-letters': rule(NOBODY),
	'/admin/imports': rule(NOBODY, NOBODY),
	'/admin/devices': rule(SUPERVISION),
	'/admin/households': rule(SUPERVISION, NOBODY),
	'/admin/households/new': rule(NOBODY, NOBODY),
	'/admin/households/[id]': rule(SUPERVISION, NOBODY),

	[`${API}/regions`]: rule('signed-in'),
	[`${API}/walk-network`]: rule('signed-in'),
	[`${API}/facility-circles`]: rule('signed-in'),
	[`${API}/population-cells`]: rule('signed-in'),
	// POST computes coverage for candidate sites; it stores nothing.
	[`${API}/coverage`]: rule('signed-in', PLANNING_READERS),
	[`${API}/siting`]: rule(NOBODY, PLANNING),
	[`${API}/scenarios`]: rule(PLANNING_READERS, PLANNING),
	[`${API}/scenarios/[id=id]`]: rule(PLANNING_READERS, PLANNING),
	[`${API}/scenarios/[id=id]/export`]: rule(PLANNING_READERS),
	[`${API}/scenarios/compare`]: rule(PLANNING_READERS),
	[`${API}/indicators`]: rule(PLANNING_READERS),
	[`${API}/indicators/[key]/entries`]: rule(NOBODY, PLANNING),
	[`${API}/projects`]: rule(PLANNING_READERS),
	[`${API}/projects/[id=id]/stage`]: rule(NOBODY, PLANNING),
	[`${API}/projects/[id=id]/scenario`]: rule(NOBODY, PLANNING),
	[`${API}/incidents`]: rule(FIELD),
	[`${API}/incidents/[id=id]`]: rule(FIELD),
	// Revealing masked personal data, with a reason (audited); dispatchers see it unmasked anyway.
	[`${API}/incidents/[id=id]/personal-data`]: rule(NOBODY, FIELD),
	[`${API}/answer-times`]: rule(DISPATCH),
	[`${API}/responders`]: rule(FIELD, FIELD),
	'/api/responders/[id=id]/duty': rule(NOBODY, FIELD),
	'/api/responders/[id=id]/position': rule(NOBODY, FIELD),
	'/api/responders/[id=id]/incidents/[incidentId=id]': rule(NOBODY, FIELD),
	// Registering households and devices is the registry administrators' work (and the demo fleet's).
	[`${API}/households`]: rule(NOBODY, NOBODY),
	[`${API}/devices`]: rule(NOBODY, NOBODY),
	[`${API}/devices/[deviceId]/credential`]: rule(NOBODY, NOBODY),
	[`${API}/gazetteer`]: rule('signed-in', GAZETTEER),
	[`${API}/gazetteer/[id=id]`]: rule('signed-in'),
	[`${API}/gazetteer/[id=id]/versions`]: rule(NOBODY, GAZETTEER),
	[`${API}/gazetteer/export`]: rule('signed-in'),
	[`${API}/gazetteer/import`]: rule(NOBODY, GAZETTEER),
	[`${API}/gazetteer/layer`]: rule('signed-in'),
	[`${API}/gazetteer/nearby`]: rule('signed-in'),
	[`${API}/gazetteer/pinyin`]: rule('signed-in'),
	[`${API}/gazetteer/readings`]: rule('signed-in', GAZETTEER),
	[`${API}/gazetteer/reviews`]: rule(GAZETTEER),
	[`${API}/gazetteer/reviews/[id=id]`]: rule(NOBODY, REVIEW),
	[`${API}/addresses`]: rule('signed-in', GAZETTEER),
	[`${API}/addresses/export`]: rule(GAZETTEER),
	[`${API}/boundaries/lines`]: rule('signed-in', GAZETTEER),
	[`${API}/boundaries/markers`]: rule('signed-in', GAZETTEER),
	[`${API}/boundaries/markers/export`]: rule('signed-in'),
	[`${API}/boundaries/markers/[id=id]/photos`]: rule('signed-in', GAZETTEER),
	[`${API}/boundaries/markers/[id=id]/photos/[photo=id]`]: rule('signed-in'),
	[`${API}/boundaries/campaigns`]: rule('signed-in', GAZETTEER),
	[`${API}/boundaries/campaigns/[id=id]`]: rule('signed-in'),
	[`${API}/boundaries/campaigns/[id=id]/inspections`]: rule(NOBODY, GAZETTEER)
};

export type Decision = 'allow' | 'login' | 'deny';

const READ_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export function admits(who: Who, user: Pick<SessionUser, 'role'> | null): Decision {
	if (who === 'public') return 'allow';
	if (!user) return 'login';
	if (who === 'signed-in' || user.role === 'administrator' || who.includes(user.role)) return 'allow';
	return 'deny';
}

/**
 * The decision for one request. An unmatched route (`null`, SvelteKit's 404) is let through: it
 * serves nothing. A matched route without a rule is refused, so a forgotten rule fails closed.
 */
export function decide(
	routeId: string | null,
	method: string,
	user: Pick<SessionUser, 'role'> | null
): Decision {
	if (routeId === null) return 'allow';
	const found = ROUTE_RULES[routeId];
	if (!found) return user ? 'deny' : 'login';
	return admits(READ_METHODS.has(method.toUpperCase()) ? found.read : found.write, user);
}

/**
 * Responders act only as themselves: on the routes that name a responder, a responder's account
 * must be that responder (dispatchers and administrators act for anyone).
 */
export function actsAsSelf(
	routeId: string | null,
	params: Partial<Record<string, string>>,
	user: Pick<SessionUser, 'role' | 'responderId'> | null
): boolean {
	if (user?.role !== 'responder' || !routeId?.startsWith('/api/responders/[id=id]')) return true;
	return user.responderId !== null && String(user.responderId) === params.id;
}

/** Whether the user may open a page at all: the layout shows only the links that pass. */
export function mayOpen(routeId: string, user: Pick<SessionUser, 'role'> | null): boolean {
	return decide(routeId, 'GET', user) === 'allow';
}
