/** Scripted scenarios (`npm run sim:scenario -- NAME`): each by its name. */
import { badDevices } from './bad-devices';
import { quietNight } from './quiet-night';
import type { Scenario } from './runner';
import { typhoonNight } from './typhoon-night';

export const SCENARIOS: Readonly<Record<string, Scenario>> = {
	[typhoonNight.name]: typhoonNight,
	[badDevices.name]: badDevices,
	[quietNight.name]: quietNight
};

export { runScenario, type RunOptions, type Scenario, type ScenarioResult } from './runner';
export { formatSummary, type ScenarioSummary } from './summary';
