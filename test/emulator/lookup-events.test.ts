/** LookupEvents through the real SDK client: paging, attributes, time window, errors, regions. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LookupEventsCommand, type LookupAttributeKey } from '@aws-sdk/client-cloudtrail';
import type { JsonObject } from '../../src/language/json';
import { syntheticEvents } from '../support/synthetic-events';
import { clientFor, expectedIds, idsOf, isNewestFirst, lookupAll, rejection, startOn, type Harness } from './harness';

const REGIONS = ['us-east-1', 'eu-west-1'];
const records = syntheticEvents({ count: 400, seed: 7, regions: REGIONS });
const inRegion = (region: string) => (record: JsonObject) => record['awsRegion'] === region;

let harness: Harness;
beforeAll(async () => {
  harness = await startOn(records);
});
afterAll(async () => harness.stop());

const client = (region = 'us-east-1') => clientFor(harness.emulator.url, region);

describe('paging', () => {
  it('pages to the end with the SDK paginator, every event of the region once, newest first', async () => {
    const events = await lookupAll(client(), {}, 7);
    const ids = idsOf(events);
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual(expectedIds(records, inRegion('us-east-1')));
    expect(isNewestFirst(events)).toBe(true);
  });

  it('returns 50 events by default, with a NextToken while more remain', async () => {
    const page = await client().send(new LookupEventsCommand({}));
    expect(page.Events).toHaveLength(50);
    expect(page.NextToken).toEqual(expect.any(String));
  });

  it('leaves NextToken out on the last page', async () => {
    const [newest] = await lookupAll(client(), {}, 50);
    const page = await client().send(
      new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: 'EventId', AttributeValue: newest!.EventId! }] }),
    );
    expect(page.Events).toHaveLength(1);
    expect(page.NextToken).toBeUndefined();
  });

  it.each([0, 51, -1])('answers InvalidMaxResultsException for MaxResults %i', async (maxResults) => {
    const error = await rejection(client().send(new LookupEventsCommand({ MaxResults: maxResults })));
    expect(error.name).toBe('InvalidMaxResultsException');
    expect(error.$metadata?.httpStatusCode).toBe(400);
  });

  it('accepts MaxResults 1 and 50', async () => {
    expect((await client().send(new LookupEventsCommand({ MaxResults: 1 }))).Events).toHaveLength(1);
    expect((await client().send(new LookupEventsCommand({ MaxResults: 50 }))).Events).toHaveLength(50);
  });

  it('answers InvalidNextTokenException for a token it never issued', async () => {
    const error = await rejection(client().send(new LookupEventsCommand({ NextToken: 'bm90IGEgdG9rZW4=' })));
    expect(error.name).toBe('InvalidNextTokenException');
  });

  it('answers InvalidNextTokenException for a tampered token', async () => {
    const { NextToken } = await client().send(new LookupEventsCommand({ MaxResults: 5 }));
    const text = Buffer.from(NextToken!, 'base64').toString('utf8');
    const tampered = Buffer.from(text.replace(/^\d+/, '0'), 'utf8').toString('base64');
    const error = await rejection(client().send(new LookupEventsCommand({ MaxResults: 5, NextToken: tampered })));
    expect(error.name).toBe('InvalidNextTokenException');
  });

  it('answers InvalidNextTokenException for a token used with different parameters', async () => {
    const { NextToken } = await client().send(new LookupEventsCommand({ MaxResults: 5 }));
    const changed = new LookupEventsCommand({
      MaxResults: 5,
      NextToken,
      LookupAttributes: [{ AttributeKey: 'ReadOnly', AttributeValue: 'true' }],
    });
    expect((await rejection(client().send(changed))).name).toBe('InvalidNextTokenException');
    expect((await rejection(client('eu-west-1').send(new LookupEventsCommand({ MaxResults: 5, NextToken })))).name).toBe(
      'InvalidNextTokenException',
    );
  });
});

describe('regions', () => {
  it('serves each region only the events recorded in it (region from the SigV4 scope)', async () => {
    for (const region of REGIONS) {
      const ids = idsOf(await lookupAll(client(region)));
      expect(ids.sort()).toEqual(expectedIds(records, inRegion(region)));
    }
  });

  it('serves nothing in a region without data', async () => {
    expect(await lookupAll(client('ap-south-1'))).toEqual([]);
  });
});

describe('lookup attributes', () => {
  const region = 'us-east-1';
  const pick = (field: (record: JsonObject) => string | undefined): string => {
    const value = records.filter(inRegion(region)).map(field).find((candidate) => candidate !== undefined);
    if (value === undefined) throw new Error('fixture has no value for this attribute');
    return value;
  };
  const identity = (record: JsonObject) => record['userIdentity'] as JsonObject;
  const resources = (record: JsonObject) => (record['resources'] as JsonObject[] | undefined) ?? [];

  /** Each key with a value from the data and, independently of the emulator, which records it must find. */
  const cases: Array<[LookupAttributeKey, string, (record: JsonObject, value: string) => boolean]> = [
    ['EventId', pick((r) => String(r['eventID'])), (r, v) => r['eventID'] === v],
    ['EventName', 'PutObject', (r, v) => r['eventName'] === v],
    ['EventSource', 'iam.amazonaws.com', (r, v) => r['eventSource'] === v],
    ['ReadOnly', 'false', (r, v) => String(r['readOnly']) === v],
    ['AccessKeyId', pick((r) => identity(r)['accessKeyId'] as string | undefined), (r, v) => identity(r)['accessKeyId'] === v],
    ['Username', 'alice', (r, v) => identity(r)['userName'] === v],
    ['Username', 'admin-session', (r, v) => String(identity(r)['arn']).endsWith(`/${v}`)],
    ['ResourceType', 'AWS::DynamoDB::Table', (r, v) => resources(r).some((res) => res['type'] === v)],
    ['ResourceName', pick((r) => resources(r)[0]?.['ARN'] as string | undefined), (r, v) => resources(r).some((res) => res['ARN'] === v)],
  ];

  it.each(cases)('%s = %s finds exactly the matching events', async (key, value, matches) => {
    const events = await lookupAll(client(region), { LookupAttributes: [{ AttributeKey: key, AttributeValue: value }] }, 20);
    const expected = expectedIds(records, (r) => inRegion(region)(r) && matches(r, value));
    expect(expected.length).toBeGreaterThan(0);
    expect(idsOf(events).sort()).toEqual(expected);
    expect(isNewestFirst(events)).toBe(true);
  });

  it('matches values exactly, case included', async () => {
    for (const value of ['putobject', 'Put', 'PutObject ']) {
      const events = await lookupAll(client(region), { LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: value }] });
      expect(events).toEqual([]);
    }
  });

  it('answers InvalidLookupAttributesException for more than one attribute', async () => {
    const command = new LookupEventsCommand({
      LookupAttributes: [
        { AttributeKey: 'EventName', AttributeValue: 'PutObject' },
        { AttributeKey: 'ReadOnly', AttributeValue: 'false' },
      ],
    });
    expect((await rejection(client().send(command))).name).toBe('InvalidLookupAttributesException');
  });

  it('answers InvalidLookupAttributesException for a key that is not a lookup attribute', async () => {
    const command = new LookupEventsCommand({
      LookupAttributes: [{ AttributeKey: 'eventname' as LookupAttributeKey, AttributeValue: 'PutObject' }],
    });
    expect((await rejection(client().send(command))).name).toBe('InvalidLookupAttributesException');
  });

  it('returns the summary fields the API derives from the record', async () => {
    const [event] = await lookupAll(client(region), { LookupAttributes: [{ AttributeKey: 'Username', AttributeValue: 'alice' }] });
    const record = JSON.parse(event!.CloudTrailEvent!) as JsonObject;
    expect(event).toMatchObject({
      EventId: record['eventID'],
      EventName: record['eventName'],
      EventSource: record['eventSource'],
      ReadOnly: String(record['readOnly']),
      AccessKeyId: identity(record)['accessKeyId'],
      Username: 'alice',
      EventTime: new Date(String(record['eventTime'])),
    });
    expect(event!.Resources).toEqual(resources(record).map((res) => ({ ResourceType: res['type'], ResourceName: res['ARN'] })));
  });
});

