import { getServices } from '$lib/server/context';
import { districtMapData } from '$lib/server/regions/district-map';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = () => districtMapData(getServices());
