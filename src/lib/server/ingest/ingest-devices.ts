/** What ingest needs to know about the devices it hears from, looked up many at a time and cached. */
import type { Sql } from '../db/client';
import type { DeviceKind } from '../../mqtt/contract';

export interface IngestDevice {
	id: string;
	kind: DeviceKind;
	householdId: number;
	districtCode: string;
	communityCode: string | null;
	location: [number, number];
}

export async function findIngestDevices(sql: Sql, ids: string[]): Promise<Map<string, IngestDevice>> {
	const rows = await sql<
		(Omit<IngestDevice, 'householdId' | 'location'> & { householdId: string; lon: number; lat: number })[]
	>`
		select d.id, d.kind, d.household_id, h.district_code, h.community_code,
			st_x(h.location) as lon, st_y(h.location) as lat
		from devices d join households h on h.id = d.household_id
		where d.id = any(${sql.array(ids)}::text[]) and d.retired_at is null`;
	return new Map(
		rows.map((row) => [
			row.id,
			{
				id: row.id,
				kind: row.kind,
				householdId: Number(row.householdId),
				districtCode: row.districtCode,
				communityCode: row.communityCode,
				location: [row.lon, row.lat]
			}
		])
	);
}

/** How long a device's registry entry is trusted before it is read again. */
const DEVICE_CACHE_MS = 30_000;
/** Shorter for an unknown id: a device registered a moment ago should not be refused for long. */
const UNKNOWN_CACHE_MS = 5_000;

/** A read-through cache of the registry; unknown ids are cached too, so a flood of them costs one query. */
export function ingestDeviceCache(sql: Sql) {
	const cache = new Map<string, { device: IngestDevice | null; until: number }>();
	return async (ids: string[]): Promise<Map<string, IngestDevice | null>> => {
		const now = Date.now();
		const found = new Map<string, IngestDevice | null>();
		const missing: string[] = [];
		for (const id of new Set(ids)) {
			const cached = cache.get(id);
			if (cached && cached.until > now) found.set(id, cached.device);
			else missing.push(id);
		}
		if (missing.length > 0) {
			const fetched = await findIngestDevices(sql, missing);
			for (const id of missing) {
				const device = fetched.get(id) ?? null;
				cache.set(id, { device, until: now + (device ? DEVICE_CACHE_MS : UNKNOWN_CACHE_MS) });
				found.set(id, device);
			}
		}
		return found;
	};
}
