import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { applyMigrations } from '../../src/lib/server/db/migrate';
import { listWalkNetworks } from '../../src/lib/server/coverage/walk-network-store';
import { checkHealth } from '../../src/lib/server/health';
import { facilitiesOfDistrict } from '../../src/lib/server/facilities/queries';
import { regionsOfDistrict } from '../../src/lib/server/regions/queries';
import type { Services } from '../../src/lib/server/services';
import { startTestServices } from '../support/services';

describe('platform services on the configured database and broker', () => {
	let services: Services;

	beforeAll(async () => {
		services = await startTestServices();
	});

	afterAll(async () => {
		await services?.close();
	});

	it('uses the real PostgreSQL and MQTT broker when they are configured, the embedded ones otherwise', () => {
		const real = inject('servicesKind') === 'real';
		// The URLs come from the test run; the services never start their own stand-ins when given one,
		// and recognise PGlite behind a URL (embedded test runs) by its version string.
		expect(services.database.kind).toBe(real ? 'postgresql' : 'embedded-pglite');
		expect(services.broker.kind).toBe('mqtt');
		expect(services.database.postgisVersion).toMatch(/^3\./);
		if (real) expect(services.database.displayUrl).toContain(new URL(inject('databaseUrl')).host);
	});

	it('reports a healthy database with its PostGIS version and a connected broker', async () => {
		const report = await checkHealth(services);
		expect(report.status).toBe('ok');
		expect(report.database).toMatchObject({ kind: services.database.kind, reachable: true });
		expect(report.database.postgisVersion).toMatch(/^3\./);
		expect(report.broker).toEqual({ kind: 'mqtt', connected: true });
	});

	it('reports degraded when the broker connection is lost', async () => {
		const client = services.broker.client;
		await client.endAsync(true);
		try {
			const report = await checkHealth(services);
			expect(report.status).toBe('degraded');
			expect(report.broker.connected).toBe(false);
		} finally {
			client.reconnect();
			await new Promise((resolve) => client.once('connect', resolve));
		}
	});

	it('changes nothing when the migrations are applied a second time', async () => {
		const snapshot = () => services.database.sql`
			select table_name, column_name, data_type, is_nullable, column_default
			from information_schema.columns where table_schema = 'public'
			union all
			select tablename, indexname, indexdef, '', '' from pg_indexes where schemaname = 'public'
			order by 1, 2`;
		await applyMigrations(services.database.sql);
		const before = await snapshot();
		const [{ count: recorded }] = await services.database
			.sql`select count(*)::int as count from schema_migrations`;
		const appliedAgain = await applyMigrations(services.database.sql);
		expect(appliedAgain).toEqual([]);
		expect(await snapshot()).toEqual(before);
		const [{ count: recordedAfter }] = await services.database
			.sql`select count(*)::int as count from schema_migrations`;
		expect(recordedAfter).toBe(recorded);
	});

	it('has the Siming district with its 10 streets and 99 communities under their official codes', async () => {
		const regions = await regionsOfDistrict(services.database.sql, '350203');
		const byLevel = (level: string) => regions.features.filter((f) => f.properties.level === level);
		expect(byLevel('district').map((f) => f.properties.name)).toEqual(['思明区']);
		const streets = byLevel('street');
		expect(streets).toHaveLength(10);
		expect(streets.find((f) => f.properties.code === '350203010')?.properties.name).toBe('莲前街道');
		const communities = byLevel('community');
		expect(communities).toHaveLength(99);
		expect(
			communities.every(
				(f) => f.properties.parentCode && f.properties.code.startsWith(f.properties.parentCode)
			)
		).toBe(true);
		expect(communities.find((f) => f.properties.code === '350203001001')?.properties.name).toBe('鸿山社区');
	});

	it('stores region geometry that PostGIS finds valid and inside the district', async () => {
		const [row] = await services.database.sql`
			select count(*) filter (where not st_isvalid(c.geom))::int as invalid,
				count(*) filter (where not st_covers(st_buffer(d.geom::geography, 50)::geometry, c.geom))::int as outside
			from regions c, regions d
			where d.code = '350203' and c.parent_code is not null and starts_with(c.code, '350203')`;
		expect(row).toEqual({ invalid: 0, outside: 0 });
	});

	it('seeds the modelled elderly population cells, each assigned to a community', async () => {
		const [row] = await services.database.sql`
			select count(*)::int as cells, sum(elderly)::int as elderly,
				count(*) filter (where region_code is null)::int as unassigned,
				count(*) filter (where provenance <> 'modelled')::int as not_modelled
			from population_cells where district_code = '350203'`;
		expect(row).toEqual({ cells: 2237, elderly: 102609, unassigned: 0, notModelled: 0 });
	});

	it('seeds the modelled walking network as the district’s active one', async () => {
		const networks = await listWalkNetworks(services.database.sql, '350203');
		const active = networks.filter((n) => n.active);
		expect(active).toHaveLength(1);
		expect(active[0]).toMatchObject({ name: 'modelled lattice', provenance: 'modelled' });
		const [row] = await services.database.sql`
			select count(*)::int as edges, count(*) filter (where kind = 'ferry')::int as ferries,
				count(*) filter (where not st_isvalid(geom))::int as invalid
			from walk_edges where network_id = ${active[0].id}`;
		expect(row).toEqual({ edges: active[0].edgeCount, ferries: 1, invalid: 0 });
	});

	it('places every seeded facility inside its own region, labelled as modelled', async () => {
		const facilities = await facilitiesOfDistrict(services.database.sql, '350203');
		expect(facilities.features.length).toBeGreaterThanOrEqual(110);
		const [row] = await services.database.sql`
			select count(*) filter (where not st_intersects(r.geom, f.geom))::int as outside
			from facilities f join regions r on r.code = f.region_code`;
		expect(row.outside).toBe(0);
		expect(facilities.features.every((f) => f.properties.locationSource.startsWith('modelled'))).toBe(true);
	});
});
