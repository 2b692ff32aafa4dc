/**
 * Supervision: a device silent for longer than its heartbeat window is itself an alert ("lost
 * contact"). Silent devices are claimed with FOR UPDATE SKIP LOCKED inside one transaction, so when
 * several timer processes run, each silence is declared exactly once.
 */
import type { Sql } from '../db/client';
import { DEFAULT_SEVERITY } from './alert-kinds';
import { raiseAlert } from './incidents';
import type { IncidentSummary } from '../../realtime/events';

/** A device may miss this many heartbeats (network hiccups, a reboot) before it counts as lost. */
export const MISSED_HEARTBEATS = 2.5;
const BATCH = 200;

export async function superviseSilentDevices(
	sql: Sql
): Promise<{ incident: IncidentSummary; opened: boolean }[]> {
	return sql.begin(async (begun) => {
		const tx = begun as unknown as Sql;
		const silent = await tx`
			with claimed as (
				select id from devices
				where lost_contact_at is null and retired_at is null
					and coalesce(last_seen, created_at) < now() - make_interval(secs => heartbeat_s * ${MISSED_HEARTBEATS}::float8)
				order by coalesce(last_seen, created_at)
				limit ${BATCH}
				for update skip locked
			)
			update devices d set lost_contact_at = now(), online = false
			from claimed, households h
			where d.id = claimed.id and h.id = d.household_id
			returning d.id, d.household_id, d.last_seen, d.heartbeat_s, h.district_code, h.community_code,
				st_x(h.location) as lon, st_y(h.location) as lat`;
		const raised = [];
		for (const device of silent) {
			raised.push(
				await raiseAlert(tx, {
					householdId: Number(device.householdId),
					districtCode: device.districtCode,
					communityCode: device.communityCode,
					location: [device.lon, device.lat],
					kind: 'lost_contact',
					severity: DEFAULT_SEVERITY.lost_contact,
					at: new Date(),
					actor: 'supervision',
					detail: { deviceId: device.id, lastSeen: device.lastSeen, heartbeatS: device.heartbeatS }
				})
			);
		}
		return raised;
	});
}
