/**
 * Who is acting on the gazetteer, and in which role. Until people log in (the accounts issue), the
 * request says it itself: the `x-carecircle-actor` header (`reviewer:李审核`) from API clients, or the
 * `cc_actor` cookie set by the pages' "acting as" select. This is the one place the accounts issue
 * replaces with the session's user.
 */
import type { Cookies } from '@sveltejs/kit';

export type GazetteerRole = 'editor' | 'reviewer';

export interface GazetteerActor {
	name: string;
	role: GazetteerRole;
}

export const ACTOR_HEADER = 'x-carecircle-actor';
export const ACTOR_COOKIE = 'cc_actor';
const DEFAULT_ACTOR: GazetteerActor = { name: '编辑员', role: 'editor' };

/** Parses `role:name`; anything else is the default editor. */
export function parseActor(value: string | null | undefined): GazetteerActor {
	const match = /^(editor|reviewer):(.{1,60})$/u.exec(decodeURIComponent(value ?? '').trim());
	return match ? { role: match[1] as GazetteerRole, name: match[2].trim() } : DEFAULT_ACTOR;
}

export function gazetteerActor(event: { request: Request; cookies: Pick<Cookies, 'get'> }): GazetteerActor {
	return parseActor(event.request.headers.get(ACTOR_HEADER) ?? event.cookies.get(ACTOR_COOKIE));
}
