/**
 * socket.io through the same policy as HTTP: the handshake must carry a session (the browser's
 * cookie, or `auth.session` from API clients); incidents go out to rooms per street, and a socket
 * joins only the rooms its user may see, so a dispatcher limited to 莲前 never receives another
 * street's alert; commands are checked against the user's role and streets before they run.
 */
import type { Server, Socket } from 'socket.io';
import type { Sql } from '../db/client';
import type { IncidentSummary } from '../../realtime/events';
import { admits, type Who } from './policy';
import { seesCommunity, streetOfCommunity, type SessionUser } from './roles';
import { SESSION_COOKIE, sessionUser } from './sessions';

/** Who may send each command; every socket event from a client needs a line here. */
export const SOCKET_RULES = {
	'incident:act': ['dispatcher', 'dispatch_supervisor'],
	'incident:assign': ['dispatcher', 'dispatch_supervisor']
} as const satisfies Record<string, Who>;
export type SocketCommand = keyof typeof SOCKET_RULES;

/** Who receives incidents and responders' movements at all (then limited by street). */
export const WATCHERS: Who = ['dispatcher', 'dispatch_supervisor', 'responder'];

const districtRoom = (district: string) => `incidents:${district}:all`;
const streetRoom = (district: string, street: string) => `incidents:${district}:street:${street}`;
/** Incidents with no known community go only to the whole-district room. */
export function incidentRooms(incident: Pick<IncidentSummary, 'districtCode' | 'communityCode'>): string[] {
	const street = streetOfCommunity(incident.communityCode);
	return street
		? [districtRoom(incident.districtCode), streetRoom(incident.districtCode, street)]
		: [districtRoom(incident.districtCode)];
}
export const responderRoom = (district: string) => `responders:${district}`;

type AnySocket = Socket<never, never, never, { user?: SessionUser }>;
export const userOf = (socket: AnySocket): SessionUser => socket.data.user!;

function tokenOf(socket: AnySocket): string | undefined {
	const fromAuth = (socket.handshake.auth as { session?: unknown } | undefined)?.session;
	if (typeof fromAuth === 'string') return fromAuth;
	for (const pair of socket.handshake.headers.cookie?.split(';') ?? []) {
		const [name, value] = pair.trim().split('=');
		if (name === SESSION_COOKIE) return value;
	}
	return undefined;
}

/** Refuses a connection without a valid session (the client sees `connect_error` LOGIN_REQUIRED). */
export function authenticateSockets(io: Server, sql: Sql): void {
	io.use((socket, next) => {
		sessionUser(sql, tokenOf(socket as AnySocket)).then(
			(user) => {
				if (!user) return next(new Error('LOGIN_REQUIRED'));
				(socket as AnySocket).data.user = user;
				next();
			},
			() => next(new Error('UNAVAILABLE'))
		);
	});
}

/**
 * The rooms a connected user listens in: the whole district, or only their streets; returns the
 * incident rooms joined (none for a role that does not watch incidents).
 */
export function joinRealtimeRooms(socket: AnySocket, district: string): string[] {
	const user = userOf(socket);
	if (admits(WATCHERS, user) !== 'allow') return [];
	const incidentRooms =
		user.streetCodes.length === 0
			? [districtRoom(district)]
			: user.streetCodes.map((street) => streetRoom(district, street));
	void socket.join([responderRoom(district), ...incidentRooms]);
	return incidentRooms;
}

/** The actor recorded for what a socket's user does: the account and where it connected from. */
export function socketActor(socket: AnySocket): string {
	return `${userOf(socket).username} (socket:${socket.handshake.address})`;
}

type Answer = (result: { ok: false; code: string; message: string }) => void;

/**
 * Wraps a command handler: refused with FORBIDDEN when the role may not send it or the incident
 * belongs to another district than the one this server serves (`districtCode`), and when the
 * incident lies outside the user's streets (as if it did not exist, NOT_FOUND).
 */
export function guardCommand<A extends unknown[]>(
	socket: AnySocket,
	sql: Sql,
	districtCode: string,
	command: SocketCommand,
	handler: (raw: unknown, answer: never, ...rest: A) => unknown
) {
	return async (raw: unknown, answer: Answer, ...rest: A) => {
		if (typeof answer !== 'function') return;
		const user = userOf(socket);
		if (admits(SOCKET_RULES[command], user) !== 'allow')
			return answer({ ok: false, code: 'FORBIDDEN', message: `your role may not send ${command}` });
		const incidentId = (raw as { incidentId?: unknown } | null)?.incidentId;
		if (typeof incidentId === 'number') {
			const [incident]: [{ districtCode: string; communityCode: string | null }?] =
				await sql`select district_code, community_code from incidents where id = ${incidentId}`;
			if (incident && incident.districtCode !== districtCode)
				return answer({
					ok: false,
					code: 'FORBIDDEN',
					message: `incident ${incidentId} belongs to district ${incident.districtCode}, not ${districtCode}`
				});
			if (incident && !seesCommunity(user, incident.communityCode))
				return answer({ ok: false, code: 'NOT_FOUND', message: `incident ${incidentId} does not exist` });
		}
		return handler(raw, answer as never, ...rest);
	};
}
