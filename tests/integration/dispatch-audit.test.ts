/**
 * Dispatch and its audit trail on the run's real database and broker: a console's acknowledge or
 * assignment is one transaction with its audit row, and a refusal is audited with its reason; a
 * dispatcher acting for a responder is recorded under their own name; the household's devices that
 * can speak (and only they) are told help is coming, on the timeline; a responder the network
 * cannot reach is proposed by straight line, labelled, and a stale position not at all; off-shift
 * and other-district responders are refused; an incident left assigned with nobody asked is picked up.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import mqtt, { type MqttClient } from 'mqtt';
import { io as connectSocket, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deviceTopic, type CmdPayload } from '../../src/lib/mqtt/contract';
import type {
	ClientToServerEvents,
	CommandResult,
	IncidentSummary,
	ServerToClientEvents
} from '../../src/lib/realtime/events';
import { haversineMeters, nearestNode, walkingSecondsFrom } from '../../src/lib/routing/walk-graph';
import { actOnIncident, raiseAlert } from '../../src/lib/server/alerts/incidents';
import { responderActor } from '../../src/lib/server/audit/actor';
import { recentAudit } from '../../src/lib/server/audit/audit-log';
import { createAccount } from '../../src/lib/server/auth/accounts';
import type { SessionUser } from '../../src/lib/server/auth/roles';
import { openSession } from '../../src/lib/server/auth/sessions';
import type { Sql } from '../../src/lib/server/db/client';
import { registerDevice, saveHousehold } from '../../src/lib/server/devices/registry';
import { proposeResponders, skipUnacceptedOffers } from '../../src/lib/server/dispatch/dispatch';
import { takeResponderStep } from '../../src/lib/server/dispatch/responder-steps';
import {
	findResponder,
	registerResponder,
	saveResponder,
	setResponderDuty
} from '../../src/lib/server/dispatch/responders';
import { attachRealtime, type RealtimeServer } from '../../src/lib/server/realtime/socket-server';
import { activeWalkGraph } from '../../src/lib/server/routing/walk-graph-store';
import type { Services } from '../../src/lib/server/services';
import { TEST_PASSWORD } from '../support/auth';
import { startTestServices } from '../support/services';
import { waitFor } from '../support/wait';

type Console = Socket<ServerToClientEvents, ClientToServerEvents>;

const run = Date.now().toString(36);
const DISTRICT = '350203';
const OTHER_DISTRICT = '350206';
const HOME: [number, number] = [118.0825, 24.4565];
const SOS = `T-DA-SOS-${run}`;
const SMOKE = `T-DA-SMK-${run}`;
const WATCH = `T-DA-WCH-${run}`;

let services: Services;
let sql: Sql;
let server: http.Server;
let io: RealtimeServer;
let url: string;
let householdId: number;
let communityCode: string;
const sockets: Console[] = [];
const devices: MqttClient[] = [];
const commands: Record<string, CmdPayload[]> = { [SOS]: [], [SMOKE]: [], [WATCH]: [] };
const responders: Record<string, number> = {};

/** A dispatcher's account (or another role's) and a console logged in as it. */
async function dispatcherConsole(username: string, role: 'dispatcher' | 'planner' = 'dispatcher') {
	const account = await createAccount(sql, {
		username,
		displayName: username,
		password: TEST_PASSWORD,
		role,
		streetCodes: []
	});
	const session = await openSession(sql, account.id, '127.0.0.1');
	const socket: Console = connectSocket(url, { transports: ['websocket'], auth: { session } });
	sockets.push(socket);
	await new Promise((resolve) => socket.once('server:hello', resolve));
	const user: SessionUser = { ...account, role, streetCodes: [], responderId: null };
	return { socket, user };
}

const act = (socket: Console, incidentId: number, action: 'acknowledge' | 'mark_false_alarm') =>
	new Promise<CommandResult<IncidentSummary>>((resolve) =>
		socket.emit('incident:act', { incidentId, action }, resolve)
	);
