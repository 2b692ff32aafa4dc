-- Named ingest workers (NODE_NAME) and their heartbeats. Mosquitto 2.0 keeps routing a dead
-- worker's share of the shared subscription into its kept sessions, so a survivor that finds a
-- worker silent claims it here (only one survivor drains it), opens its sessions, stores what waits
-- there and ends them (src/lib/server/ingest/peer-drain.ts).
create table ingest_workers (
	node_name text primary key,
	-- How many MQTT connections (client ids carecircle-{node_name}-ingest-{0..n-1}) it opened.
	connections integer not null check (connections > 0),
	heartbeat_at timestamptz not null,
	-- The survivor draining it and since when; a claim whose claimer went silent too is taken again.
	drained_by text,
	drain_claimed_at timestamptz,
	check ((drained_by is null) = (drain_claimed_at is null))
);
