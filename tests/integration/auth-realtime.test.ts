/**
 * socket.io through the policy: no session, no connection; a dispatcher limited to 莲前街道 hears
 * only 莲前's incidents; roles without a need for incidents hear none; commands are refused to
 * roles that may not send them and for incidents outside the user's streets.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { io as connectSocket, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
	ClientToServerEvents,
	CommandResult,
	IncidentSummary,
	ServerToClientEvents
} from '../../src/lib/realtime/events';
import { saveHousehold } from '../../src/lib/server/devices/registry';
import { LIANQIAN_STREET } from '../../src/lib/server/auth/demo-accounts';
import { admits } from '../../src/lib/server/auth/policy';
import { SOCKET_RULES, type SocketCommand } from '../../src/lib/server/auth/realtime-access';
import { ROLES, type Role } from '../../src/lib/server/auth/roles';
import { attachRealtime, type RealtimeServer } from '../../src/lib/server/realtime/socket-server';
import type { Services } from '../../src/lib/server/services';
import { sessionInDatabase } from '../support/auth';
import { startTestServices } from '../support/services';
import { waitFor } from '../support/wait';

type Console = Socket<ServerToClientEvents, ClientToServerEvents>;

let services: Services;
let server: http.Server;
let io: RealtimeServer;
let url: string;
const sockets: Console[] = [];

function incident(id: number, communityCode: string | null): IncidentSummary {
	return {
		id,
		householdId: 1,
		districtCode: services.config.districtCode,
		communityCode,
		kind: 'sos',
		kinds: ['sos'],
		severity: 'critical',
		state: 'new',
		alertCount: 1,
		location: [118.16, 24.478],
		openedAt: new Date().toISOString(),
		lastAlertAt: new Date().toISOString(),
		acknowledgedAt: null,
		escalationLevel: 0,
		sla: null,
		responder: null,
		confidence: 'high',
		criticalSince: new Date().toISOString()
	};
}

/** A console logged in as a new account of this role; collects the ids of incidents it hears. */
async function consoleOf(role: Role, streets: string[] = []) {
	const session = await sessionInDatabase(services.database.sql, role, streets);
	const socket: Console = connectSocket(url, { transports: ['websocket'], auth: { session } });
	sockets.push(socket);
	const heard: number[] = [];
	socket.on('incident:opened', (i) => heard.push(i.id));
	await new Promise((resolve) => socket.once('server:hello', resolve));
	return { socket, heard };
}

beforeAll(async () => {
	services = await startTestServices({ ROLES: 'web' });
	server = http.createServer();
	io = attachRealtime(server, services);
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
	for (const socket of sockets) socket.close();
	await new Promise((resolve) => io?.close(resolve));
	await services?.close();
});

