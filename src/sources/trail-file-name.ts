/**
 * The delivery time CloudTrail writes into each log file's name:
 *
 *   ACCOUNT_CloudTrail_REGION_YYYYMMDDTHHmmZ_UNIQUE.json.gz
 *
 * "the year, month, day, hour, and minute when the log file was delivered … in UTC. A log file delivered
 * at a specific time can contain records written at any point before that time"
 * (cloudtrail-log-file-examples.md, "CloudTrail log file name format"). Insights files follow the same
 * shape with `CloudTrail-Insight`. A copy that was unpacked (`.json`) keeps the name's stamp.
 */
const TRAIL_FILE_NAME = /^\d{12}_CloudTrail(?:-Insight)?_[a-z0-9-]+_(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})Z_[^_/\\]+$/;

/** When the file named by `path` (a local path or an S3 key; its last segment is read) was delivered, or null when its name does not say. */
export function deliveryTimeOf(path: string): number | null {
  const name = path.slice(Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\')) + 1);
  const parts = TRAIL_FILE_NAME.exec(name);
  if (parts === null) return null;
  const [, year, month, day, hour, minute] = parts.map(Number) as [number, number, number, number, number, number];
  const ms = Date.UTC(year, month - 1, day, hour, minute);
  // Date.UTC rolls 2026-02-30 over into March: a name that is not a real instant says nothing.
  const back = new Date(ms);
  return back.getUTCMonth() === month - 1 && back.getUTCDate() === day && hour < 24 && minute < 60 ? ms : null;
}