const assign = (socket: Console, incidentId: number, responderId: number) =>
	new Promise<CommandResult<IncidentSummary>>((resolve) =>
		socket.emit('incident:assign', { incidentId, responderId }, resolve)
	);

async function openIncident(): Promise<IncidentSummary> {
	const { incident } = await sql.begin((tx) =>
		raiseAlert(tx as unknown as Sql, {
			householdId,
			districtCode: DISTRICT,
			communityCode,
			location: HOME,
			kind: 'sos',
			severity: 'critical',
			at: new Date(),
			actor: `device:${SOS}`,
			detail: {}
		})
	);
	return incident;
}

const close = (incidentId: number) =>
	actOnIncident(sql, { incidentId, action: 'mark_false_alarm', actor: 'test' });

const auditOf = (incidentId: number) =>
	recentAudit(sql, { subjectType: 'incident', subjectId: String(incidentId) });

const timelineOf = (incidentId: number) =>
	sql<{ actor: string; action: string; detail: Record<string, unknown> }[]>`
		select actor, action, detail from incident_events where incident_id = ${incidentId} order by id`;

/** The household is told after the console's answer, not before it: wait for the timeline to say so. */
const toldHelpIsComing = (incidentId: number) =>
	waitFor('help is coming on the timeline', async () =>
		(await timelineOf(incidentId)).some((e) => e.action === 'downlink_sent')
	);

async function saveTestResponder(name: string, location: [number, number], extra: object = {}) {
	return saveResponder(sql, {
		externalId: `T-DA-${name}-${run}`,
		districtCode: DISTRICT,
		name: `审计应答员${name}`,
		role: 'grid_worker',
		location,
		...extra
	});
}

/** 'HH:00' in Asia/Shanghai, `hours` from now. */
function shanghaiHour(hours: number): string {
	const hour = (new Date().getUTCHours() + 8 + hours) % 24;
	return `${String(hour).padStart(2, '0')}:00`;
}

beforeAll(async () => {
	// Only the web role: no timers, so this file's calls are the only ones handling offers.
	services = await startTestServices({ ROLES: 'web' });
	sql = services.database.sql;
	server = http.createServer();
	io = attachRealtime(server, services);
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

	householdId = await saveHousehold(sql, {
		externalId: `T-DA-H-${run}`,
		districtCode: DISTRICT,
		residentName: '审计测试老人',
		location: HOME,
		consent: true
	});
	[{ communityCode }] = await sql`select community_code from households where id = ${householdId}`;
	for (const [id, kind] of [
		[SOS, 'sos_button'],
		[SMOKE, 'smoke'],
		[WATCH, 'gps_watch']
	] as const) {
		await registerDevice(sql, { id, householdId, kind });
		const device = await mqtt.connectAsync(services.broker.url, { clientId: id, protocolVersion: 4 });
		devices.push(device);
		await device.subscribeAsync(deviceTopic(DISTRICT, id, 'cmd'), { qos: 1 });
		device.on('message', (_topic, payload) => commands[id].push(JSON.parse(payload.toString())));
	}

	const place = (dLon: number, dLat: number): [number, number] => [HOME[0] + dLon, HOME[1] + dLat];
	responders.near = await saveTestResponder('near', place(0.002, 0.001));
	responders.middle = await saveTestResponder('middle', place(-0.006, 0.004));
	// Only this file's responders may be proposed or offered.
	await sql`update responders set status = 'off' where external_id not like ${`T-DA-%-${run}`}`;
});

afterAll(async () => {
	await sql`update responders set status = 'off' where external_id like ${`T-DA-%-${run}`}`;
	for (const socket of sockets) socket.close();
	for (const device of devices) await device.endAsync();
	await new Promise((resolve) => io?.close(resolve));
	await services?.close();
});

