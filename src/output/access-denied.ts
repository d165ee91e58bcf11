/**
 * The denied action and target read out of an IAM access-denied errorMessage.
 *
 * The shape is documented in the IAM User Guide, "Access denied error messages"
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_access-denied-error-messages.html):
 *
 *   User: <principal> is not authorized to perform: <action> [on resource: <resource>]
 *     ( because no <policy type> allows the <action> action
 *     | with an explicit deny in a <policy type>[: <policy ARN>] )
 *
 * Older messages end at "with an explicit deny" with no policy type, or at the resource. S3 quotes the resource, IAM
 * names some that are no ARN ("policy path /"), and some services drop the "User: " prefix. The action denied is not
 * always the event's own: a RunInstances can fail on iam:PassRole, a GetObject on kms:Decrypt, which is why it is
 * worth reading out.
 */

export interface AccessDenial {
  /** Who was denied, as the message names them (an ARN, a session name, `anonymous`); null if not named. */
  readonly principal: string | null;
  /** The IAM action denied, e.g. `kms:Decrypt`. */
  readonly action: string;
  /** The resource, quotes removed; null when the message names none. */
  readonly resource: string | null;
  /** explicit: a Deny statement matched; implicit: no policy of that type allowed it; null: the message does not say. */
  readonly denial: 'explicit' | 'implicit' | null;
  /** As worded in the message: `identity-based policy`, `service control policy`, `permissions boundary` ... */
  readonly policyType: string | null;
  /** The denying policy's ARN, which newer messages append after the policy type. */
  readonly policyArn: string | null;
}

const NOT_AUTHORIZED = /(?:^|\s)(?:User: )?(\S+) is not authorized to perform: ([A-Za-z0-9-]+:[A-Za-z0-9*]+)/;
const IMPLICIT = /\s+because no (.+?) allows the \S+ action\.?/;
/** Every policy type the IAM guide lists ends in "policy" or "boundary". */
const EXPLICIT = /\s+with an explicit deny(?: in (?:an?|the) ([A-Za-z -]+?(?:policy|boundary)))?(?::\s*(arn:\S+))?/;

/** Reads a denial out of an errorMessage; null when it is not an IAM not-authorized message. */
export function parseAccessDenied(message: unknown): AccessDenial | null {
  if (typeof message !== 'string') return null;
  const head = NOT_AUTHORIZED.exec(message);
  if (head === null) return null;
  const principal = head[1] === undefined || head[1] === 'User:' ? null : head[1];
  const action = head[2] ?? '';
  let rest = message.slice(head.index + head[0].length);

  let denial: AccessDenial['denial'] = null;
  let policyType: string | null = null;
  let policyArn: string | null = null;
  const implicit = IMPLICIT.exec(rest);
  const explicit = implicit === null ? EXPLICIT.exec(rest) : null;
  if (implicit !== null) {
    denial = 'implicit';
    policyType = implicit[1] ?? null;
    rest = rest.slice(0, implicit.index);
  } else if (explicit !== null) {
    denial = 'explicit';
    policyType = explicit[1] ?? null;
    policyArn = explicit[2]?.replace(/\.$/, '') ?? null;
    rest = rest.slice(0, explicit.index);
  }

  let resource: string | null = null;
  const on = /^\s+on resource:\s*/.exec(rest);
  if (on !== null) {
    resource = unquote(rest.slice(on[0].length).replace(/\.\s*$/, '').trim()) || null;
  }
  return { principal, action, resource, denial, policyType, policyArn };
}

function unquote(text: string): string {
  return text.length >= 2 && text.startsWith('"') && text.endsWith('"') ? text.slice(1, -1) : text;
}

/** One line for a summary: `kms:Decrypt on arn:aws:kms:… (explicit deny in a service control policy)`. */
export function describeDenial(denial: AccessDenial): string {
  const target = denial.resource === null ? denial.action : `${denial.action} on ${denial.resource}`;
  if (denial.denial === 'explicit') {
    return `${target} (explicit deny${denial.policyType === null ? '' : ` in ${denial.policyType}`})`;
  }
  if (denial.denial === 'implicit') return `${target} (no ${denial.policyType ?? 'policy'} allows it)`;
  return target;
}
