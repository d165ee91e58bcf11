/** TopLevelMembers: chosen top-level members of a record read from its bytes, as JSON.parse reads them. */
import { describe, expect, it } from 'vitest';
import { ABSENT, NESTED, SCALAR, STRING, TopLevelMembers } from '../../src/rules/top-level-members';

const NAMES = ['eventName', 'errorCode', 'readOnly', 'userIdentity', 'é'];

/** What each named member holds in `text` (kind and text of its span), or null when the reading is unsure. */
function read(text: string): Record<string, [number, string]> | null {
  const members = new TopLevelMembers(NAMES);
  const bytes = Buffer.from(`xx${text}yy`, 'utf8');
  if (!members.read(bytes, 2, bytes.length - 2)) return null;
  const found: Record<string, [number, string]> = {};
  NAMES.forEach((name, i) => {
    if (members.kinds[i] !== ABSENT) found[name] = [members.kinds[i]!, bytes.toString('utf8', members.starts[i], members.ends[i])];
  });
  return found;
}

describe('TopLevelMembers', () => {
  it('reads strings, scalars and nested values of the members asked for, and no others', () => {
    expect(read('{"eventName":"GetObject","other":"errorCode","readOnly":true,"userIdentity":{"type":"x","errorCode":"y"}}')).toEqual({
      eventName: [STRING, 'GetObject'],
      readOnly: [SCALAR, 'true'],
      userIdentity: [NESTED, '{"type":"x","errorCode":"y"}'],
    });
    expect(read('{"errorCode":-1.5e3,"é":"ü","eventName":""}')).toEqual({ errorCode: [SCALAR, '-1.5e3'], é: [STRING, 'ü'], eventName: [STRING, ''] });
    expect(read('{}')).toEqual({});
  });

  it('keeps the last of duplicate members, as JSON.parse does, and ignores nested ones', () => {
    expect(read('{"errorCode":"A","x":[{"errorCode":"B"}],"errorCode":null}')).toEqual({ errorCode: [SCALAR, 'null'] });
    expect(read('{"x":{"eventName":"Nested","y":["]","}"]},"eventName":"Top"}')).toEqual({ eventName: [STRING, 'Top'] });
  });

  it('reads through JSON whitespace anywhere between tokens', () => {
    expect(read(' {\n\t"eventName" :\r\n "A" ,  "readOnly":false\n}\n')).toEqual({ eventName: [STRING, 'A'], readOnly: [SCALAR, 'false'] });
  });

  it('is unsure of anything that is not one whole object', () => {
    for (const text of ['[1]', '{"eventName":"A"', '{"eventName":"A"}{}', '{"eventName":"A",}', '{"eventName" "A"}', '{eventName:"A"}', '{"eventName":}', '{"a":{"b":1}', '{"eventName":"A']) {
      expect({ text, read: read(text) }).toEqual({ text, read: null });
    }
  });
});
