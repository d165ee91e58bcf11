/**
 * Which names in a walked folder or a listed prefix can hold events, for local directories and S3 alike:
 * a named file or object is always read, but a walk leaves out READMEs, licences and the like by name.
 */

/** Trail files (`.json.gz`), NDJSON and JSON exports, gzipped or not. */
const EVENT_FILE_NAME = /\.(json|jsonl|ndjson|log)(\.gz)?$|\.gz$/i;

/**
 * The objects Amazon Data Firehose writes, `<stream>-<version>-<yyyy>-<MM>-<dd>-<HH>-<mm>-<ss>-<uuid>` and no
 * extension unless Firehose compresses them itself (Firehose Developer Guide, "Configure Amazon S3 object name
 * format"): how CloudTrail's events reach S3 from an EventBridge rule or a CloudWatch Logs subscription.
 */
const FIREHOSE_OBJECT_NAME = /-\d+-\d{4}-\d{2}-\d{2}-\d{2}-\d{2}-\d{2}-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Whether a walk or listing reads a file or object of this name (or key: only its end is looked at). */
export function isEventFileName(name: string): boolean {
  return EVENT_FILE_NAME.test(name) || FIREHOSE_OBJECT_NAME.test(name);
}
