/**
 * Files validated uplink messages, many at a time in one transaction: events are stored once
 * (device id + event id, so a redelivery or a second worker changes nothing), alerting events raise
 * or join the household's incident, telemetry and status update the device. One transaction per
 * batch is what lets ingest keep up with a district's bursts; when PostgreSQL refuses a batch as bad
 * data the caller (ingest-worker.ts) stores it again in halves to find the message that spoilt it.
 */
import type { IncidentSummary } from '../../realtime/events';
import { DEFAULT_SEVERITY, alertOfEvent } from '../alerts/alert-kinds';
import { incidentSummary, raiseAlert, raiseAlerts } from '../alerts/incidents';
import type { Sql } from '../db/client';
import type { IngestDevice } from './ingest-devices';
import type { EventPayload, StatusPayload, TelemetryPayload, UplinkMessage } from '../../mqtt/contract';

export interface Uplink {
	device: IngestDevice;
	message: UplinkMessage;
}

export interface IncidentChange {
	incident: IncidentSummary;
	opened: boolean;
}

export interface StoreResult {
	/** Per uplink, in order: false when it repeats an event already stored (a broker redelivery). */
	stored: boolean[];
	/**
	 * The uplinks (by index) not stored because their event id was already stored with another type
	 * or time: a device whose counter restarted, whose new alarm must not pass for a redelivery.
	 */
	reusedIds: { index: number; reason: string }[];
	/** Incidents opened or changed by the batch, each once, in its latest state. */
	incidents: IncidentChange[];
}

type Tagged<P> = { index: number; device: IngestDevice; payload: P };

/** A message refused with its reason, kept byte for byte. */
export interface DeadLetter {
	topic: string;
	clientId: string | null;
	payload: Uint8Array;
	reason: string;
}

export async function storeUplinks(
	sql: Sql,
	uplinks: Uplink[],
	letters: DeadLetter[] = []
): Promise<StoreResult> {
	const stored = uplinks.map(() => true);
	const changes = new Map<number, IncidentChange>();
	const note = (change: IncidentChange) => {
		const earlier = changes.get(change.incident.id);
		changes.set(change.incident.id, { ...change, opened: change.opened || (earlier?.opened ?? false) });
	};
	const events: Tagged<EventPayload>[] = [];
	const telemetry: Tagged<TelemetryPayload>[] = [];
	const statuses: Tagged<StatusPayload>[] = [];
	uplinks.forEach(({ device, message }, index) => {
		if (message.kind === 'event') events.push({ index, device, payload: message.payload });
		else if (message.kind === 'telemetry') telemetry.push({ index, device, payload: message.payload });
		else statuses.push({ index, device, payload: message.payload });
	});

	const heard = [...events, ...telemetry];
	if (letters.length === 0 && statuses.length === 0 && !events.some((e) => alertOfEvent(e.payload.type))) {
		// The bulk of traffic (telemetry, context events) raises nothing: the two statements run side by
		// side outside a transaction, as each is idempotent and a retry after a failure repeats both.
		const [fresh, back] = await Promise.all([insertEvents(sql, events), markDevicesHeard(sql, heard)]);
		events.forEach((e, i) => (stored[e.index] = fresh[i]));
		const incidents = (await noteDevicesBack(sql, back)).map((incident) => ({ incident, opened: false }));
		return { stored, reusedIds: await findReusedIds(sql, events, fresh), incidents };
	}
	let reusedIds: StoreResult['reusedIds'] = [];
	await sql.begin(async (begun) => {
		const tx = begun as unknown as Sql;
		await storeDeadLetters(tx, letters);
		const fresh = await insertEvents(tx, events);
		events.forEach((e, i) => (stored[e.index] = fresh[i]));
		reusedIds = await findReusedIds(tx, events, fresh);
		const back = await markDevicesHeard(tx, heard);
		const alerting = events.flatMap((e, i) => {
			const alert = fresh[i] ? alertOfEvent(e.payload.type) : null;
			return alert ? [{ e, alert }] : [];
		});
		const raised = await raiseAlerts(
			tx,
			alerting.map(({ e, alert }) => ({
				...alertBase(e.device),
				...alert,
				at: new Date(e.payload.at),
				detail: {
					deviceId: e.device.id,
					eventId: e.payload.eventId,
					type: e.payload.type,
					confidence: e.payload.confidence ?? null
				}
			}))
		);
		if (alerting.length > 0)
			await tx`
				update device_events e set incident_id = u.incident_id
				from unnest(
					${tx.array(alerting.map(({ e }) => e.device.id))}::text[],
					${tx.array(alerting.map(({ e }) => e.payload.eventId))}::text[],
					${tx.array(raised.incidentIds)}::bigint[]) as u(device_id, event_id, incident_id)
				where e.device_id = u.device_id and e.event_id = u.event_id`;
		for (const change of raised.incidents) note(change);
		// Status messages are rare (connect, last will): one at a time, in order.
		for (const s of statuses) {
			const { raised, cameBack } = await storeStatus(tx, s.device, s.payload);
			if (raised) note(raised);
			if (cameBack) back.push(cameBack);
		}
		for (const incident of await noteDevicesBack(tx, back)) note({ incident, opened: false });
	});
	return { stored, reusedIds, incidents: [...changes.values()] };
}

