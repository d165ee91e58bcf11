/**
 * Local inputs (`--input`): trail archives, NDJSON and `lookup-events` output, files, directories or
 * stdin, FIFOs: discovery, chunks, gzip and the record splitter. They are read through one pipeline,
 * `src/scan/` (`scanLocal`, and `readLocalEvents` for callers that want the parsed events).
 */
export { discoverInputs, isDigestPath, STDIN, type Discovery, type ExternalInput, type InputFile, type InputSpec } from './discover';
export { readChunks, type Chunk, type PlainChunk, type ReadEnd } from './chunks';
export { byteSourceOf } from './file-source';
export type { FileRead, ReadPlanner } from './read-planner';
export { inflateChunk } from './inflate';
export { visitChunk, type RecordVisitor } from './records';
