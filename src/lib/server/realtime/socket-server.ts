/**
 * socket.io on the same HTTP server as SvelteKit. Every console joins its district's room and gets
 * the district's incidents as they open and change — only those of its streets when the user is
 * limited to some (who may connect, listen and command: src/lib/server/auth/realtime-access.ts).
 */
import type { Server as HttpServer } from 'node:http';
import { Server } from 'socket.io';
import { z } from 'zod';
import { INCIDENT_ACTIONS, type IncidentAction } from '../alerts/incident-state';
import { tellHelpIsComing } from '../alerts/downlink';
import {
	IncidentActionError,
	incidentSummary,
	transitionIncident,
	type IncidentChangeResult
} from '../alerts/incidents';
import { recordAudit, recordRefusal, withAudit, type AuditAction } from '../audit/audit-log';
import { authenticateSockets, guardCommand, joinRealtimeRooms, socketActor } from '../auth/realtime-access';
import { assignResponder } from '../dispatch/assignments';
import { proposeResponders } from '../dispatch/dispatch';
import type {
	ClientToServerEvents,
	CommandResult,
	IncidentSummary,
	ServerToClientEvents
} from '../../realtime/events';
import type { Services } from '../services';
import { APP_VERSION } from '../version';
import { forwardDomainEvents } from './push-forwarding';

/** Refusals that are decisions about an incident, and so are audited (not malformed or failed commands). */
const AUDITED_REFUSALS = new Set(['FORBIDDEN', 'NOT_FOUND', 'INVALID_TRANSITION', 'CONFLICT', 'UNAVAILABLE']);

const incidentCommand = z.object({
	incidentId: z.number().int().positive(),
	// Assigning needs a responder: that is 'incident:assign'.
	action: z.enum(INCIDENT_ACTIONS.filter((a) => a !== 'assign') as [IncidentAction, ...IncidentAction[]]),
	outcome: z.string().max(40).nullish(),
	note: z.string().max(500).nullish()
});

const assignCommand = z.object({
	incidentId: z.number().int().positive(),
	responderId: z.number().int().positive()
});

export type RealtimeServer = Server<ClientToServerEvents, ServerToClientEvents>;

