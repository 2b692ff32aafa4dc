/** Scripted scenarios (`npm run sim:scenario -- NAME`): each by its name. */
import { badDevices } from './bad-devices';
import { brokerRestart } from './broker-restart';
import { quietNight } from './quiet-night';
import type { Scenario } from './runner';
import { stress } from './stress';
import { typhoonNight } from './typhoon-night';

export const SCENARIOS: Readonly<Record<string, Scenario>> = {
	[typhoonNight.name]: typhoonNight,
	[badDevices.name]: badDevices,
	[quietNight.name]: quietNight,
	[brokerRestart.name]: brokerRestart,
	[stress.name]: stress
};

export { runScenario, type RunOptions, type Scenario, type ScenarioResult } from './runner';
export { startStage, type Stage } from './stage';
export { formatSummary, type ScenarioSummary } from './summary';
