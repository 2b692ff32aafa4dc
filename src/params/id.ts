import type { ParamMatcher } from '@sveltejs/kit';

/** A database id: a positive whole number. */
export const match: ParamMatcher = (param) => /^[1-9]\d{0,15}$/.test(param);
