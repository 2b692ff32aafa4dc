/**
 * How simulated responders are made up and how they behave, as pure functions of a seeded random
 * source: who they are and where they work, how long they take to answer an offer and what they
 * answer, how long they stay at a home and how the visit ends.
 */
import type { ResponderRole } from '../../src/lib/realtime/events';
import type { Random } from '../random';

export type LonLat = [number, number];

/** A community (or any place) a responder can be based at, from the district's regions. */
export interface Territory {
	communityCode: string | null;
	streetCode: string | null;
	name: string;
	/** Where the responder starts: the community's label point, or a point of the network. */
	base: LonLat;
}

export interface ResponderPlan {
	externalId: string;
	name: string;
	role: ResponderRole;
	communityCode: string | null;
	streetCode: string | null;
	skills: string[];
	home: LonLat;
}

const SURNAMES = ['王', '李', '张', '刘', '陈', '杨', '黄', '林', '吴', '郑', '蔡', '许', '洪', '庄', '苏'];
const GIVEN = [
	'芳',
	'丽',
	'强',
	'敏',
	'静',
	'伟',
	'秀英',
	'建国',
	'志明',
	'美玲',
	'海燕',
	'文华',
	'雪梅',
	'俊杰'
];
/** Grid workers are most of a community's first response; stations and volunteers back them up. */
const ROLE_MIX: readonly ResponderRole[] = [
	'grid_worker',
	'grid_worker',
	'station_staff',
	'volunteer',
	'grid_worker',
	'volunteer'
];
const SKILLS: Record<string, readonly string[]> = {
	grid_worker: ['first_aid'],
	station_staff: ['first_aid', 'nursing'],
	volunteer: ['escort']
};

/**
 * `count` responders spread over the territories: one per several communities, taken in a seeded
 * order so that a seed always gives the same people in the same places. Their homes lie within
 * about 150 m of the territory's base.
 */
export function planRoster(
	random: Random,
	options: { count: number; seed: number; territories: readonly Territory[] }
): ResponderPlan[] {
	const { count, seed, territories } = options;
	if (territories.length === 0) throw new Error('territories must not be empty');
	const order = shuffled(random, territories);
	// Several communities per responder when there are more communities than responders.
	const stride = Math.max(1, Math.floor(order.length / count));
	return Array.from({ length: count }, (_, i) => {
		const territory = order[(i * stride) % order.length];
		const role = ROLE_MIX[i % ROLE_MIX.length];
		const name = `${random.pick(SURNAMES)}${random.pick(GIVEN)}`;
		return {
			externalId: `sim-responder-${seed}-${i + 1}`,
			name: `${name}（模拟）`,
			role,
			// Grid workers and station staff answer for a community; volunteers help anywhere in its street.
			communityCode: role === 'volunteer' ? null : territory.communityCode,
			streetCode: role === 'volunteer' ? territory.streetCode : null,
			skills: [...(SKILLS[role] ?? [])],
			home: [
				territory.base[0] + random.between(-0.0015, 0.0015),
				territory.base[1] + random.between(-0.0015, 0.0015)
			]
		};
	});
}

function shuffled<T>(random: Random, items: readonly T[]): T[] {
	const copy = [...items];
	for (let i = copy.length - 1; i > 0; i--) {
		const j = random.int(0, i);
		[copy[i], copy[j]] = [copy[j], copy[i]];
	}
	return copy;
}

/**
 * What a responder does with an offer, after how many (simulated) seconds. `ignore` is the phone in
 * a pocket: no answer at all, so the platform's accept window runs out and it asks the next one.
 */
export type OfferDecision = { answer: 'accept' | 'decline' | 'ignore'; afterSeconds: number };

export interface DecisionOdds {
	decline: number;
	ignore: number;
}

export const DEFAULT_ODDS: DecisionOdds = { decline: 0.1, ignore: 0.08 };

/** Mostly accepts after reading the alert for a few seconds to half a minute; sometimes declines; rarely misses it. */
export function decideOffer(random: Random, odds: DecisionOdds = DEFAULT_ODDS): OfferDecision {
	const roll = random.next();
	const answer = roll < odds.ignore ? 'ignore' : roll < odds.ignore + odds.decline ? 'decline' : 'accept';
	// Median 12 s, most between 5 and 30 s, never under 2 s (the phone must be unlocked) nor above 45 s.
	const afterSeconds = Math.min(45, Math.max(2, random.logNormal(12, 0.5)));
	return { answer, afterSeconds };
}

/** Seconds between accepting and setting off (putting on shoes, taking the kit). */
export function departDelaySeconds(random: Random): number {
	return random.between(10, 60);
}

export type VisitOutcome =
	'home_visit' | 'false_alarm' | 'sent_to_hospital' | 'referred_to_emergency' | 'no_access';

const OUTCOME_WEIGHTS: readonly [VisitOutcome, number][] = [
	['home_visit', 0.6],
	['false_alarm', 0.18],
	['sent_to_hospital', 0.12],
	['referred_to_emergency', 0.05],
	['no_access', 0.05]
];

/** How a visit ends, and how long (simulated seconds) the responder stays before reporting it. */
export function decideVisit(random: Random): { outcome: VisitOutcome; onSceneSeconds: number } {
	let roll = random.next();
	let outcome: VisitOutcome = OUTCOME_WEIGHTS[0][0];
	for (const [candidate, weight] of OUTCOME_WEIGHTS) {
		outcome = candidate;
		if ((roll -= weight) < 0) break;
	}
	const minutes: Record<VisitOutcome, [number, number]> = {
		home_visit: [5, 20],
		false_alarm: [2, 6],
		sent_to_hospital: [15, 40],
		referred_to_emergency: [8, 20],
		no_access: [3, 10]
	};
	const [low, high] = minutes[outcome];
	return { outcome, onSceneSeconds: random.between(low, high) * 60 };
}

/**
 * The territories of a district from its regions (the features of the `/` page's data): every
 * community, with its street and label point. Empty when there are none.
 */
export function territoriesFromRegions(
	features: readonly {
		properties: { code: string; level: string; name: string; parentCode: string | null; labelPoint: LonLat };
	}[]
): Territory[] {
	return features
		.filter((feature) => feature.properties.level === 'community')
		.map(({ properties }) => ({
			communityCode: properties.code,
			streetCode: properties.parentCode,
			name: properties.name,
			base: properties.labelPoint
		}));
}
