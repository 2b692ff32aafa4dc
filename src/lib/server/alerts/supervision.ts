/**
 * Supervision: a device silent for longer than its heartbeat window is itself an alert ("lost
 * contact"). Silent devices are claimed with FOR UPDATE SKIP LOCKED inside one transaction, so when
 * several timer processes run, each silence is declared exactly once.
 *
 * When a large share of all devices falls silent at once, it is the platform that has gone deaf
 * (the broker, the ingest, the network in front of them), not the homes: a lost-contact alert for
 * every household would bury the console. The round then raises nothing and reports the mass
 * silence for the operators; the devices are declared one by one once most are heard again.
 */
import type { Sql } from '../db/client';
import { DEFAULT_SEVERITY } from './alert-kinds';
import { raiseAlerts } from './incidents';
import type { IncidentSummary } from '../../realtime/events';

/** A device may miss this many heartbeats (network hiccups, a reboot) before it counts as lost. */
export const MISSED_HEARTBEATS = 2.5;
/**
 * The longest heartbeat supervision waits on: a device registered with a day-long interval is
 * still declared lost after 2.5 hours of silence, not 2.5 days.
 */
export const SUPERVISED_HEARTBEAT_MAX_S = 3600;
const BATCH = 200;
/** More devices silent at once than this share of the active ones (and MASS_SILENCE_MIN) is an outage. */
export const MASS_SILENCE_SHARE = 0.2;
const MASS_SILENCE_MIN = 10;

export interface SupervisionRound {
	raised: { incident: IncidentSummary; opened: boolean }[];
	/** Set when the round held back because too many devices went silent at once. */
	massSilence: { silent: number; active: number } | null;
}

/**
 * Devices supervision watches: in service, not yet declared lost, and not gone by their last will
 * (offline after they had been heard), which raised its own device-offline alert already.
 */
const supervised = (tx: Sql) =>
	tx`retired_at is null and lost_contact_at is null and (online or last_seen is null)`;

const silentSince = (tx: Sql) =>
	tx`${supervised(tx)} and coalesce(last_seen, created_at) < now() - make_interval(
		secs => least(heartbeat_s, ${SUPERVISED_HEARTBEAT_MAX_S}::int) * ${MISSED_HEARTBEATS}::float8)`;

export async function superviseSilentDevices(sql: Sql): Promise<SupervisionRound> {
	const [{ silent, active }] = await sql<{ silent: number; active: number }[]>`
		select count(*) filter (where ${silentSince(sql)})::int as silent,
			count(*) filter (where ${supervised(sql)})::int as active
		from devices`;
	if (silent >= MASS_SILENCE_MIN && silent > active * MASS_SILENCE_SHARE)
		return { raised: [], massSilence: { silent, active } };
	const raised = await sql.begin(async (begun) => {
		const tx = begun as unknown as Sql;
		const silent = await tx`
			with claimed as (
				select id from devices
				where ${silentSince(tx)}
				order by coalesce(last_seen, created_at)
				limit ${BATCH}
				for update skip locked
			)
			update devices d set lost_contact_at = now(), online = false
			from claimed, households h
			where d.id = claimed.id and h.id = d.household_id
			returning d.id, d.household_id, d.last_seen, d.heartbeat_s, h.district_code, h.community_code,
				st_x(h.location) as lon, st_y(h.location) as lat`;
		const alerts = silent.map((device) => ({
			householdId: Number(device.householdId),
			districtCode: device.districtCode,
			communityCode: device.communityCode,
			location: [device.lon, device.lat] as [number, number],
			kind: 'lost_contact' as const,
			severity: DEFAULT_SEVERITY.lost_contact,
			at: new Date(),
			actor: 'supervision',
			detail: { deviceId: device.id, lastSeen: device.lastSeen, heartbeatS: device.heartbeatS }
		}));
		return (await raiseAlerts(tx, alerts)).incidents;
	});
	return { raised, massSilence: null };
}
