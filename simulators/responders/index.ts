/**
 * The responders simulator: `count` responders of a district who register through the platform's
 * API, go on duty, and then work the incidents they are offered like people with phones would.
 * Used by `npm run sim:responders`, demo mode and the tests. Everything goes through HTTP and
 * socket.io, never the database.
 */
import { planRoster, territoriesFromRegions, type DecisionOdds, type Territory } from './behaviour';
import { startDispatcher, type SimulatedDispatcher } from './dispatcher';
import { PlatformApi } from './platform-api';
import { Random } from '../random';
import { SimulatedResponder, emptyStats, type ResponderStats } from './simulated-responder';
import { buildStreetGraph, type StreetGraph } from './street-path';

export type { ResponderStats } from './simulated-responder';

export interface RespondersOptions {
	/** The platform's base URL, e.g. http://127.0.0.1:3000. */
	url: string;
	districtCode: string;
	count: number;
	seed: number;
	/** Time compression: 10 walks, answers and visits ten times faster than real time. Default 1. */
	speed?: number;
	log?: (line: string) => void;
	/** How often responders decline or miss an offer (defaults: 10 % and 8 %). */
	odds?: DecisionOdds;
	/**
	 * Also run a simulated dispatcher who acknowledges new incidents and offers each to the nearest
	 * responder (for demos without a person at /console). Default false.
	 */
	dispatcher?: boolean;
}

export interface RunningResponders {
	/** Stops every responder (off duty, sockets closed); jobs in progress are left as they are. */
	stop(): Promise<void>;
	stats: ResponderStats & { dispatcher?: SimulatedDispatcher['stats'] };
	/** The platform's ids of the simulated responders, in roster order. */
	responderIds: number[];
}

export async function startResponders(options: RespondersOptions): Promise<RunningResponders> {
	const { url, districtCode, count, seed } = options;
	const speed = options.speed ?? 1;
	if (!(count >= 1)) throw new Error('count must be at least 1');
	if (!(speed > 0)) throw new Error('speed must be a positive number');
	const log = options.log ?? (() => undefined);
	const random = new Random(seed);
	const api = new PlatformApi(url, districtCode);

	const network = await api.walkNetwork();
	const graph = network.features.length ? buildStreetGraph(network) : null;
	log(
		graph
			? `street network "${network.network?.name}": ${graph.nodes.length} nodes`
			: 'no street network: responders walk in straight lines'
	);
	const territories = await territoriesOf(api, graph, random.fork('territories'), count, log);
	const roster = planRoster(random.fork('roster'), { count, seed, territories });

	const stats: RunningResponders['stats'] = emptyStats();
	const responders: SimulatedResponder[] = [];
	let dispatcher: SimulatedDispatcher | null = null;
	const stop = async () => {
		dispatcher?.stop();
		await Promise.all(responders.map((responder) => responder.stop()));
	};
	try {
		for (const [i, plan] of roster.entries()) {
			const registered = await api.register({
				externalId: plan.externalId,
				name: plan.name,
				role: plan.role,
				communityCode: plan.communityCode,
				streetCode: plan.streetCode,
				skills: plan.skills,
				location: plan.home
			});
			stats.registered++;
			const summary = await api.duty(registered.id, 'available').catch(() => registered);
			const responder = new SimulatedResponder(
				summary,
				{ url, api, graph, speed, stats, log, odds: options.odds },
				random.fork(`responder-${i}`)
			);
			responders.push(responder);
			await responder.start();
			log(
				`${plan.name} #${registered.id} (${plan.role}, ${plan.communityCode ?? plan.streetCode ?? 'no territory'}) on duty`
			);
		}
		if (options.dispatcher) {
			dispatcher = await startDispatcher({
				url,
				districtCode,
				speed,
				random: random.fork('dispatcher'),
				log
			});
			stats.dispatcher = dispatcher.stats;
		}
	} catch (error) {
		await stop();
		throw error;
	}
	return { stop, stats, responderIds: responders.map((responder) => responder.id) };
}

/**
 * Where responders are based: the district's communities when the platform lists them; otherwise
 * points of the street network (without a territory); otherwise nowhere, which is an error.
 */
async function territoriesOf(
	api: PlatformApi,
	graph: StreetGraph | null,
	random: Random,
	count: number,
	log: (line: string) => void
): Promise<Territory[]> {
	const regions = await api.regions().catch((error) => {
		log(`could not read the district's regions: ${error instanceof Error ? error.message : error}`);
		return null;
	});
	const communities = territoriesFromRegions(regions ?? []);
	if (communities.length) return communities;
	if (!graph) throw new Error(`district ${api.districtCode} has neither communities nor a street network`);
	log('no communities listed: responders are placed on the street network without a territory');
	return Array.from({ length: count }, () => ({
		communityCode: null,
		streetCode: null,
		name: '',
		base: random.pick(graph.nodes)
	}));
}
