/**
 * A seeded pseudo-random generator for the simulators, so that a run is repeatable from its seed.
 * Streams are forked by label (`fork('household/12')`): each part of a simulation draws from its own
 * stream, so what one device does never depends on how often another one was asked.
 *
 * cyrb128 (seed hashing) and sfc32 (the generator) are Bryc's public-domain versions
 * (https://github.com/bryc/code/blob/master/jshash/PRNGs.md); sfc32 is Chris Doty-Humphrey's
 * "Small Fast Counting" generator from PractRand.
 */

/** Four 32-bit words from a string, well mixed (cyrb128). */
function cyrb128(text: string): [number, number, number, number] {
	let h1 = 1779033703;
	let h2 = 3144134277;
	let h3 = 1013904242;
	let h4 = 2773480762;
	for (let i = 0; i < text.length; i++) {
		const k = text.charCodeAt(i);
		h1 = h2 ^ Math.imul(h1 ^ k, 597399067);
		h2 = h3 ^ Math.imul(h2 ^ k, 2869860233);
		h3 = h4 ^ Math.imul(h3 ^ k, 951274213);
		h4 = h1 ^ Math.imul(h4 ^ k, 2716044179);
	}
	h1 = Math.imul(h3 ^ (h1 >>> 18), 597399067);
	h2 = Math.imul(h4 ^ (h2 >>> 22), 2869860233);
	h3 = Math.imul(h1 ^ (h3 >>> 17), 951274213);
	h4 = Math.imul(h2 ^ (h4 >>> 19), 2716044179);
	h1 ^= h2 ^ h3 ^ h4;
	h2 ^= h1;
	h3 ^= h1;
	h4 ^= h1;
	return [h1 >>> 0, h2 >>> 0, h3 >>> 0, h4 >>> 0];
}

export class Random {
	readonly #seed: string;
	#a: number;
	#b: number;
	#c: number;
	#d: number;

	/** @example new Random('42').next() is the same number on every run */
	constructor(seed: string | number) {
		this.#seed = String(seed);
		[this.#a, this.#b, this.#c, this.#d] = cyrb128(this.#seed);
		// The first outputs of sfc32 still carry the seed's structure: warm it up.
		for (let i = 0; i < 15; i++) this.next();
	}

	/** A number in [0, 1). */
	next(): number {
		this.#a >>>= 0;
		this.#b >>>= 0;
		this.#c >>>= 0;
		this.#d >>>= 0;
		let t = (this.#a + this.#b) | 0;
		this.#a = this.#b ^ (this.#b >>> 9);
		this.#b = (this.#c + (this.#c << 3)) | 0;
		this.#c = (this.#c << 21) | (this.#c >>> 11);
		this.#d = (this.#d + 1) | 0;
		t = (t + this.#d) | 0;
		this.#c = (this.#c + t) | 0;
		return (t >>> 0) / 4294967296;
	}

	/** An independent stream for one part of the simulation, named by `label`. */
	fork(label: string | number): Random {
		return new Random(`${this.#seed}/${label}`);
	}

	/** A whole number in [min, max]. */
	int(min: number, max: number): number {
		return min + Math.floor(this.next() * (max - min + 1));
	}

	/** A number in [min, max). */
	between(min: number, max: number): number {
		return min + this.next() * (max - min);
	}

	/** True with probability `p`. */
	chance(p: number): boolean {
		return this.next() < p;
	}

	pick<T>(items: readonly T[]): T {
		if (items.length === 0) throw new Error('items must not be empty');
		return items[Math.floor(this.next() * items.length)];
	}

	/** An exponentially distributed number with mean 1 (inverse transform). */
	exponential(): number {
		return -Math.log(1 - this.next());
	}

	/** A log-normal draw with the given median: most values near it, a long tail of slow ones. */
	logNormal(median: number, sigma: number): number {
		return median * Math.exp(sigma * this.normal());
	}

	/** A normally distributed number (Box–Muller). */
	normal(mean = 0, sd = 1): number {
		const u = 1 - this.next();
		const v = this.next();
		return mean + sd * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
	}
}

/**
 * Picks indexes in proportion to their weights, in O(log n) per pick.
 * @example weightedPicker([1, 0, 3])(rng) is 0 a quarter of the time and 2 otherwise
 */
export function weightedPicker(weights: readonly number[]): (rng: Random) => number {
	const cumulative: number[] = [];
	let total = 0;
	for (const weight of weights) {
		if (!(weight >= 0)) throw new Error('weights must be non-negative numbers');
		total += weight;
		cumulative.push(total);
	}
	if (total <= 0) throw new Error('weights must not all be zero');
	return (rng) => {
		const target = rng.next() * total;
		let lo = 0;
		let hi = cumulative.length - 1;
		while (lo < hi) {
			const mid = (lo + hi) >> 1;
			if (cumulative[mid] > target) hi = mid;
			else lo = mid + 1;
		}
		return lo;
	};
}