/**
 * Of the events not stored, those whose id was stored before with another type or time. A broker's
 * redelivery or a device's own retry repeats the event itself, and passes as a duplicate.
 */
async function findReusedIds(
	tx: Sql,
	events: Tagged<EventPayload>[],
	fresh: boolean[]
): Promise<StoreResult['reusedIds']> {
	const repeats = events.filter((_, i) => !fresh[i]);
	if (repeats.length === 0) return [];
	const rows = await tx<{ deviceId: string; eventId: string; type: string; occurredAt: Date }[]>`
		select e.device_id, e.event_id, e.type, e.occurred_at from device_events e
		join unnest(${tx.array(repeats.map((r) => r.device.id))}::text[],
			${tx.array(repeats.map((r) => r.payload.eventId))}::text[]) as u(device_id, event_id)
			on e.device_id = u.device_id and e.event_id = u.event_id`;
	const stored = new Map(rows.map((row) => [`${row.deviceId}\u0000${row.eventId}`, row]));
	return repeats.flatMap((repeat) => {
		const earlier = stored.get(`${repeat.device.id}\u0000${repeat.payload.eventId}`);
		const sameEvent =
			!earlier ||
			(earlier.type === repeat.payload.type &&
				new Date(earlier.occurredAt).getTime() === new Date(repeat.payload.at).getTime());
		if (sameEvent) return [];
		const was = `${earlier.type} at ${new Date(earlier.occurredAt).toISOString()}`;
		return [
			{ index: repeat.index, reason: `event id ${repeat.payload.eventId} was already used for ${was}` }
		];
	});
}

function alertBase(device: IngestDevice) {
	return {
		householdId: device.householdId,
		districtCode: device.districtCode,
		communityCode: device.communityCode,
		location: device.location,
		actor: `device:${device.id}`
	};
}

/** Inserts the events in one statement; says for each whether it was new. */
async function insertEvents(tx: Sql, events: Tagged<EventPayload>[]): Promise<boolean[]> {
	if (events.length === 0) return [];
	// One jsonb parameter rather than five arrays: PostgreSQL reads it with a third less CPU than five
	// array literals (measured in a burst: 24 → 16 µs per event), and it is serialised natively where
	// array elements are escaped one by one in JavaScript.
	const rows = events.map((e) => ({ device_id: e.device.id, payload: e.payload }));
	const inserted = await tx<{ deviceId: string; eventId: string }[]>`
		insert into device_events (device_id, event_id, type, occurred_at, payload)
		select e.device_id, e.payload->>'eventId', e.payload->>'type', (e.payload->>'at')::timestamptz, e.payload
		from jsonb_to_recordset(${tx.json(rows as never)}) as e(device_id text, payload jsonb)
		on conflict (device_id, event_id) do nothing
		returning device_id, event_id`;
	const keys = new Set(inserted.map((row) => `${row.deviceId}\u0000${row.eventId}`));
	// The same event twice in one batch: only its first occurrence counts as stored.
	return events.map((e) => keys.delete(`${e.device.id}\u0000${e.payload.eventId}`));
}

/**
 * A chatty device's last_seen is written at most this often: supervision works in heartbeats of 10 s
 * and more, and each write of an indexed column costs a new row version and index entries.
 */
const LAST_SEEN_RESOLUTION = '5 seconds';

/**
 * A device row (as it stands before being marked heard) that was declared out of contact or went
 * offline after it had been heard: hearing it now brings it back. A constant, safe to splice.
 */
const WAS_LOST = 'lost_contact_at is not null or (not online and last_seen is not null)';

/** A device heard again after it was declared offline or out of contact. */
interface DeviceBack {
	deviceId: string;
	householdId: number;
}

/**
 * Every device heard from is online and in contact; telemetry's latest battery and signal are kept.
 * Returns the devices that were offline or out of contact until now.
 */
async function markDevicesHeard(
	tx: Sql,
	heard: (Tagged<EventPayload> | Tagged<TelemetryPayload>)[]
): Promise<DeviceBack[]> {
	if (heard.length === 0) return [];
	const latest = new Map<string, { battery: number | null; rssi: number | null }>();
	for (const h of heard) {
		const before = latest.get(h.device.id) ?? { battery: null, rssi: null };
		const p = h.payload as TelemetryPayload;
		latest.set(h.device.id, { battery: p.battery ?? before.battery, rssi: p.rssi ?? before.rssi });
	}
	// Sorted, so that concurrent workers lock device rows in the same order and cannot deadlock.
	const ids = [...latest.keys()].sort();
	// The subquery reads the rows as they were before this update.
	const rows = await tx<{ id: string; householdId: string; wasLost: boolean }[]>`
		update devices d set last_seen = now(), online = true, lost_contact_at = null,
			battery = coalesce(u.battery, d.battery), rssi = coalesce(u.rssi, d.rssi)
		from unnest(
			${tx.array(ids)}::text[],
			${tx.array(ids.map((id) => latest.get(id)!.battery))}::real[],
			${tx.array(ids.map((id) => latest.get(id)!.rssi))}::int[]) as u(id, battery, rssi),
			(select id, ${tx.unsafe(WAS_LOST)} as was_lost from devices
				where id = any(${tx.array(ids)}::text[])) as before
		where d.id = u.id and before.id = d.id and (u.battery is not null or u.rssi is not null or not d.online
			or d.lost_contact_at is not null or d.last_seen is null or d.last_seen < now() - ${LAST_SEEN_RESOLUTION}::interval)
		returning d.id, d.household_id, before.was_lost`;
	return rows
		.filter((row) => row.wasLost)
		.map((row) => ({ deviceId: row.id, householdId: Number(row.householdId) }));
}

