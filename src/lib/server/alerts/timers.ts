/**
 * The timers role: runs supervision every `intervalMs`. Safe to run in several processes at once,
 * because each round claims its work in PostgreSQL (see supervision.ts).
 */
import type { Sql } from '../db/client';
import type { DomainEvents } from '../events';
import type { Logger } from '../log/logger';
import { superviseSilentDevices } from './supervision';

export interface Timers {
	stop(): Promise<void>;
}

export function startTimers(options: {
	sql: Sql;
	log: Logger;
	events: DomainEvents;
	intervalMs: number;
}): Timers {
	const { sql, log, events, intervalMs } = options;
	let running: Promise<void> | null = null;
	const round = async () => {
		try {
			for (const { incident, opened } of await superviseSilentDevices(sql)) {
				log.info({ incident: incident.id }, 'lost contact with a device');
				events.emit('incident:changed', incident, opened);
			}
		} catch (error) {
			// The next round tries again; a database outage must not stop the timers.
			log.warn({ err: error }, 'supervision round failed');
		}
	};
	const timer = setInterval(() => {
		if (!running) running = round().finally(() => (running = null));
	}, intervalMs);
	return {
		async stop() {
			clearInterval(timer);
			await running;
		}
	};
}
