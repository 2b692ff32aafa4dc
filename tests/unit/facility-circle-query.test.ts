import { describe, expect, it } from 'vitest';
import { circleQuery } from '../../src/lib/server/coverage/facility-circles';

const query = (search: string) => circleQuery(new URLSearchParams(search));

describe('circleQuery', () => {
	it('draws the 15-minute circles on the network when nothing is asked', () => {
		expect(query('')).toEqual({ ok: true, minutes: 15, method: 'network' });
	});

	it('takes any whole number of minutes from 1 to 60, and the straight-line comparison', () => {
		expect(query('minutes=1')).toEqual({ ok: true, minutes: 1, method: 'network' });
		expect(query('minutes=60&comparison=euclidean')).toEqual({ ok: true, minutes: 60, method: 'euclidean' });
	});

	it('refuses minutes that are not a whole number from 1 to 60, naming the parameter', () => {
		for (const minutes of ['0', '61', '7.5', '-3', '', 'abc', '1e1', ' 15']) {
			expect(query(`minutes=${encodeURIComponent(minutes)}`)).toMatchObject({
				ok: false,
				code: 'INVALID_MINUTES',
				message: expect.stringContaining('minutes')
			});
		}
	});

	it('refuses a comparison other than euclidean', () => {
		expect(query('comparison=manhattan')).toMatchObject({ ok: false, code: 'INVALID_COMPARISON' });
	});
});
