/**
 * The authorisation table against the routes that exist: every route the app serves has a rule
 * (a new route without one fails here), no rule names a route that is gone, and the decisions
 * follow the rules' meaning for each role.
 */
import { describe, expect, it } from 'vitest';
import { ROUTE_RULES, actsAsSelf, decide } from '../../src/lib/server/auth/policy';
import { ROLES } from '../../src/lib/server/auth/roles';
import { routeIds } from '../support/routes';

describe('the authorisation table', () => {
	const routes = routeIds();

	it('finds the app routes', () => {
		expect(routes).toContain('/');
		expect(routes).toContain('/a/[code]');
		expect(routes).toContain('/api/districts/[code=districtCode]/incidents/[id=id]');
	});

	it('has a rule for every route, so a route added without one fails here', () => {
		const missing = routes.filter((id) => !(id in ROUTE_RULES));
		expect(
			missing,
			`add a line to ROUTE_RULES in src/lib/server/auth/policy.ts for: ${missing.join(', ')}`
		).toEqual([]);
	});

	it('has no rule for a route that does not exist', () => {
		expect(Object.keys(ROUTE_RULES).filter((id) => !routes.includes(id))).toEqual([]);
	});

	it('keeps exactly the login, the logout, the QR address pages and the probes public', () => {
		const publicRoutes = routes.filter((id) => decide(id, 'GET', null) === 'allow');
		expect(publicRoutes).toEqual([
			'/a/[code]',
			'/api/health',
			'/api/session',
			'/login',
			'/logout',
			'/metrics'
		]);
	});

	it('sends anyone not logged in to the login for every other route and method', () => {
		for (const id of routes)
			for (const method of ['GET', 'POST', 'PUT', 'DELETE'])
				if (!(id in ROUTE_RULES) || ROUTE_RULES[id][method === 'GET' ? 'read' : 'write'] !== 'public')
					expect(decide(id, method, null), `${method} ${id}`).toBe('login');
	});

	it('lets administrators do everything and refuses a rule-less route to everyone', () => {
		for (const id of routes) expect(decide(id, 'POST', { role: 'administrator' }), id).toBe('allow');
		for (const role of ROLES) expect(decide('/no/such/rule', 'GET', { role })).toBe('deny');
	});

	it('decides for each role and route exactly as the rule lists', () => {
		for (const id of routes)
			for (const role of ROLES)
				for (const [method, side] of [
					['GET', 'read'],
					['POST', 'write']
				] as const) {
					const who = ROUTE_RULES[id][side];
					const expected =
						who === 'public' || who === 'signed-in' || role === 'administrator' || who.includes(role)
							? 'allow'
							: 'deny';
					expect(decide(id, method, { role }), `${role} ${method} ${id}`).toBe(expected);
				}
	});

	it('keeps residents away from planners, viewers and the gazetteer team', () => {
		const personal = [
			'/api/districts/[code=districtCode]/incidents',
			'/api/districts/[code=districtCode]/incidents/[id=id]',
			'/admin/households',
			'/admin/households/[id]',
			'/console'
		];
		for (const role of ['planner', 'viewer', 'gazetteer_editor', 'gazetteer_reviewer'] as const)
			for (const id of personal) expect(decide(id, 'GET', { role }), `${role} ${id}`).toBe('deny');
	});

	it('lets a responder report only as the responder their account is', () => {
		const duty = '/api/responders/[id=id]/duty';
		const job = '/api/responders/[id=id]/incidents/[incidentId=id]';
		const responder = { role: 'responder' as const, responderId: 12 };
		expect(actsAsSelf(duty, { id: '12' }, responder)).toBe(true);
		expect(actsAsSelf(job, { id: '13', incidentId: '5' }, responder)).toBe(false);
		expect(actsAsSelf(duty, { id: '12' }, { role: 'responder', responderId: null })).toBe(false);
		expect(actsAsSelf(duty, { id: '13' }, { role: 'dispatcher', responderId: null })).toBe(true);
		expect(actsAsSelf('/api/districts/[code=districtCode]/responders', {}, responder)).toBe(true);
	});
});
