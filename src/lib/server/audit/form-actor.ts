import type { RequestEvent } from '@sveltejs/kit';
import { requestActor } from './actor';

/**
 * Who records a change to addresses, markers or inspections. Until accounts exist (the auth issue
 * replaces this function), a form may name the person (`inspector`/`actor` field) or a client the
 * `x-carecircle-actor` header; the request's address is kept beside the name either way.
 */
export function namedActor(
	event: Pick<RequestEvent, 'getClientAddress' | 'request'>,
	named?: FormDataEntryValue | string | null
): string {
	const from = requestActor(event);
	const name =
		(typeof named === 'string' ? named : '') || event.request.headers.get('x-carecircle-actor') || '';
	const clean = name.trim().slice(0, 100);
	return clean ? `${clean} (${from})` : from;
}
