import { describe, expect, test } from 'vitest';
import { loadPartitions, partitionOf, partitionRegions } from '../../src/sources/cloudtrail-api/regions';

describe('regions from the SDK endpoint data', () => {
  test('all regions of the commercial partition, without pseudo-regions', async () => {
    const regions = await partitionRegions('us-east-1');
    expect(regions).toContain('us-east-1');
    expect(regions).toContain('eu-west-1');
    expect(regions).toContain('af-south-1');
    expect(regions).not.toContain('aws-global');
    expect(regions.some((r) => r.startsWith('cn-') || r.startsWith('us-gov-'))).toBe(false);
    expect(regions.length).toBeGreaterThan(20);
  });

  test('a China region gives the China partition', async () => {
    const regions = await partitionRegions('cn-north-1');
    expect(regions).toEqual(['cn-north-1', 'cn-northwest-1']);
  });

  test('an unlisted region is placed by the partition pattern', async () => {
    const partitions = await loadPartitions();
    expect(partitionOf(partitions, 'us-gov-south-9')?.id).toBe('aws-us-gov');
    expect(partitionOf(partitions, 'eu-south-9')?.id).toBe('aws');
  });
});
