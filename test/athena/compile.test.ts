/**
 * Golden SQL for every construct of the language, the action selection and the window, and a check
 * that each generated statement parses with the real Trino grammar.
 */
import { describe, expect, test } from 'vitest';
import { pushSelection } from '../../src/athena-sql';
import type { Expr } from '../../src/language/ast';
import { parseActions } from '../../src/selection';
import { pushed, statementFor } from './compile-support';
import { parseTrino } from './sql-grammar';

/** [expression, the pushed condition (null: nothing pushed)]. */
const GOLDEN: readonly [string, string | null][] = [
  // == on struct columns: dereference, exact member names only
  ['$.userIdentity.accessKeyId == "AKIAEXAMPLE"', "useridentity.accesskeyid = 'AKIAEXAMPLE'"],
  ['"AKIAEXAMPLE" == $.userIdentity.accessKeyId', "useridentity.accesskeyid = 'AKIAEXAMPLE'"],
  ['$.userIdentity.sessionContext.sessionIssuer.arn == "arn:aws:iam::1:role/a"', "useridentity.sessioncontext.sessionissuer.arn = 'arn:aws:iam::1:role/a'"],
  ["$['errorCode'] == 'AccessDenied'", "errorcode = 'AccessDenied'"],
  ['$.errorCode == "AccessDenied"', "errorcode = 'AccessDenied'"],
  ['$.readOnly == false', "readonly = 'false'"],
  ['$.errorCode == null', 'errorcode IS NULL'],
  ['$.errorCode != null', 'errorcode IS NOT NULL'],
  ['$.errorCode', 'errorcode IS NOT NULL'],
  ['$.useridentity.accesskeyid == "AKIA"', null], // not CloudTrail's spelling: ctq reads nothing there
  ['$.managementEvent == true', null], // no column for it in the documented table
  ['$.userIdentity == null', null], // a struct, not a string
  ['$.eventVersion == 1.08', null], // numbers are kept as written by the SerDe
  ['$.errorCode == ["a"]', null],
  // == inside the JSON-string columns
  ['$.requestParameters.bucketName == "my-bucket"', "json_extract_scalar(requestparameters, '$.bucketName') = 'my-bucket'"],
  ["$.requestParameters['x-amz-id-2'] != null", `json_extract(requestparameters, '$["x-amz-id-2"]') IS NOT NULL`],
  ['$.responseElements.credentials.accessKeyId == "ASIA1"', "json_extract_scalar(responseelements, '$.credentials.accessKeyId') = 'ASIA1'"],
  ['$.additionalEventData.MFAUsed == "Yes"', "json_extract_scalar(additionaleventdata, '$.MFAUsed') = 'Yes'"],
  ['$.serviceEventDetails.eventName == "x"', "json_extract_scalar(serviceeventdetails, '$.eventName') = 'x'"],
  ['$.requestParameters.items[0].name == "x"', "json_extract_scalar(requestparameters, '$.items[0].name') = 'x'"],
  ['$.requestParameters == null', null],
  ['$.requestParameters.policy.* == "x"', null],
  // arrays
  ['$.resources[*].type == "AWS::S3::Bucket"', "any_match(resources, r -> r.type = 'AWS::S3::Bucket')"],
  ['$.resources[*].ARN regex /:bucket\\/secret/', "any_match(resources, r -> strpos(r.arn, ':bucket/secret') > 0)"],
  ['$.resources[0].ARN == "arn:x"', "element_at(resources, 1).arn = 'arn:x'"],
  ['$.resources[*].type == null', null], // no resources at all also reads as null
  ['$..arn == "x"', null],
  // [] (unwrap): nothing on a column that holds no list, [*] on a list column; inside a JSON column any
  // member may hold a list, so nothing is pushed there
  ['$.userIdentity[].accessKeyId[] == "AKIAEXAMPLE"', "useridentity.accesskeyid = 'AKIAEXAMPLE'"],
  ['$.userIdentity[].sessionContext[].sessionIssuer[].type[] =~ "role"', "lower(useridentity.sessioncontext.sessionissuer.type) = 'role'"],
  ['$.errorCode[] == null', 'errorcode IS NULL'],
  ['$.resources[].type[] == "AWS::S3::Bucket"', "any_match(resources, r -> r.type = 'AWS::S3::Bucket')"],
  ['$.resources[].type == null', null],
  ['$.requestParameters[].bucketName[] == "my-bucket"', null],
  // negation: De Morgan, null tests only
  ['$.errorCode != "AccessDenied"', null],
  ['not ($.errorCode == null)', 'errorcode IS NOT NULL'],
  ['not ($.errorCode != null)', 'errorcode IS NULL'],
  ['not not $.eventName == "A"', "eventname = 'A'"],
  ['not ($.errorCode == null or $.userAgent == null)', '(errorcode IS NOT NULL) AND (useragent IS NOT NULL)'],
  ['not ($.errorCode == null and $.userAgent == "x")', null],
  ['not ($.eventName == "A")', null],
  ['not $.errorCode', null],
  // and / or
  ['$.eventName == "A" and $.errorCode != "x"', "eventname = 'A'"],
  ['$.eventName == "A" or $.eventName == "B"', "(eventname = 'A') OR (eventname = 'B')"],
  ['$.eventName == "A" or $.errorCode != "x"', null],
  ['$.eventName == "A" and ($.errorCode == "B" or $.userAgent == "C")', "(eventname = 'A') AND ((errorcode = 'B') OR (useragent = 'C'))"],
  // regex: required literals, never regexp_like
  ['$.userIdentity.arn regex "assumed-role/admin/"', "strpos(useridentity.arn, 'assumed-role/admin/') > 0"],
  ['$.userIdentity.arn regex /^arn:aws:sts::\\d+:assumed-role\\/Admin/', "(strpos(useridentity.arn, 'arn:aws:sts::') > 0) AND (strpos(useridentity.arn, ':assumed-role/Admin') > 0)"],
  ['$.userAgent regex /Boto3/i', "strpos(lower(useragent), 'boto3') > 0"],
  ['$.userAgent regex /aws-cli|boto/', null],
  ['$.userAgent regex /colou?r/', "strpos(useragent, 'colo') > 0"],
  ['$.userAgent regex /\\w+/', null],
  ['$.userAgent regex /ab\\u0041cd/', "(strpos(useragent, 'ab') > 0) AND (strpos(useragent, 'cd') > 0)"],
  ['$.requestParameters.roleArn regex /:role\\/Admin$/', "strpos(json_extract_scalar(requestparameters, '$.roleArn'), ':role/Admin') > 0"],
  // contains / startswith / endswith: strpos and LIKE with an escape; a JSON array passes (ctq tests its elements)
  ['$.userAgent contains "Boto3"', "strpos(useragent, 'Boto3') > 0"],
  ['$.userAgent contains ""', "useragent IS NOT NULL"],
  ['$.userAgent startswith "aws-cli/"', "useragent LIKE 'aws-cli/%' ESCAPE '\\'"],
  ['$.userAgent endswith "100%_x"', "useragent LIKE '%100\\%\\_x' ESCAPE '\\'"],
  ['$.userAgent contains~ "BOTO3"', "strpos(lower(useragent), 'boto3') > 0"],
  ['$.eventSource startswith~ "S3."', "lower(eventsource) LIKE 's3.%' ESCAPE '\\'"],
  ['$.userIdentity.arn endswith~ "/ADMIN"', "lower(useridentity.arn) LIKE '%/admin' ESCAPE '\\'"],
  ['$.userAgent contains~ "ÄRGER"', null],
  ['$.userAgent contains $.eventName', null],
  ['$.userAgent contains 1', null],
  ['not ($.userAgent contains "x")', null],
  ['$.requestParameters.bucketName contains "prod"', "(strpos(json_extract_scalar(requestparameters, '$.bucketName'), 'prod') > 0) OR (json_array_length(json_extract(requestparameters, '$.bucketName')) > 0)"],
  ['$.requestParameters.actions startswith "s3:"', "(json_extract_scalar(requestparameters, '$.actions') LIKE 's3:%' ESCAPE '\\') OR (json_array_length(json_extract(requestparameters, '$.actions')) > 0)"],
  ['$.resources[*].ARN endswith "logs-bucket"', "any_match(resources, r -> r.arn LIKE '%logs-bucket' ESCAPE '\\')"],
  ['$..arn contains "x"', null],
  // in: IN (…) as the == it abbreviates; not in as !=
  ['$.eventName in ["GetObject", "HeadObject"]', "eventname IN ('GetObject', 'HeadObject')"],
  ['$.eventName in ["GetObject"]', "eventname = 'GetObject'"],
  ['$.readOnly in [true]', "readonly = 'true'"],
  ['$.errorCode in ["AccessDenied", null]', "(errorcode = 'AccessDenied') OR (errorcode IS NULL)"],
  ['$.errorCode in [null]', "errorcode IS NULL"],
  ['$.eventName in []', null],
  ['$.eventName in ["a", 1]', null],
  ['$.eventName in ["a", ["b"]]', null],
  ['$.eventName in~ ["getobject", "HEADOBJECT"]', "lower(eventname) IN ('getobject', 'headobject')"],
  ['$.eventName in~ ["straße"]', null],
  ['$.requestParameters.bucketName in ["a", "b"]', "json_extract_scalar(requestparameters, '$.bucketName') IN ('a', 'b')"],
  ['$.resources[*].type in ["AWS::S3::Bucket", "AWS::S3::Object"]', "any_match(resources, r -> r.type IN ('AWS::S3::Bucket', 'AWS::S3::Object'))"],
  ['$.resources[*].type in ["AWS::S3::Bucket", null]', null],
  ['$.eventName not in ["GetObject"]', null],
  ['$.errorCode not in ["x", null]', "errorcode IS NOT NULL"],
  ['not ($.eventName not in ["GetObject"])', "eventname = 'GetObject'"],
  ['not ($.eventName in ["GetObject"])', null],
  ['json($.requestParameters.policyDocument, "$..Action") in ["*"]', null],
  // =~ and !~: lower() against an ASCII literal only
  ['$.eventName =~ "getobject"', "lower(eventname) = 'getobject'"],
  ['$.eventName =~ "GETÖBJECT"', null],
  ['$.readOnly =~ true', "readonly = 'true'"],
  ['$.errorCode =~ null', "errorcode IS NULL"],
  ['$.errorCode !~ null', "errorcode IS NOT NULL"],
  ['$.errorCode !~ "x"', null],
  ['not ($.eventName !~ "GetObject")', "lower(eventname) = 'getobject'"],
  ['$.requestParameters.bucketName =~ "MY-BUCKET"', "lower(json_extract_scalar(requestparameters, '$.bucketName')) = 'my-bucket'"],
  ['$.resources[*].type =~ "aws::s3::bucket"', "any_match(resources, r -> lower(r.type) = 'aws::s3::bucket')"],
  // ordering: only $.eventTime against a timestamp literal, as the eventtime range on whole seconds
  ['$.eventTime >= "2024-05-01T10:00:00Z"', "substr(eventtime, 1, 19) >= '2024-05-01T10:00:00'"],
  ['$.eventTime > "2024-05-01T10:00:00.750Z"', "substr(eventtime, 1, 19) >= '2024-05-01T10:00:00'"],
  ['$.eventTime < "2024-05-01T12:15:00+02:00"', "substr(eventtime, 1, 19) <= '2024-05-01T10:15:00'"],
  ['$.eventTime <= "2024-05-01"', "substr(eventtime, 1, 19) <= '2024-05-01T00:00:00'"],
  ['"2024-05-01T10:00:00Z" < $.eventTime', "substr(eventtime, 1, 19) >= '2024-05-01T10:00:00'"],
  ['$.eventTime >= "yesterday"', null],
  ['not ($.eventTime < "2024-05-01T10:00:00Z")', null],
  ['$.eventTime > 5', null],
  ['$.userIdentity.sessionContext.attributes.creationDate > "2024-05-01"', null],
  ['$.additionalEventData.bytesTransferredIn < 1', null],
  // value functions stay in ctq
  ['lower($.eventName) == "getobject"', null],
  ['len($.resources) == 2', null],
  ['cidr($.sourceIPAddress, "10.0.0.0/8")', null],
  // functions stay in ctq
  ['session() == "x"', null],
  ['chainOf("ASIAEXAMPLE")', null],
  ['chainOf("ASIAEXAMPLE") and $.readOnly == false', "readonly = 'false'"],
];

