// `node --import ./test/support/record-loaded-modules.mjs …`: appends the URL of every module the
// process loads to the file named by CTQ_LOADED_MODULES, so a test can say what a run paid for.
import { register } from 'node:module';

register('./loaded-modules-hooks.mjs', import.meta.url, { data: { file: process.env.CTQ_LOADED_MODULES } });
