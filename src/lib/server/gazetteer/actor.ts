/**
 * Who is acting on the gazetteer, and in which role: the logged-in account. Reviewers (and
 * administrators) review; everyone else the policy lets write to the gazetteer proposes.
 */
import type { SessionUser } from '../auth/roles';

export type GazetteerRole = 'editor' | 'reviewer';

export interface GazetteerActor {
	name: string;
	role: GazetteerRole;
}

export function gazetteerActor(event: { locals: { user: SessionUser | null } }): GazetteerActor {
	const user = event.locals.user;
	if (!user) throw new Error('gazetteerActor needs a logged-in user; the policy lets nobody else write');
	const reviews = user.role === 'gazetteer_reviewer' || user.role === 'administrator';
	return { name: user.username, role: reviews ? 'reviewer' : 'editor' };
}
