/**
 * What the processes push to consoles: every incident and responder change announced on the
 * process's domain events goes to the rooms allowed to see it (src/lib/server/auth/realtime-access.ts),
 * on whichever node the consoles sit.
 */
import type { Server } from 'socket.io';
import type {
	ClientToServerEvents,
	IncidentSummary,
	ResponderSummary,
	ServerToClientEvents
} from '../../realtime/events';
import { incidentRooms, responderRoom } from '../auth/realtime-access';
import type { DomainEvents } from '../events';

/** Forwards the domain events to their rooms; returns the function that stops it. */
export function forwardDomainEvents(
	io: Server<ClientToServerEvents, ServerToClientEvents>,
	events: DomainEvents
): () => void {
	const incident = (summary: IncidentSummary, opened: boolean) =>
		io.to(incidentRooms(summary)).emit(opened ? 'incident:opened' : 'incident:updated', summary);
	const responder = (summary: ResponderSummary) =>
		io.to(responderRoom(summary.districtCode)).emit('responder:updated', summary);
	events.on('incident:changed', incident);
	events.on('responder:changed', responder);
	return () => {
		events.off('incident:changed', incident);
		events.off('responder:changed', responder);
	};
}