/**
 * Writes on each household's open incident that its device is heard again, so a dispatcher looking
 * at a lost-contact or offline alert sees it come back; returns the incidents noted.
 */
async function noteDevicesBack(tx: Sql, back: DeviceBack[]): Promise<IncidentSummary[]> {
	if (back.length === 0) return [];
	const rows = await tx<{ incidentId: string }[]>`
		insert into incident_events (incident_id, actor, action, detail)
		select i.id, 'device:' || u.device_id, 'device_back', jsonb_build_object('deviceId', u.device_id)
		from unnest(${tx.array(back.map((b) => b.deviceId))}::text[],
			${tx.array(back.map((b) => b.householdId))}::bigint[]) as u(device_id, household_id)
		join incidents i on i.household_id = u.household_id and i.state not in ('resolved', 'false_alarm')
		returning incident_id`;
	const ids = [...new Set(rows.map((row) => Number(row.incidentId)))];
	return Promise.all(ids.map((id) => incidentSummary(tx, id)));
}

/**
 * A status message; a last-will "offline" raises an alert at once (a repeated one while offline does
 * not), an "online" after one brings the device back.
 *
 * Statuses are applied in the order of their times, not of their arrival: one not newer than the
 * device's `status_at` is ignored, so an old "online" delivered again (a broker's redelivery, a
 * device's retry) after the last will's "offline" does not bring a device back that is gone. A
 * status without `at` (a last will, composed when the device connected) counts from its arrival,
 * and one from a clock that runs ahead counts no later than its arrival, so that it cannot hide the
 * statuses that follow. clock_timestamp(), not now(): two statuses of one transaction keep their order.
 */
async function storeStatus(
	tx: Sql,
	device: IngestDevice,
	p: StatusPayload
): Promise<{ raised: IncidentChange | null; cameBack: DeviceBack | null }> {
	const [before] = await tx<{ online: boolean; wasLost: boolean }[]>`
		select online, ${tx.unsafe(WAS_LOST)} as was_lost from devices where id = ${device.id} for update`;
	const applied = await tx`
		with status as (
			select least(coalesce(${p.at ?? null}::timestamptz, clock_timestamp()), clock_timestamp()) as at)
		update devices set online = ${p.state === 'online'}, status_at = status.at,
			last_seen = case when ${p.state} = 'online' then now() else last_seen end,
			lost_contact_at = case when ${p.state} = 'online' then null else lost_contact_at end,
			firmware = coalesce(${p.firmware ?? null}, firmware), heartbeat_s = coalesce(${p.heartbeatS ?? null}::int, heartbeat_s)
		from status
		where id = ${device.id} and (status_at is null or status.at > status_at)
		returning id`;
	if (applied.length === 0) return { raised: null, cameBack: null };
	if (p.state === 'online')
		return {
			raised: null,
			cameBack: before?.wasLost ? { deviceId: device.id, householdId: device.householdId } : null
		};
	if (!before?.online) return { raised: null, cameBack: null };
	const raised = await raiseAlert(tx, {
		...alertBase(device),
		kind: 'device_offline',
		severity: DEFAULT_SEVERITY.device_offline,
		at: p.at ? new Date(p.at) : new Date(),
		detail: { deviceId: device.id }
	});
	return { raised, cameBack: null };
}

/** PostgreSQL text cannot hold NUL; a reason quoting a payload that has one shows it escaped. */
const printable = (text: string) => text.replaceAll('\u0000', '\\u0000');

export async function storeDeadLetters(sql: Sql, letters: DeadLetter[]): Promise<void> {
	if (letters.length === 0) return;
	await sql`
		insert into dead_letters (topic, client_id, payload, reason)
		select topic, client_id, decode(payload_hex, 'hex'), reason from unnest(
			${sql.array(letters.map((l) => printable(l.topic)))}::text[],
			${sql.array(letters.map((l) => (l.clientId === null ? null : printable(l.clientId))))}::text[],
			${sql.array(letters.map((l) => Buffer.from(l.payload).toString('hex')))}::text[],
			${sql.array(letters.map((l) => printable(l.reason)))}::text[]) as u(topic, client_id, payload_hex, reason)`;
}

export async function storeDeadLetter(sql: Sql, letter: DeadLetter): Promise<void> {
	await storeDeadLetters(sql, [letter]);
}
