/**
 * The interface language of one page session. Kept in Svelte context (not a module singleton) so
 * server rendering of concurrent requests never mixes languages; a cookie carries the choice.
 */
import { getContext, setContext } from 'svelte';
import { translate, type Locale, type MessageKey } from './messages';

export const LOCALE_COOKIE = 'cc_locale';
const CONTEXT_KEY = Symbol('i18n');

export class I18n {
	current = $state<Locale>('zh-CN');

	constructor(initial: Locale) {
		this.current = initial;
	}

	t = (key: MessageKey, values?: Record<string, string | number>) => translate(this.current, key, values);

	set(locale: Locale) {
		this.current = locale;
		document.cookie = `${LOCALE_COOKIE}=${locale}; path=/; max-age=31536000; samesite=lax`;
		document.documentElement.lang = locale;
	}
}

export function provideI18n(initial: Locale): I18n {
	return setContext(CONTEXT_KEY, new I18n(initial));
}

export function useI18n(): I18n {
	return getContext<I18n>(CONTEXT_KEY);
}
