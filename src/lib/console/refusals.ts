/**
 * Words, in the console's language, why a command was refused or cannot be sent: the server's
 * RefusalDetail (src/lib/realtime/events.ts) and the console's own reasons for a greyed-out button.
 * Also makes timeline actors readable: `wang (socket:127.0.0.1)` → "wang · console", `sla-timer` →
 * "SLA timer". Pure: the locale comes in, text goes out.
 */
import type { RefusalDetail } from '../realtime/events';
import { catalogue, translate, type Locale, type MessageKey } from '../i18n/messages';
import { formatConsoleTime } from './console-time';

/** Why a button is greyed out: a refusal the server would give, or the console's own state. */
export type ActionBlock = RefusalDetail | { kind: 'offline' } | { kind: 'connecting' } | { kind: 'pending' };

/** Finds a responder's name for `responder:<id>` actors (the console's responder list). */
export type ResponderName = (id: number) => string | undefined;

/** The catalogue's label for `<prefix>.<code>`, else the code itself (a code added on the server later). */
function label(locale: Locale, prefix: string, code: string): string {
	const key = `${prefix}.${code}`;
	return key in catalogue[locale] ? translate(locale, key as MessageKey) : code;
}

export type ActorParts =
	| { kind: 'system'; code: string }
	| { kind: 'user'; name: string; via: 'socket' | 'web'; address: string; forResponder: number | null }
	| { kind: 'anonymous'; address: string }
	| { kind: 'responder'; id: number }
	| { kind: 'device'; id: string }
	| { kind: 'other'; text: string };

const USER = /^(.+) \((socket|web):([^)]*)\)(?: for responder:(\d+))?$/;

/**
 * Splits an actor as the server records it (src/lib/server/auth/realtime-access.ts socketActor,
 * src/lib/server/audit/actor.ts, the timers' names) into its parts.
 * @example actorParts('wang (socket:127.0.0.1)') // { kind: 'user', name: 'wang', via: 'socket', address: '127.0.0.1', forResponder: null }
 */
export function actorParts(actor: string): ActorParts {
	const user = USER.exec(actor);
	if (user)
		return {
			kind: 'user',
			name: user[1],
			via: user[2] as 'socket' | 'web',
			address: user[3],
			forResponder: user[4] ? Number(user[4]) : null
		};
	const web = /^web:(.*)$/.exec(actor);
	if (web) return { kind: 'anonymous', address: web[1] };
	const responder = /^responder:(\d+)$/.exec(actor);
	if (responder) return { kind: 'responder', id: Number(responder[1]) };
	const device = /^device:(.+)$/.exec(actor);
	if (device) return { kind: 'device', id: device[1] };
	if (/^[a-z][a-z-]*$/.test(actor)) return { kind: 'system', code: actor };
	return { kind: 'other', text: actor };
}

/**
 * A readable actor, and the raw one (with the address) for a tooltip.
 * @example actorLabel('en', 'sla-timer') // { text: 'SLA timer', title: 'sla-timer' }
 */
export function actorLabel(
	locale: Locale,
	actor: string,
	responderName: ResponderName = () => undefined
): { text: string; title: string } {
	const parts = actorParts(actor);
	const responder = (id: number) => {
		const name = responderName(id);
		return name
			? translate(locale, 'console.actor.responder', { name })
			: translate(locale, 'console.actor.responderId', { id });
	};
	let text: string;
	if (parts.kind === 'user') {
		const who = translate(locale, `console.actor.${parts.via}`, { name: parts.name });
		text =
			parts.forResponder === null
				? who
				: translate(locale, 'console.actor.forResponder', { who, responder: responder(parts.forResponder) });
	} else if (parts.kind === 'anonymous') text = translate(locale, 'console.actor.anonymous');
	else if (parts.kind === 'responder') text = responder(parts.id);
	else if (parts.kind === 'device') text = translate(locale, 'console.actor.device', { id: parts.id });
	else if (parts.kind === 'system') text = label(locale, 'dispatch.actor', parts.code);
	else text = parts.text;
	return { text, title: actor };
}

/**
 * A refusal or block in words, or null for a kind this console does not know (the caller then
 * shows the server's own message).
 * @example refusalText('en', { kind: 'needs_outcome' }) // 'Choose an outcome to resolve the alert.'
 */
export function refusalText(
	locale: Locale,
	detail: ActionBlock,
	responderName?: ResponderName
): string | null {
	const t = (key: MessageKey, values?: Record<string, string | number>) => translate(locale, key, values);
	switch (detail.kind) {
		case 'already_acknowledged':
			return t('console.refusal.already_acknowledged', {
				by: actorLabel(locale, detail.by, responderName).text,
				at: formatConsoleTime(detail.at)
			});
		case 'already_assigned':
			return (
				t(`console.refusal.already_assigned.${detail.state === 'accepted' ? 'accepted' : 'offered'}`, {
					responder: detail.responder
				}) +
				(detail.by
					? t('console.refusal.assignedBy', { by: actorLabel(locale, detail.by, responderName).text })
					: '')
			);
		case 'invalid_transition':
			return t('console.refusal.invalid_transition', {
				action: label(locale, 'console.verb', detail.action),
				state: label(locale, 'state', detail.state)
			});
		case 'responder_unavailable': {
			const key = `console.refusal.responder_unavailable.${detail.status}`;
			return t(
				(key in catalogue[locale] ? key : 'console.refusal.responder_unavailable.available') as MessageKey,
				{ responder: detail.responder }
			);
		}
		case 'responder_engaged':
			return t('console.refusal.responder_engaged', { responder: detail.responder });
		case 'top_rung':
		case 'needs_outcome':
		case 'no_accepted_responder':
		case 'offline':
		case 'connecting':
		case 'pending':
			return t(`console.refusal.${detail.kind}`);
		default:
			return null;
	}
}