describe('expressions become superset conditions', () => {
  test.each(GOLDEN)('%s', (text, expected) => {
    expect(pushed(text)).toBe(expected);
  });

  test('every pushed condition parses with the Trino grammar as part of one statement', () => {
    for (const [text] of GOLDEN) {
      const sql = statementFor({ matches: [text] });
      const parsed = parseTrino(sql);
      expect(parsed.errors, `${text}\n${sql}`).toEqual([]);
      expect(parsed.statements).toBe(1);
      expect(sql).not.toMatch(/regexp_like/i);
    }
  });

  test('a 100 KB chain of and/not pushes as a shorter one does, without running out of stack', () => {
    const terms = Array.from({ length: 9000 }, (_, i) => (i % 2 === 0 ? `$.eventName == "A${i % 7}"` : `not ($.readOnly != true)`));
    const text = terms.join(' and ');
    expect(text.length).toBeGreaterThan(100_000);
    const sql = pushed(text);
    expect(sql).toContain("eventname = 'A0'");
    expect(sql).toContain("readonly = 'true'");
    expect(sql!.split(' AND ').length).toBe(terms.length);
  });

  test('an expression kind the compiler does not know pushes nothing, even inside and/or/not', async () => {
    const { pushExpression } = await import('../../src/athena-sql');
    const unknown = { kind: 'compare', op: '<>', left: { kind: 'path', text: '$.eventName', steps: [{ kind: 'member', name: 'eventName' }], span: { start: 0, end: 1 } }, right: { kind: 'literal', value: 'x', span: { start: 0, end: 1 } }, span: { start: 0, end: 1 } } as unknown as Expr;
    const future = { kind: 'between', span: { start: 0, end: 1 } } as unknown as Expr;
    const known = { kind: 'compare', op: '==', left: (unknown as { left: unknown }).left, right: { kind: 'literal', value: 'A', span: { start: 0, end: 1 } }, span: { start: 0, end: 1 } } as unknown as Expr;
    expect(pushExpression(unknown)).toBeNull();
    expect(pushExpression(future)).toBeNull();
    expect(pushExpression({ kind: 'not', operand: future, span: { start: 0, end: 1 } } as Expr)).toBeNull();
    expect(pushExpression({ kind: 'or', left: known, right: future, span: { start: 0, end: 1 } } as Expr)).toBeNull();
    expect(pushExpression({ kind: 'and', left: known, right: future, span: { start: 0, end: 1 } } as Expr)).toBe("eventname = 'A'");
  });
});

