/**
 * Domain events inside one process: ingest and timers announce what changed, the realtime server
 * pushes it to consoles. (Across processes the socket.io adapter carries the pushes.)
 */
import { EventEmitter } from 'node:events';
import type { IncidentSummary } from '../realtime/events';

export interface DomainEventMap {
	'incident:changed': [incident: IncidentSummary, opened: boolean];
}

export class DomainEvents extends EventEmitter<DomainEventMap> {}
