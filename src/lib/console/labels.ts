/**
 * Labels for codes that come from the server (timeline actions, device event types, roles…): the
 * catalogue's message when it has one, else the code itself, so a code added on the server later
 * still shows instead of breaking the panel.
 */
import { catalogue, type MessageKey } from '../i18n/messages';
import type { I18n } from '../i18n/locale.svelte';

export function codeLabel(i18n: I18n, prefix: string, code: string): string {
	const key = `${prefix}.${code}`;
	return key in catalogue[i18n.current] ? i18n.t(key as MessageKey) : code;
}