describe('console actions and their audit rows', () => {
	it('audits an acknowledge, and tells only the devices that can speak, on the timeline', async () => {
		const { socket } = await dispatcherConsole(`t-da-ack-${run}`);
		const incident = await openIncident();
		expect(await act(socket, incident.id, 'acknowledge')).toMatchObject({ ok: true });

		const [entry] = await auditOf(incident.id);
		expect(entry).toMatchObject({
			actor: expect.stringMatching(new RegExp(`^t-da-ack-${run} \\(socket:`)),
			action: 'incident.act',
			districtCode: DISTRICT,
			detail: { action: 'acknowledge', to: 'acknowledged' }
		});
		await waitFor('help is coming on the SOS button', () => commands[SOS].length === 1);
		await waitFor('help is coming on the watch', () => commands[WATCH].length === 1);
		await toldHelpIsComing(incident.id);
		expect(commands[SOS][0]).toMatchObject({ type: 'help_coming', text: expect.stringMatching(/工作人员/) });
		const sent = (await timelineOf(incident.id)).filter((e) => e.action === 'downlink_sent');
		expect(sent).toEqual([
			{
				actor: entry.actor,
				action: 'downlink_sent',
				detail: {
					type: 'help_coming',
					cmdId: commands[SOS][0].cmdId,
					deviceIds: [SOS, WATCH],
					text: commands[SOS][0].text
				}
			}
		]);
		// The smoke detector has nothing to say it with: it was never sent anything.
		expect(commands[SMOKE]).toEqual([]);
		await close(incident.id);
	});

	it('answers the console and pushes the change while the broker does not acknowledge the downlink', async () => {
		const { socket } = await dispatcherConsole(`t-da-stall-${run}`);
		const incident = await openIncident();
		const pushed = new Promise<IncidentSummary>((resolve) =>
			socket.on('incident:updated', (i) => i.id === incident.id && i.state === 'acknowledged' && resolve(i))
		);
		const broker = services.broker.client;
		const publishAsync = broker.publishAsync;
		// A broker that takes the command and never answers, as one in trouble would.
		broker.publishAsync = () => new Promise(() => {});
		try {
			const started = Date.now();
			expect(await act(socket, incident.id, 'acknowledge')).toMatchObject({ ok: true });
			await pushed;
			expect(Date.now() - started).toBeLessThan(5_000);
			expect((await timelineOf(incident.id)).map((e) => e.action)).toEqual(['opened', 'acknowledge']);
		} finally {
			broker.publishAsync = publishAsync;
		}
		await close(incident.id);
	});

	it('audits a refused second acknowledge as refused, with the reason, and nothing else', async () => {
		const { socket } = await dispatcherConsole(`t-da-twice-${run}`);
		const incident = await openIncident();
		await act(socket, incident.id, 'acknowledge');
		const refused = await act(socket, incident.id, 'acknowledge');
		if (refused.ok) throw new Error('the second acknowledge was not refused');
		// Who answered, as data for the console to word.
		expect(refused.detail).toEqual({
			kind: 'already_acknowledged',
			by: expect.stringMatching(new RegExp(`^t-da-twice-${run} \\(socket:`)),
			at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/)
		});
		// The refusal is in the log before the console hears it.
		const entries = await auditOf(incident.id);
		expect(entries.map((e) => e.detail)).toEqual([
			{ action: 'acknowledge', refused: refused.code, reason: refused.message },
			{ action: 'acknowledge', outcome: null, to: 'acknowledged' }
		]);
		await close(incident.id);
	});

	it('audits a console connecting to live alerts, which from then on pushes it the homes of its rooms', async () => {
		const { user } = await dispatcherConsole(`da-watch-${run}`);
		const [watch] = await waitFor('the console connecting in the audit log', async () => {
			const rows = await recentAudit(sql, { action: 'incident.watch', actor: user.username });
			return rows.length > 0 ? rows : null;
		});
		expect(watch).toMatchObject({
			actor: expect.stringMatching(new RegExp(`^${user.username} \\(socket:`)),
			subjectType: 'incident',
			subjectId: '*',
			districtCode: DISTRICT,
			detail: { rooms: [`incidents:${DISTRICT}:all`] }
		});
	});

	it('audits a command refused to a role that may not send it', async () => {
		const { socket } = await dispatcherConsole(`t-da-planner-${run}`, 'planner');
		const incident = await openIncident();
		expect(await act(socket, incident.id, 'acknowledge')).toMatchObject({ ok: false, code: 'FORBIDDEN' });
		expect(await auditOf(incident.id)).toMatchObject([
			{
				actor: expect.stringMatching(new RegExp(`^t-da-planner-${run} \\(socket:`)),
				action: 'incident.act',
				detail: { action: 'acknowledge', refused: 'FORBIDDEN' }
			}
		]);
		await close(incident.id);
	});

	it('audits assigning straight from new, which answers the alert and tells the household', async () => {
		const { socket } = await dispatcherConsole(`t-da-assign-${run}`);
		const fresh = await openIncident();
		const heardBefore = commands[SOS].length;
		expect(await assign(socket, fresh.id, responders.near)).toMatchObject({
			ok: true,
			value: { state: 'assigned', responder: { id: responders.near, assignment: 'offered' } }
		});
		const [entry] = await auditOf(fresh.id);
		expect(entry).toMatchObject({
			action: 'incident.assign',
			detail: { responderId: responders.near, firstAnswer: true }
		});
		await waitFor('help is coming on the SOS button', () => commands[SOS].length === heardBefore + 1);
		await toldHelpIsComing(fresh.id);
		expect(commands[SOS].at(-1)?.type).toBe('help_coming');
		expect((await timelineOf(fresh.id)).map((e) => e.action)).toEqual(['opened', 'assign', 'downlink_sent']);
		await close(fresh.id);

		// Assigning an incident already acknowledged tells the household nothing new.
		const answered = await openIncident();
		await act(socket, answered.id, 'acknowledge');
		await toldHelpIsComing(answered.id);
		await assign(socket, answered.id, responders.near);
		expect((await timelineOf(answered.id)).map((e) => e.action)).toEqual([
			'opened',
			'acknowledge',
			'downlink_sent',
			'assign'
		]);
		expect((await auditOf(answered.id))[0].detail).toMatchObject({ firstAnswer: false });
		await close(answered.id);
	});

	it('keeps neither the action nor its audit row when the audit row cannot be written', async () => {
		const username = `t-da-noaudit-${run}`;
		const { socket } = await dispatcherConsole(username);
		// The audit log refuses this one dispatcher's rows, as a full disk or a lost connection would.
		const refuse = `refuse_audit_${run}`;
		await sql.unsafe(`create function ${refuse}() returns trigger language plpgsql as $$
			begin raise exception 'the audit log is unavailable'; end $$`);
		await sql.unsafe(`create trigger ${refuse} before insert on audit_log for each row
			when (new.actor like '${username} %') execute function ${refuse}()`);
		try {
			const incident = await openIncident();
			expect(await act(socket, incident.id, 'acknowledge')).toMatchObject({ ok: false, code: 'INTERNAL' });
			expect(await assign(socket, incident.id, responders.near)).toMatchObject({
				ok: false,
				code: 'INTERNAL'
			});
			const [row] = await sql`select state, acknowledged_at from incidents where id = ${incident.id}`;
			expect(row).toEqual({ state: 'new', acknowledgedAt: null });
			expect((await timelineOf(incident.id)).map((e) => e.action)).toEqual(['opened']);
			expect(await sql`select id from incident_assignments where incident_id = ${incident.id}`).toHaveLength(
				0
			);
			expect((await findResponder(sql, responders.near))?.status).toBe('available');
			expect(await auditOf(incident.id)).toEqual([]);
			await close(incident.id);
		} finally {
			await sql.unsafe(`drop trigger ${refuse} on audit_log`);
			await sql.unsafe(`drop function ${refuse}()`);
		}
	});
});

