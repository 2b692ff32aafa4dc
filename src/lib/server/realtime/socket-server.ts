/**
 * socket.io on the same HTTP server as SvelteKit. Every console joins its district's room and gets
 * the district's incidents as they open and change. (Rooms per street come with authentication.)
 */
import type { Server as HttpServer } from 'node:http';
import { Server } from 'socket.io';
import { z } from 'zod';
import { INCIDENT_ACTIONS, type IncidentAction } from '../alerts/incident-state';
import { tellHelpIsComing } from '../alerts/downlink';
import { IncidentActionError, actOnIncident } from '../alerts/incidents';
import type { ClientToServerEvents, IncidentSummary, ServerToClientEvents } from '../../realtime/events';
import type { Services } from '../services';
import { APP_VERSION } from '../version';

const incidentCommand = z.object({
	incidentId: z.number().int().positive(),
	action: z.enum(INCIDENT_ACTIONS as [IncidentAction, ...IncidentAction[]]),
	outcome: z.string().max(40).nullish(),
	note: z.string().max(500).nullish()
});

export type RealtimeServer = Server<ClientToServerEvents, ServerToClientEvents>;

export function attachRealtime(httpServer: HttpServer, services: Services): RealtimeServer {
	const io: RealtimeServer = new Server(httpServer, { serveClient: false });
	const districtRoom = (code: string) => `district:${code}`;
	const forward = (incident: IncidentSummary, opened: boolean) =>
		io
			.to(districtRoom(incident.districtCode))
			.emit(opened ? 'incident:opened' : 'incident:updated', incident);
	services.events.on('incident:changed', forward);
	httpServer.once('close', () => services.events.off('incident:changed', forward));
	io.on('connection', (socket) => {
		socket.join(districtRoom(services.config.districtCode));
		socket.on('incident:act', async (raw, answer) => {
			if (typeof answer !== 'function') return;
			const command = incidentCommand.safeParse(raw);
			if (!command.success) {
				const issue = command.error.issues[0];
				return answer({
					ok: false,
					code: 'BAD_COMMAND',
					message: `${issue.path.join('.') || 'command'}: ${issue.message}`
				});
			}
			try {
				const incident = await actOnIncident(services.database.sql, {
					...command.data,
					// Until consoles log in, the socket is the most precise actor we have.
					actor: `console:${socket.id}`
				});
				services.events.emit('incident:changed', incident, false);
				answer({ ok: true, value: incident });
				if (command.data.action === 'acknowledge') {
					await tellHelpIsComing(services.database.sql, services.broker.client, incident).catch((error) =>
						services.log.error(
							{ err: error, incident: incident.id },
							'could not tell the household help is coming'
						)
					);
				}
			} catch (error) {
				if (error instanceof IncidentActionError)
					return answer({ ok: false, code: error.code, message: error.message });
				services.log.error({ err: error }, 'incident command failed');
				answer({ ok: false, code: 'INTERNAL', message: 'the command could not be carried out' });
			}
		});
		socket.emit('server:hello', {
			node: services.nodeName,
			version: APP_VERSION,
			districtCode: services.config.districtCode
		});
	});
	return io;
}
