/** The device fleet simulator: `npm run sim:devices`, demo mode and the tests start it from here. */
export {
	startFleet,
	type Fleet,
	type FleetDevice,
	type FleetLog,
	type FleetOptions,
	type FleetStats,
	type PublishedMessage
} from './fleet';
export { planFleet, type HouseholdPlan } from './plan';