export function attachRealtime(httpServer: HttpServer, services: Services): RealtimeServer {
	// With REDIS_URL the adapter carries broadcasts to (and from) the other nodes (push-cluster.ts).
	const adapter = services.pushCluster?.adapter;
	const io: RealtimeServer = new Server(httpServer, { serveClient: false, ...(adapter ? { adapter } : {}) });
	const { sql } = services.database;
	authenticateSockets(io, sql);
	httpServer.once('close', forwardDomainEvents(io, services.events));

	/**
	 * Runs a validated command for a console and answers it: the change and its audit row are one
	 * transaction (run's job), then it is announced to every console; a refusal gets its stable code
	 * and reason.
	 */
	const command =
		<T>(schema: z.ZodType<T>, run: (command: T, actor: string) => Promise<IncidentChangeResult>) =>
		async (raw: unknown, answer: (result: CommandResult<IncidentSummary>) => void, actor: string) => {
			if (typeof answer !== 'function') return;
			const parsed = schema.safeParse(raw);
			if (!parsed.success) {
				const issue = parsed.error.issues[0];
				return answer({
					ok: false,
					code: 'BAD_COMMAND',
					message: `${issue.path.join('.') || 'command'}: ${issue.message}`
				});
			}
			try {
				const change = await run(parsed.data, actor);
				services.events.announce(change);
				answer({ ok: true, value: change.incident });
			} catch (error) {
				if (error instanceof IncidentActionError) return answer(error.toResult());
				services.log.error({ err: error }, 'incident command failed');
				answer({ ok: false, code: 'INTERNAL', message: 'the command could not be carried out' });
			}
		};

	/**
	 * What the household hears once someone answers: sent after the answer committed, and not waited
	 * for, so a slow or absent broker delays neither the console's answer nor the push.
	 */
	const helpIsComing = (incident: IncidentSummary, actor: string) =>
		tellHelpIsComing(sql, services.broker.client, incident, actor).catch((error) =>
			services.log.error({ err: error, incident: incident.id }, 'could not tell the household help is coming')
		);

	const act = command(incidentCommand, async (data, actor) => {
		const change = await withAudit(
			sql,
			(tx) => transitionIncident(tx, { ...data, actor }),
			(done) => ({
				actor,
				action: 'incident.act',
				subjectType: 'incident',
				subjectId: data.incidentId,
				districtCode: done.incident.districtCode,
				detail: { action: data.action, outcome: data.outcome ?? null, to: done.incident.state }
			})
		);
		if (data.action === 'acknowledge') void helpIsComing(change.incident, actor);
		return change;
	});

	const assign = command(assignCommand, async (data, actor) => {
		const incident = await incidentSummary(sql, data.incidentId).catch(() => null);
		const proposal = incident
			? (await proposeResponders(sql, incident, { limit: 50 })).find(
					(p) => p.responder.id === data.responderId
				)
			: undefined;
		const change = await withAudit(
			sql,
			(tx) =>
				assignResponder(tx, {
					...data,
					actor,
					acceptWithinS: services.config.offerAcceptS,
					walk: proposal
				}),
			(done) => ({
				actor,
				action: 'incident.assign',
				subjectType: 'incident',
				subjectId: data.incidentId,
				districtCode: done.incident.districtCode,
				detail: { responderId: data.responderId, firstAnswer: done.firstAnswer }
			})
		);
		// Assigning straight away answers the alert too: the household is told as on acknowledge.
		if (change.firstAnswer) void helpIsComing(change.incident, actor);
		return change;
	});

	/**
	 * The console's answer, with every refusal that is a decision about an incident (the guard's
	 * FORBIDDEN included) first written to the audit log as refused, with its reason and what was
	 * asked (only the command's known fields: the rest of a refused command is the client's).
	 */
	const auditingRefusals =
		(
			action: AuditAction,
			actor: string,
			raw: unknown,
			answer: (result: CommandResult<IncidentSummary>) => void
		) =>
		async (result: CommandResult<IncidentSummary>) => {
			if (!result.ok && AUDITED_REFUSALS.has(result.code)) {
				const asked = (raw ?? {}) as Record<string, unknown>;
				const detail = Object.fromEntries(
					['action', 'responderId', 'outcome']
						.map((field) => [field, asked[field]])
						.filter(([, value]) => typeof value === 'string' || typeof value === 'number')
				);
				await recordRefusal(
					sql,
					{
						actor,
						action,
						subjectType: 'incident',
						subjectId: typeof asked.incidentId === 'number' ? asked.incidentId : 'unknown',
						districtCode: services.config.districtCode,
						detail
					},
					result
				).catch((error) => services.log.error({ err: error, action }, 'could not audit a refusal'));
			}
			answer(result);
		};

	io.on('connection', (socket) => {
		const district = services.config.districtCode;
		const watching = joinRealtimeRooms(socket, district);
		const actor = socketActor(socket);
		// From now on this console is pushed every incident of its rooms, homes' locations included.
		if (watching.length > 0)
			void recordAudit(sql, {
				actor,
				action: 'incident.watch',
				subjectType: 'incident',
				subjectId: '*',
				districtCode: district,
				detail: { rooms: watching }
			}).catch((error) => services.log.error({ err: error }, 'could not audit a console connecting'));
		const guardedAct = guardCommand(socket, sql, district, 'incident:act', (raw, answer) =>
			act(raw, answer, actor)
		);
		const guardedAssign = guardCommand(socket, sql, district, 'incident:assign', (raw, answer) =>
			assign(raw, answer, actor)
		);
		// A command without an answer callback is ignored, as the guard and `command` would.
		socket.on('incident:act', (raw, answer) => {
			if (typeof answer === 'function')
				void guardedAct(raw, auditingRefusals('incident.act', actor, raw, answer));
		});
		socket.on('incident:assign', (raw, answer) => {
			if (typeof answer === 'function')
				void guardedAssign(raw, auditingRefusals('incident.assign', actor, raw, answer));
		});
		socket.emit('server:hello', {
			node: services.nodeName,
			version: APP_VERSION,
			districtCode: services.config.districtCode
		});
	});
	return io;
}
