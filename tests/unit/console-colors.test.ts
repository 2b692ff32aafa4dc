import { describe, expect, it } from 'vitest';
import { FACILITY_COLORS, SEVERITY_COLORS, type Rgba } from '../../src/lib/map/colors';

/** sRGB → CIE L*a*b* (D65), for the CIE76 colour difference ΔE*ab (Sharma, "Digital Color Imaging Handbook", 2003). */
function lab([r, g, b]: Rgba): [number, number, number] {
	const linear = (v: number) => ((v /= 255) <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4);
	const [R, G, B] = [linear(r), linear(g), linear(b)];
	const x = (R * 0.4124 + G * 0.3576 + B * 0.1805) / 0.95047;
	const y = R * 0.2126 + G * 0.7152 + B * 0.0722;
	const z = (R * 0.0193 + G * 0.1192 + B * 0.9505) / 1.08883;
	const f = (t: number) => (t > 0.008856 ? Math.cbrt(t) : 7.787 * t + 16 / 116);
	return [116 * f(y) - 16, 500 * (f(x) - f(y)), 200 * (f(y) - f(z))];
}
const deltaE = (a: Rgba, b: Rgba) => Math.hypot(...lab(a).map((v, i) => v - lab(b)[i]));

describe('facility colours on the dispatch console', () => {
	it('are clearly apart from every severity colour (ΔE*ab over 40)', () => {
		for (const [kind, facility] of Object.entries(FACILITY_COLORS))
			for (const [severity, alert] of Object.entries(SEVERITY_COLORS))
				expect(deltaE(facility, alert), `${kind} vs ${severity}`).toBeGreaterThan(40);
	});

	it('are apart from each other', () => {
		const colours = Object.values(FACILITY_COLORS);
		for (const [i, a] of colours.entries())
			for (const b of colours.slice(i + 1)) expect(deltaE(a, b)).toBeGreaterThan(25);
	});
});
