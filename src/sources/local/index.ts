/**
 * Local inputs (`--input`): trail archives, NDJSON and `lookup-events` output, files, directories or
 * stdin, FIFOs: discovery, chunks, gzip and the record splitter. They are read through one pipeline,
 * `src/scan/` (`scanLocal`, and `readLocalEvents` for callers that want the parsed events).
 */
export { STDIN, type Discovery, type ExternalInput, type InputSpec, type ReadOrder } from './discover';
export { byteSourceOf } from './file-source';
export type { FileRead, ReadPlanner } from './read-planner';
