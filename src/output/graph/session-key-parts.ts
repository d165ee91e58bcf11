/**
 * A session key read back into its parts for a picture: who, which credential, since when. The format is the one
 * grammar/identity.md documents and src/identity/session-key.ts writes:
 *   long-term key      <tag>:<principal ARN>#<AKIA…>
 *   temporary session  <tag>:<principal ARN>[~<issuer ARN>]@<creationDate>#<ASIA…|console|?>
 *   principal only     <tag>:<principal>
 */
export interface SessionKeyParts {
  readonly tag: string;
  readonly principal: string;
  readonly issuer: string | null;
  /** The creation time as written in the key (`?` when the record had none); null for keys without one. */
  readonly createdAt: string | null;
  /** `AKIA…`, `ASIA…`, `console`, or `?`; null for a principal-only key. */
  readonly credential: string | null;
  /** The AWS account the principal belongs to, when the key names one. */
  readonly account: string | null;
}

/** Only these tags carry a credential after `#`; an Identity Center principal has a `#` of its own. */
const CREDENTIAL_TAGS = new Set(['iam-user', 'root', 'assumed-role', 'federated-user']);
const CREATED = /@(\?|\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ)$/;
const ARN_ACCOUNT = /^arn:[^:]+:[^:]+:[^:]*:(\d{12}):/;

export function sessionKeyParts(key: string): SessionKeyParts {
  const colon = key.indexOf(':');
  const tag = colon < 0 ? 'unknown' : key.slice(0, colon);
  let rest = colon < 0 ? key : key.slice(colon + 1);
  let credential: string | null = null;
  let createdAt: string | null = null;
  let issuer: string | null = null;
  if (CREDENTIAL_TAGS.has(tag)) {
    const hash = rest.lastIndexOf('#');
    if (hash >= 0) {
      credential = rest.slice(hash + 1);
      rest = rest.slice(0, hash);
    }
    const created = CREATED.exec(rest);
    if (created) {
      createdAt = created[1]!;
      rest = rest.slice(0, created.index);
      // Session names allow `@` but not `~`, so the issuer is what follows the last `~`.
      const tilde = rest.lastIndexOf('~');
      if (tilde >= 0) {
        issuer = rest.slice(tilde + 1);
        rest = rest.slice(0, tilde);
      }
    }
  }
  const account = ARN_ACCOUNT.exec(rest)?.[1] ?? (tag === 'aws-account' ? (/^(\d{12})\//.exec(rest)?.[1] ?? null) : null);
  return { tag, principal: rest, issuer, createdAt, credential, account };
}
