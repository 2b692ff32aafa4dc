/** The page asked for in a list page's `?page=` parameter: a whole number from 1, else the first page. */
export function pageNumber(raw: string | null): number {
	const page = Number(raw);
	return Number.isSafeInteger(page) && page >= 1 ? page : 1;
}
