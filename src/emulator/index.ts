/** The emulator as a library: what tests and benchmarks start in-process. The CLI is `main.ts`. */
export { startEmulator, type EmulatorData, type EmulatorOptions, type RunningEmulator } from './emulator';
export type { FaultOptions } from './faults';
export type { EmulatorCounters } from './server';
export type { StoreSummary } from './store';
export { LOOKUP_EVENTS_TPS } from './throttle';
