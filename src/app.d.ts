import type { Locale } from '$lib/i18n/messages';
import type { SessionUser } from '$lib/server/auth/roles';

declare global {
	namespace App {
		interface Locals {
			locale: Locale;
			/** The logged-in person (src/hooks.server.ts), null when nobody is. */
			user: SessionUser | null;
		}
		interface Error {
			message: string;
			code?: string;
		}
	}
}

export {};
