/**
 * The real public CloudTrail samples beside the checkout (`../shared/datasets`, each with its SOURCE.md and
 * LICENSE). Tests that use them skip cleanly when the folder is absent.
 */
import { resolve } from 'node:path';

export const SHARED_DATASETS = resolve(__dirname, '..', '..', '..', 'shared', 'datasets');

export function sharedDataset(...parts: string[]): string {
  return resolve(SHARED_DATASETS, ...parts);
}
