/** Sigma rules (product aws, service cloudtrail) compiled into ctq rules. */
export { readSigmaFile } from './sigma-rule';
