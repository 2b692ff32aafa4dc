/** What the plan-monitoring pages and API read from a request: the date asked for. */
import { error } from '@sveltejs/kit';
import { isIsoDate, todayInDistrict } from '../../dashboard/plan-status';

/** `?date=YYYY-MM-DD`, today in the district when absent; anything else is a 400 with the reason. */
export function asOfFromUrl(url: URL): string {
	const date = url.searchParams.get('date')?.trim();
	if (!date) return todayInDistrict();
	if (!isIsoDate(date)) error(400, `date: "${date.slice(0, 40)}" is not a date (YYYY-MM-DD)`);
	return date;
}
