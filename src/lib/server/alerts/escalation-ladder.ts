/**
 * The territory's escalation ladder of a household: who each rung (ESCALATION_TIERS) calls. The
 * grid worker of its community, its community's station, the care centre of its street, the
 * district's duty desk, and then the emergency number for what happened (119 for fire and gas, 120
 * otherwise). A unit is a facility of the territory, reached through the staff on record for it;
 * a rung the territory has nobody for says so rather than skipping ahead silently.
 */
import type { EscalationContact, EscalationTier } from '../../realtime/events';
import type { Sql } from '../db/client';

/** The fire brigade for fire and gas, the ambulance for everything else. */
export function emergencyNumberFor(kinds: readonly string[]): string {
	return kinds.some((kind) => kind === 'smoke' || kind === 'gas') ? '119' : '120';
}

interface LadderRow {
	gridName: string | null;
	gridPhone: string | null;
	stationName: string | null;
	stationPhone: string | null;
	streetName: string | null;
	streetPhone: string | null;
	deskName: string | null;
	deskPhone: string | null;
}

/**
 * The ladder of each household asked for, by household id. People on shift now come first, then
 * those available, so the name shown is the one to call.
 */
export async function escalationLadders(
	sql: Sql,
	incidents: readonly { householdId: number; kinds: readonly string[] }[]
): Promise<Map<number, EscalationContact[]>> {
	if (incidents.length === 0) return new Map();
	const rows = await sql<(LadderRow & { householdId: string })[]>`
		with home as (
			select h.id, h.district_code, h.community_code, c.parent_code as street_code, h.location
			from households h left join regions c on c.code = h.community_code
			where h.id = any(${sql.array(incidents.map((i) => i.householdId))}::bigint[])
		),
		on_call as (
			select r.*, (case when r.shift_start <= r.shift_end
				then local_now between r.shift_start and r.shift_end
				else local_now >= r.shift_start or local_now <= r.shift_end end) as on_shift
			from responders r,
				lateral (select (now() at time zone 'Asia/Shanghai')::time as local_now) t
			where r.status <> 'off' or r.role = 'duty_desk'
		)
		select home.id as household_id,
			grid.name as grid_name, grid.phone as grid_phone,
			station.name as station_name, station_staff.phone as station_phone,
			centre.name as street_name, centre_staff.phone as street_phone,
			coalesce(desk.name, district_centre.name) as desk_name, desk.phone as desk_phone
		from home
		left join lateral (select name, phone from on_call where role = 'grid_worker'
			and community_code = home.community_code order by on_shift desc, status = 'available' desc, id limit 1) grid on true
		left join lateral (select name from facilities where kind = 'community_station' and status = 'open'
			and region_code = home.community_code order by geom <-> home.location limit 1) station on true
		left join lateral (select phone from on_call where role = 'station_staff'
			and community_code = home.community_code order by on_shift desc, status = 'available' desc, id limit 1) station_staff on true
		left join lateral (select name from facilities where kind = 'street_care_centre' and status = 'open'
			and starts_with(region_code, home.street_code) order by geom <-> home.location limit 1) centre on true
		left join lateral (select phone from on_call where role = 'street_centre_staff'
			and street_code = home.street_code order by on_shift desc, status = 'available' desc, id limit 1) centre_staff on true
		left join lateral (select name, phone from on_call where role = 'duty_desk'
			and district_code = home.district_code order by on_shift desc, id limit 1) desk on true
		left join lateral (select name from facilities where kind = 'district_centre'
			and region_code = home.district_code limit 1) district_centre on true`;
	const byHousehold = new Map(rows.map((row) => [Number(row.householdId), row]));
	return new Map(
		incidents.map((incident) => {
			const row = byHousehold.get(incident.householdId);
			const contact = (tier: EscalationTier, name?: string | null, phone?: string | null) => ({
				tier,
				name: name ?? null,
				phone: phone ?? null
			});
			const ladder: EscalationContact[] = [
				contact('grid_worker', row?.gridName, row?.gridPhone),
				contact('community_station', row?.stationName, row?.stationPhone),
				contact('street_centre', row?.streetName, row?.streetPhone),
				contact('district_duty_desk', row?.deskName, row?.deskPhone),
				contact('emergency_number', null, emergencyNumberFor(incident.kinds))
			];
			return [incident.householdId, ladder];
		})
	);
}

/** The unit each incident's current rung calls, in the order given: what an escalation's timeline entry names. */
export async function unitsCalled(
	sql: Sql,
	incidents: readonly { householdId: number; kinds: readonly string[]; escalationLevel: number }[]
): Promise<EscalationContact[]> {
	const ladders = await escalationLadders(sql, incidents);
	return incidents.map((incident) => ladders.get(incident.householdId)![incident.escalationLevel]);
}
