/**
 * The Athena table over a CloudTrail trail, as AWS documents it ("Create the table for CloudTrail
 * logs in Athena using partition projection",
 * https://docs.aws.amazon.com/athena/latest/ug/create-cloudtrail-table-partition-projection.html):
 * one column per top-level record field, `STRUCT`s for userIdentity, addendum and tlsDetails, an
 * array of structs for resources, and plain `STRING`s for the four fields whose shape depends on the
 * service (requestParameters, responseElements, additionalEventData, serviceEventDetails: "the
 * CloudTrail SerDe is unable to predictably deserialize them … use JSON_EXTRACT functions",
 * https://docs.aws.amazon.com/athena/latest/ug/cloudtrail-serde.html).
 *
 * Fields are listed under CloudTrail's own JSON names (record contents,
 * awsdocs/aws-cloudtrail-user-guide doc_source/cloudtrail-event-reference-record-contents.md): the
 * compiler maps a ctq path onto a column only when every member name is spelled exactly so, because
 * ctq compares member names case-sensitively and Hive's JSON SerDe does not. Both the DDL and the
 * compiler read this one table.
 */

export type ColumnType =
  | { readonly kind: 'string' }
  /** A STRING holding JSON text: read with json_extract_scalar. */
  | { readonly kind: 'json' }
  | { readonly kind: 'struct'; readonly fields: readonly Field[] }
  | { readonly kind: 'array'; readonly of: ColumnType }
  | { readonly kind: 'map' }
  /** A STRING in the DDL whose content ctq does not rely on (the SerDe's rendering is not documented): never pushed. */
  | { readonly kind: 'opaque' };

export interface Field {
  /** CloudTrail's JSON member name; the SQL name is its lower case. */
  readonly name: string;
  readonly type: ColumnType;
}

const string: ColumnType = { kind: 'string' };
const json: ColumnType = { kind: 'json' };
const struct = (...fields: Field[]): ColumnType => ({ kind: 'struct', fields });
const field = (name: string, type: ColumnType = string): Field => ({ name, type });

const SESSION_ISSUER = struct(field('type'), field('principalId'), field('arn'), field('accountId'), field('userName'));

export const TRAIL_COLUMNS: readonly Field[] = [
  field('eventVersion'),
  field(
    'userIdentity',
    struct(
      field('type'),
      field('principalId'),
      field('arn'),
      field('accountId'),
      field('invokedBy'),
      field('accessKeyId'),
      field('userName'),
      field('onBehalfOf', struct(field('userId'), field('identityStoreArn'))),
      field(
        'sessionContext',
        struct(
          field('attributes', struct(field('mfaAuthenticated'), field('creationDate'))),
          field('sessionIssuer', SESSION_ISSUER),
          field('ec2RoleDelivery'),
          field('webIdFederationData', struct(field('federatedProvider'), field('attributes', { kind: 'map' }))),
        ),
      ),
    ),
  ),
  field('eventTime'),
  field('eventSource'),
  field('eventName'),
  field('awsRegion'),
  field('sourceIPAddress'),
  field('userAgent'),
  field('errorCode'),
  field('errorMessage'),
  field('requestParameters', json),
  field('responseElements', json),
  field('additionalEventData', json),
  field('requestID'),
  field('eventID'),
  field('readOnly'),
  field('resources', { kind: 'array', of: struct(field('ARN'), field('accountId'), field('type')) }),
  field('eventType'),
  field('apiVersion'),
  field('recipientAccountId'),
  field('serviceEventDetails', json),
  field('sharedEventID'),
  field('vpcEndpointId'),
  field('vpcEndpointAccountId'),
  field('eventCategory'),
  field('addendum', struct(field('reason'), field('updatedFields'), field('originalRequestID'), field('originalEventID'))),
  field('sessionCredentialFromConsole'),
  field('edgeDeviceDetails', { kind: 'opaque' }),
  field('tlsDetails', struct(field('tlsVersion'), field('cipherSuite'), field('clientProvidedHostHeader'))),
];

/**
 * The partition columns of ctq's DDL (see ddl.ts): the account and region folders and the
 * `yyyy/MM/dd` date folder of CloudTrail's object keys
 * (`AWSLogs/[o-org/]<account>/CloudTrail/<region>/<yyyy>/<MM>/<dd>/…`, "Finding your CloudTrail
 * log files", cloudtrail-find-log-files.md).
 */
export const PARTITION = { account: 'account', region: 'region', date: 'timestamp' } as const;

export function sqlName(field: Field): string {
  return field.name.toLowerCase();
}

export function findField(fields: readonly Field[], name: string): Field | null {
  return fields.find((f) => f.name === name) ?? null;
}