describe('a dispatcher acting for a responder', () => {
	it('is recorded under their own name on the timeline and in the audit log', async () => {
		const { socket, user } = await dispatcherConsole(`t-da-proxy-${run}`);
		const request = { locals: { user }, getClientAddress: () => '10.0.0.7' };
		const { actor, onBehalf } = responderActor(request as never, responders.near);
		expect(onBehalf).toBe(true);
		expect(actor).toBe(`t-da-proxy-${run} (web:10.0.0.7) for responder:${responders.near}`);

		const incident = await openIncident();
		await assign(socket, incident.id, responders.near);
		const step = { incidentId: incident.id, acceptWithinS: 60, districtCode: DISTRICT };
		const changes = await takeResponderStep(sql, {
			...step,
			responderId: responders.near,
			actor,
			step: { action: 'decline' }
		});
		// The next responder is asked in the same transaction as the decline.
		expect(changes.at(-1)?.incident.responder).toMatchObject({
			id: responders.middle,
			assignment: 'offered'
		});
		const declined = (await timelineOf(incident.id)).find((e) => e.action === 'offer_declined');
		expect(declined?.actor).toBe(actor);
		const [entry] = await auditOf(incident.id);
		expect(entry).toMatchObject({
			actor,
			action: 'incident.act',
			detail: { action: 'decline', responderId: responders.near, to: 'assigned' }
		});

		// A step the responder cannot take is audited as refused.
		await expect(
			takeResponderStep(sql, { ...step, responderId: responders.near, actor, step: { action: 'accept' } })
		).rejects.toMatchObject({ code: 'CONFLICT' });
		expect((await auditOf(incident.id))[0]).toMatchObject({
			actor,
			detail: { action: 'accept', refused: 'CONFLICT' }
		});
		await close(incident.id);

		await setResponderDuty(sql, responders.near, 'off', actor);
		await setResponderDuty(sql, responders.near, 'available', actor);
		const duty = await recentAudit(sql, { subjectType: 'responder', subjectId: String(responders.near) });
		expect(duty.slice(0, 2).map((e) => [e.actor, e.action, e.detail])).toEqual([
			[actor, 'responder.update', { status: 'available' }],
			[actor, 'responder.update', { status: 'off' }]
		]);
	});

	it('leaves a responder acting from their own account recorded as the responder', () => {
		const user: SessionUser = {
			id: 1,
			username: 'r',
			displayName: 'r',
			role: 'responder',
			streetCodes: [],
			responderId: responders.middle
		};
		const request = { locals: { user }, getClientAddress: () => '10.0.0.8' };
		expect(responderActor(request as never, responders.middle)).toEqual({
			actor: `responder:${responders.middle}`,
			onBehalf: false
		});
	});

	it('audits registering a responder and registering it again', async () => {
		const registration = {
			externalId: `T-DA-registered-${run}`,
			districtCode: DISTRICT,
			name: '审计登记',
			role: 'volunteer' as const,
			status: 'off' as const,
			location: HOME
		};
		const first = await registerResponder(sql, registration, 'admin (web:10.0.0.9)');
		await registerResponder(sql, { ...registration, skills: ['first_aid'] }, 'admin (web:10.0.0.9)');
		const entries = await recentAudit(sql, { subjectType: 'responder', subjectId: String(first.id) });
		expect(entries.map((e) => [e.actor, e.action, e.detail.created, e.detail.skills])).toEqual([
			['admin (web:10.0.0.9)', 'responder.update', false, ['first_aid']],
			['admin (web:10.0.0.9)', 'responder.update', true, []]
		]);
	});
});