describe('time window', () => {
  const region = 'eu-west-1';
  const times = records.filter(inRegion(region)).map((r) => Date.parse(String(r['eventTime'])));
  const start = new Date(times[Math.floor(times.length / 4)]!);
  const end = new Date(times[Math.floor((3 * times.length) / 4)]!);

  it('returns the events at or after StartTime and at or before EndTime', async () => {
    const events = await lookupAll(client(region), { StartTime: start, EndTime: end }, 9);
    const expected = expectedIds(records, (r) => {
      const time = Date.parse(String(r['eventTime']));
      return inRegion(region)(r) && time >= start.getTime() && time <= end.getTime();
    });
    expect(expected.length).toBeGreaterThan(10);
    expect(idsOf(events).sort()).toEqual(expected);
    expect(events.at(0)!.EventTime!.getTime()).toBe(end.getTime());
    expect(events.at(-1)!.EventTime!.getTime()).toBe(start.getTime());
  });

  it('combines a time window with a lookup attribute', async () => {
    const events = await lookupAll(client(region), {
      StartTime: start,
      EndTime: end,
      LookupAttributes: [{ AttributeKey: 'ReadOnly', AttributeValue: 'true' }],
    });
    const expected = expectedIds(records, (r) => {
      const time = Date.parse(String(r['eventTime']));
      return inRegion(region)(r) && r['readOnly'] === true && time >= start.getTime() && time <= end.getTime();
    });
    expect(idsOf(events).sort()).toEqual(expected);
  });

  it('answers InvalidTimeRangeException when StartTime is after EndTime', async () => {
    const error = await rejection(client(region).send(new LookupEventsCommand({ StartTime: end, EndTime: start })));
    expect(error.name).toBe('InvalidTimeRangeException');
  });
});
