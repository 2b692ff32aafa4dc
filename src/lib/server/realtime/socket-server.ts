/**
 * socket.io on the same HTTP server as SvelteKit. Rooms per role/street come with authentication;
 * for now every browser receives the hello that names its node.
 */
import type { Server as HttpServer } from 'node:http';
import { Server } from 'socket.io';
import type { ClientToServerEvents, ServerToClientEvents } from '../../realtime/events';
import type { Services } from '../services';
import { APP_VERSION } from '../version';

export type RealtimeServer = Server<ClientToServerEvents, ServerToClientEvents>;

export function attachRealtime(httpServer: HttpServer, services: Services): RealtimeServer {
	const io: RealtimeServer = new Server(httpServer, { serveClient: false });
	io.on('connection', (socket) => {
		socket.emit('server:hello', {
			node: services.nodeName,
			version: APP_VERSION,
			districtCode: services.config.districtCode
		});
	});
	return io;
}