describe('who is proposed and who may be assigned', () => {
	it('proposes a responder the network cannot reach by straight line after the walked ones, labelled', async () => {
		// A node of the street network that a walk from the home does not reach within the search.
		const graph = (await activeWalkGraph(sql, DISTRICT))!;
		const walk = walkingSecondsFrom(graph, nearestNode(graph, HOME)!.node, {
			speedMps: 1.3,
			limitSeconds: 2 * 3600
		});
		const node = walk.seconds.findIndex((s) => !Number.isFinite(s));
		const faraway: [number, number] = [graph.lon[node], graph.lat[node]];
		const unreachable = await saveTestResponder('unreachable', faraway);
		const stale = await saveTestResponder('stale', [HOME[0] + 0.001, HOME[1]]);
		await sql`update responders set position_at = now() - interval '2 hours' where id = ${stale}`;
		try {
			const incident = await openIncident();
			const proposals = await proposeResponders(sql, incident, { limit: 10 });
			expect(proposals.map((p) => [p.responder.id, p.method])).toEqual([
				[responders.near, 'network'],
				[responders.middle, 'network'],
				[unreachable, 'straight_line']
			]);
			expect(proposals[2].meters).toBe(Math.round(haversineMeters(HOME, faraway)));
			await close(incident.id);
		} finally {
			await sql`update responders set status = 'off' where id in (${unreachable}, ${stale})`;
		}
	});

	it('refuses an off-shift or other-district responder as unavailable, saying which, and audits it', async () => {
		const { socket } = await dispatcherConsole(`t-da-refuse-${run}`);
		const offShift = await saveTestResponder('offshift', HOME, {
			shiftStart: shanghaiHour(2),
			shiftEnd: shanghaiHour(3)
		});
		await sql`
			insert into regions (code, level, name, short_name, parent_code, geom_source)
			values (${OTHER_DISTRICT}, 'district', '湖里区', '湖里', null, 'test')
			on conflict (code) do nothing`;
		const elsewhere = await saveResponder(sql, {
			externalId: `T-DA-elsewhere-${run}`,
			districtCode: OTHER_DISTRICT,
			name: '湖里应答员',
			role: 'grid_worker',
			location: HOME
		});
		try {
			const incident = await openIncident();
			expect(await assign(socket, incident.id, offShift)).toMatchObject({
				ok: false,
				code: 'UNAVAILABLE',
				message: expect.stringMatching(/off shift/)
			});
			expect(await assign(socket, incident.id, elsewhere)).toMatchObject({
				ok: false,
				code: 'UNAVAILABLE',
				message: expect.stringMatching(new RegExp(`works in district ${OTHER_DISTRICT}, not ${DISTRICT}`))
			});
			const entries = await auditOf(incident.id);
			expect(entries.map((e) => [e.action, e.detail.responderId, e.detail.refused])).toEqual([
				['incident.assign', elsewhere, 'UNAVAILABLE'],
				['incident.assign', offShift, 'UNAVAILABLE']
			]);
			const [row] = await sql`select state from incidents where id = ${incident.id}`;
			expect(row.state).toBe('new');
			await close(incident.id);
		} finally {
			await sql`update responders set status = 'off' where id = ${offShift}`;
			await sql`delete from responders where id = ${elsewhere}`;
			await sql`delete from regions where code = ${OTHER_DISTRICT} and geom_source = 'test'`;
		}
	});
});

describe('the offer timer', () => {
	it('asks the next responder for an incident left assigned with nobody offered', async () => {
		const incident = await openIncident();
		// What a step that failed between a timed-out offer and the next one used to leave behind.
		await sql`update incidents set state = 'assigned' where id = ${incident.id}`;
		const { changes, failed } = await skipUnacceptedOffers(sql, 60);
		expect(failed).toEqual([]);
		const change = changes.find((c) => c.incident.id === incident.id);
		expect(change?.incident.responder).toMatchObject({ id: responders.near, assignment: 'offered' });
		await close(incident.id);
	});
});