describe('the action selection becomes eventsource/eventname conditions', () => {
  const selection = (...actions: string[]) => {
    const parsed = parseActions(actions);
    if (!parsed.ok) throw new Error(parsed.message);
    return pushSelection(parsed.selection.actions);
  };

  test('an exact action: its event source and its name, case-insensitively', () => {
    expect(selection('s3:GetObject')).toBe("(lower(eventsource) IN ('s3.amazonaws.com')) AND (lower(eventname) = 'getobject')");
  });

  test('an exact action also matches the names CloudTrail logs it under, in any spelling of the action', () => {
    const listBucket = "(lower(eventsource) IN ('s3.amazonaws.com')) AND (lower(eventname) IN ('listbucket', 'listobjects', 'listobjectsv2'))";
    expect(selection('s3:ListBucket')).toBe(listBucket);
    expect(selection('s3:listbucket')).toBe(listBucket);
    expect(selection('S3:LISTBUCKET')).toBe(listBucket);
    expect(selection('s3:listallmybuckets')).toBe("(lower(eventsource) IN ('s3.amazonaws.com')) AND (lower(eventname) IN ('listallmybuckets', 'listbuckets'))");
    expect(selection('s3:getobject')).toBe("(lower(eventsource) IN ('s3.amazonaws.com')) AND (lower(eventname) = 'getobject')");
    // A versioned service: the suffix-stripped match, whatever the case typed.
    expect(selection('LAMBDA:getfunction')).toBe("(lower(eventsource) IN ('lambda.amazonaws.com')) AND (lower(eventname) LIKE 'getfunction%' ESCAPE '\\')");
    // A glob is matched against event names only, as the selection does.
    expect(parseTrino(statementFor({ actions: ['S3:LISTBUCKET', 'lambda:GetFunction'] }))).toMatchObject({ errors: [], statements: 1 });
    expect(selection('s3:ListBucket*')).toBe("(lower(eventsource) IN ('s3.amazonaws.com')) AND (lower(eventname) LIKE 'listbucket%' ESCAPE '\\')");
  });

  test('a glob becomes LIKE with an escape; `_` in a name is literal', () => {
    expect(selection('iam:*Policy*')).toBe("(lower(eventsource) IN ('iam.amazonaws.com')) AND (lower(eventname) LIKE '%policy%' ESCAPE '\\')");
    // `?` is one UTF-16 code unit to ctq, `_` one code point to Trino: `?` becomes `%`.
    expect(selection('sts:AssumeRole?ith*')).toBe("(lower(eventsource) IN ('sts.amazonaws.com')) AND (lower(eventname) LIKE 'assumerole%ith%' ESCAPE '\\')");
    expect(selection('s3:Get_Object*')).toContain("LIKE 'get\\_object%' ESCAPE '\\'");
  });

  test('a service whose event names carry an API version gets a trailing %', () => {
    expect(selection('lambda:GetFunction')).toBe("(lower(eventsource) IN ('lambda.amazonaws.com')) AND (lower(eventname) LIKE 'getfunction%' ESCAPE '\\')");
  });

  test('a service glob pushes the name only (cloudwatch logs as monitoring.amazonaws.com)', () => {
    expect(selection('*:ConsoleLogin')).toBe("lower(eventname) LIKE 'consolelogin%' ESCAPE '\\'");
    expect(selection('cloud*:*')).toBeNull();
  });

  test('several actions are ORed; *:* or none selects everything', () => {
    expect(selection('iam:*', 'sts:AssumeRole')).toBe(
      "(lower(eventsource) IN ('iam.amazonaws.com')) OR ((lower(eventsource) IN ('sts.amazonaws.com')) AND (lower(eventname) = 'assumerole'))",
    );
    expect(selection('iam:*', '*:*')).toBeNull();
    expect(selection()).toBeNull();
  });
});

