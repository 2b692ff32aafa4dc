/** What the plan-monitoring pages and API read from a request: the date asked for, a JSON body. */
import { error } from '@sveltejs/kit';
import { z } from 'zod';
import { isIsoDate, todayInDistrict } from '../../dashboard/plan-status';

/** `?date=YYYY-MM-DD`, today in the district when absent; anything else is a 400 with the reason. */
export function asOfFromUrl(url: URL): string {
	const date = url.searchParams.get('date')?.trim();
	if (!date) return todayInDistrict();
	if (!isIsoDate(date)) error(400, `date: "${date.slice(0, 40)}" is not a date (YYYY-MM-DD)`);
	return date;
}

/** Any JSON object: its fields are checked by the domain, which names the one that is wrong. */
export const JSON_OBJECT_BODY = z.record(z.string(), z.unknown());