describe('socket.io access', () => {
	it('refuses a connection without a session or with a forged one', async () => {
		for (const auth of [{}, { session: 'F'.repeat(43) }]) {
			const socket = connectSocket(url, { transports: ['websocket'], auth, reconnection: false });
			sockets.push(socket);
			const refusal = await new Promise<Error>((resolve) => socket.once('connect_error', resolve));
			expect(refusal.message).toBe('LOGIN_REQUIRED');
		}
	});

	it('never sends a street-limited dispatcher another street’s alert', async () => {
		const lianqian = await consoleOf('dispatcher', [LIANQIAN_STREET]);
		const everywhere = await consoleOf('dispatcher');
		const planner = await consoleOf('planner');
		// 莲前's community 350203010001, another street's 350203001001, and one with no community known.
		services.events.emit('incident:changed', incident(9_000_001, `${LIANQIAN_STREET}001`), true);
		services.events.emit('incident:changed', incident(9_000_002, '350203001001'), true);
		services.events.emit('incident:changed', incident(9_000_003, null), true);
		await waitFor('the district-wide console to hear all three', () => everywhere.heard.length === 3);
		// The district-wide console heard all three, so the others have had their chance as well.
		expect(lianqian.heard).toEqual([9_000_001]);
		expect(everywhere.heard.sort()).toEqual([9_000_001, 9_000_002, 9_000_003]);
		expect(planner.heard).toEqual([]);
	});

	it('answers every socket command for every role as SOCKET_RULES says', async () => {
		for (const role of ROLES) {
			const { socket } = await consoleOf(role);
			for (const command of Object.keys(SOCKET_RULES) as SocketCommand[]) {
				// An incident that does not exist: only the policy's refusal says FORBIDDEN.
				const payload =
					command === 'incident:act'
						? { incidentId: 999_999_999, action: 'acknowledge' }
						: { incidentId: 999_999_999, responderId: 1 };
				const answer = await new Promise<CommandResult<IncidentSummary>>((resolve) =>
					(socket.emit as (...args: unknown[]) => void)(command, payload, resolve)
				);
				const admitted = admits(SOCKET_RULES[command], { role }) === 'allow';
				// Admitted, the command reaches the domain, which refuses it for its own reason.
				expect(answer.ok, `${role} ${command}`).toBe(false);
				expect(!answer.ok && answer.code === 'FORBIDDEN', `${role} ${command}`).toBe(!admitted);
			}
		}
	});

	it('refuses commands to roles that may not send them, and outside the user’s streets', async () => {
		const { sql } = services.database;
		const householdId = await saveHousehold(sql, {
			externalId: `T-AUTH-${Date.now().toString(36)}`,
			districtCode: services.config.districtCode,
			residentName: '测试老人',
			location: [118.09, 24.455],
			consent: true
		});
		const [other]: [{ id: number }] = await sql`
			insert into incidents (household_id, district_code, community_code, kind, severity, kinds, location)
			values (${householdId}, ${services.config.districtCode}, '350203001001', 'sos', 'critical', '{sos}',
				ST_SetSRID(ST_MakePoint(118.09, 24.455), 4326))
			returning id::int as id`;
		const act = (socket: Console) =>
			new Promise<CommandResult<IncidentSummary>>((resolve) =>
				socket.emit('incident:act', { incidentId: other.id, action: 'acknowledge' }, resolve)
			);
		const viewer = await consoleOf('viewer');
		expect(await act(viewer.socket)).toMatchObject({ ok: false, code: 'FORBIDDEN' });
		const lianqian = await consoleOf('dispatcher', [LIANQIAN_STREET]);
		expect(await act(lianqian.socket)).toMatchObject({ ok: false, code: 'NOT_FOUND' });
	});

	it('refuses a command on another district’s incident as forbidden, and carries out none of it', async () => {
		const { sql } = services.database;
		const otherDistrict = '350206';
		const [region] = await sql`
			insert into regions (code, level, name, short_name, parent_code, geom_source)
			values (${otherDistrict}, 'district', '湖里区', '湖里', null, 'test')
			on conflict (code) do nothing
			returning code`;
		const householdId = await saveHousehold(sql, {
			externalId: `T-AUTH-HL-${Date.now().toString(36)}`,
			districtCode: otherDistrict,
			residentName: '湖里老人',
			location: [118.11, 24.51],
			consent: true
		});
		const [elsewhere]: [{ id: number }] = await sql`
			insert into incidents (household_id, district_code, kind, severity, kinds, location)
			values (${householdId}, ${otherDistrict}, 'sos', 'critical', '{sos}', ST_SetSRID(ST_MakePoint(118.11, 24.51), 4326))
			returning id::int as id`;
		try {
			// A dispatcher of the whole district: no street limit would stop them.
			const { socket } = await consoleOf('dispatcher');
			const answer = await new Promise<CommandResult<IncidentSummary>>((resolve) =>
				socket.emit('incident:act', { incidentId: elsewhere.id, action: 'acknowledge' }, resolve)
			);
			expect(answer).toMatchObject({
				ok: false,
				code: 'FORBIDDEN',
				message: expect.stringMatching(new RegExp(`district ${otherDistrict}`))
			});
			const assigned = await new Promise<CommandResult<IncidentSummary>>((resolve) =>
				socket.emit('incident:assign', { incidentId: elsewhere.id, responderId: 1 }, resolve)
			);
			expect(assigned).toMatchObject({ ok: false, code: 'FORBIDDEN' });
			const [row] = await sql`select state, acknowledged_at from incidents where id = ${elsewhere.id}`;
			expect(row).toEqual({ state: 'new', acknowledgedAt: null });
		} finally {
			// Nothing was written on its timeline, so the test's rows can go again.
			await sql`delete from incidents where id = ${elsewhere.id}`;
			await sql`delete from households where id = ${householdId}`;
			if (region) await sql`delete from regions where code = ${otherDistrict}`;
		}
	});
});
