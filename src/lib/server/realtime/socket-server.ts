/**
 * socket.io on the same HTTP server as SvelteKit. Every console joins its district's room and gets
 * the district's incidents as they open and change. (Rooms per street come with authentication.)
 */
import type { Server as HttpServer } from 'node:http';
import { Server } from 'socket.io';
import type { ClientToServerEvents, IncidentSummary, ServerToClientEvents } from '../../realtime/events';
import type { Services } from '../services';
import { APP_VERSION } from '../version';

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
		socket.emit('server:hello', {
			node: services.nodeName,
			version: APP_VERSION,
			districtCode: services.config.districtCode
		});
	});
	return io;
}
