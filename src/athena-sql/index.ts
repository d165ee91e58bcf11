/**
 * ctq's query compiled to Athena SQL over the CloudTrail trail table, and the table's DDL. Pure: no
 * AWS, no file system. Every condition is a superset of ctq's own test (see condition.ts).
 */
export { athenaDdl, checkDdlOptions, type DdlOptions, type DdlCheck } from './ddl';
export { compileQueryStatement, estimatePartitions, selectStatement, type QueryInput, type StatementInput, type PartitionEstimate } from './statement';
export { chainStatements, chainCondition, MAX_QUERY_BYTES, type ChainAttributeKey, type ChainStatements } from './chain-statements';
export { pushExpression } from './expression';
export { pushSelection } from './selection';
export { pushWindow, partitionDays, partitionDay, DEFAULT_DELIVERY_MARGIN_HOURS } from './window';
export { sqlString, sqlIdentifier, sqlTableName, likeOfGlob } from './sql-text';
export { requiredLiterals, type RegexRequirement } from './regex-literals';
export type { Superset } from './condition';
export { TRAIL_COLUMNS, PARTITION, type Field, type ColumnType } from './trail-table';
