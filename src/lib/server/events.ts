/**
 * Domain events inside one process: ingest and timers announce what changed, the realtime server
 * pushes it to consoles. (Across processes the socket.io adapter carries the pushes.)
 */
import { EventEmitter } from 'node:events';
import type { IncidentSummary, ResponderSummary } from '../realtime/events';

export interface DomainEventMap {
	'incident:changed': [incident: IncidentSummary, opened: boolean];
	'responder:changed': [responder: ResponderSummary];
}

export class DomainEvents extends EventEmitter<DomainEventMap> {
	/** Announces what a dispatch step changed: the incident, then the responders it moved. */
	announce(change: { incident: IncidentSummary; responders: ResponderSummary[] }) {
		this.emit('incident:changed', change.incident, false);
		for (const responder of change.responders) this.emit('responder:changed', responder);
	}
}