describe('the whole statement', () => {
  const from = Date.parse('2025-12-01T00:00:00Z');
  const to = Date.parse('2025-12-02T13:45:10.500Z');

  test('selects "$path" and eventid only, with partition and eventtime predicates', () => {
    const sql = statementFor({
      actions: ['iam:*', 'sts:AssumeRole*'],
      matches: ['$.userIdentity.accessKeyId == "AKIAEXAMPLE"'],
      fromMs: from,
      toMs: to,
      accounts: ['111122223333'],
      regions: ['us-east-1', 'eu-west-1'],
    });
    expect(sql).toBe(
      [
        'SELECT DISTINCT "$path", eventid',
        'FROM "cloudtrail"."org_trail"',
        `WHERE ("account" IN ('111122223333')) AND ("region" IN ('us-east-1', 'eu-west-1')) AND (("timestamp" >= '2025/12/01') AND ("timestamp" <= '2025/12/03') AND (substr(eventtime, 1, 19) >= '2025-12-01T00:00:00') AND (substr(eventtime, 1, 19) <= '2025-12-02T13:45:10')) AND ((lower(eventsource) IN ('iam.amazonaws.com')) OR ((lower(eventsource) IN ('sts.amazonaws.com')) AND (lower(eventname) LIKE 'assumerole%' ESCAPE '\\'))) AND (useridentity.accesskeyid = 'AKIAEXAMPLE')`,
      ].join('\n'),
    );
    expect(parseTrino(sql)).toMatchObject({ errors: [], statements: 1 });
  });

  test('an open window has no partition bound on that side; nothing pushed leaves no WHERE', () => {
    expect(statementFor({ fromMs: from })).toBe(
      `SELECT DISTINCT "$path", eventid\nFROM "cloudtrail"."org_trail"\nWHERE ("timestamp" >= '2025/12/01') AND (substr(eventtime, 1, 19) >= '2025-12-01T00:00:00')`,
    );
    expect(statementFor({})).toBe('SELECT DISTINCT "$path", eventid\nFROM "cloudtrail"."org_trail"');
  });
});
