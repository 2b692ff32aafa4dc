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
	actOnIncident,
	incidentSummary,
	type IncidentChangeResult
} from '../alerts/incidents';
import { recordAudit } from '../audit/audit-log';
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
	 * Runs a validated command for a console and answers it: the change is announced to every
	 * console and written to the audit log; a refusal gets its stable code and reason.
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
				if (error instanceof IncidentActionError)
					return answer({ ok: false, code: error.code, message: error.message });
				services.log.error({ err: error }, 'incident command failed');
				answer({ ok: false, code: 'INTERNAL', message: 'the command could not be carried out' });
			}
		};

	const act = command(incidentCommand, async (data, actor) => {
		const change = await actOnIncident(sql, { ...data, actor });
		await recordAudit(sql, {
			actor,
			action: 'incident.act',
			subjectType: 'incident',
			subjectId: data.incidentId,
			districtCode: change.incident.districtCode,
			detail: { action: data.action, outcome: data.outcome ?? null, to: change.incident.state }
		});
		if (data.action === 'acknowledge') {
			await tellHelpIsComing(sql, services.broker.client, change.incident).catch((error) =>
				services.log.error(
					{ err: error, incident: data.incidentId },
					'could not tell the household help is coming'
				)
			);
		}
		return change;
	});

	const assign = command(assignCommand, async (data, actor) => {
		const incident = await incidentSummary(sql, data.incidentId).catch(() => null);
		const proposal = incident
			? (await proposeResponders(sql, incident, { limit: 50 })).find(
					(p) => p.responder.id === data.responderId
				)
			: undefined;
		const change = await assignResponder(sql, {
			...data,
			actor,
			acceptWithinS: services.config.offerAcceptS,
			walk: proposal
		});
		await recordAudit(sql, {
			actor,
			action: 'incident.assign',
			subjectType: 'incident',
			subjectId: data.incidentId,
			districtCode: change.incident.districtCode,
			detail: { responderId: data.responderId }
		});
		return change;
	});

	io.on('connection', (socket) => {
		joinRealtimeRooms(socket, services.config.districtCode);
		const actor = socketActor(socket);
		socket.on(
			'incident:act',
			guardCommand(socket, sql, 'incident:act', (raw, answer) => act(raw, answer, actor))
		);
		socket.on(
			'incident:assign',
			guardCommand(socket, sql, 'incident:assign', (raw, answer) => assign(raw, answer, actor))
		);
		socket.emit('server:hello', {
			node: services.nodeName,
			version: APP_VERSION,
			districtCode: services.config.districtCode
		});
	});
	return io;
}
