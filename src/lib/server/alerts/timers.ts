/**
 * The timers role: runs supervision, SLA escalation and the responders' offer window every
 * `intervalMs`. Safe to run in several processes at once, because each round claims its work in
 * PostgreSQL (see supervision.ts).
 */
import type { Sql } from '../db/client';
import type { DomainEvents } from '../events';
import type { Logger } from '../log/logger';
import { skipUnacceptedOffers } from '../dispatch/dispatch';
import { escalateOverdue } from './escalation';
import { superviseSilentDevices } from './supervision';

export interface Timers {
	stop(): Promise<void>;
}

export function startTimers(options: {
	sql: Sql;
	log: Logger;
	events: DomainEvents;
	intervalMs: number;
	/** How long a responder has to accept an offer. */
	offerAcceptS: number;
}): Timers {
	const { sql, log, events, intervalMs, offerAcceptS } = options;
	let running: Promise<void> | null = null;
	let massSilence = false;
	const round = async () => {
		try {
			const supervision = await superviseSilentDevices(sql);
			if (Boolean(supervision.massSilence) !== massSilence) {
				massSilence = !massSilence;
				if (supervision.massSilence)
					log.error(
						supervision.massSilence,
						'mass silence: too many devices silent at once, the broker or ingest is likely down; lost-contact alerts held'
					);
				else log.info('devices heard again: lost-contact supervision resumed');
			}
			for (const { incident, opened } of supervision.raised) {
				log.info({ incident: incident.id }, 'lost contact with a device');
				events.emit('incident:changed', incident, opened);
			}
			for (const incident of await escalateOverdue(sql)) {
				log.warn(
					{ incident: incident.id, severity: incident.severity },
					'not acknowledged in time: escalated'
				);
				events.emit('incident:changed', incident, false);
			}
			const { changes, freed, failed } = await skipUnacceptedOffers(sql, offerAcceptS);
			for (const { incidentId, error } of failed)
				log.warn(
					{ err: error, incident: incidentId },
					'could not ask the next responder; the next round retries'
				);
			for (const responder of freed) events.emit('responder:changed', responder);
			for (const change of changes) {
				log.info(
					{ incident: change.incident.id, responder: change.incident.responder?.id ?? null },
					'offer not accepted in time: asked the next responder'
				);
				events.announce(change);
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
