/**
 * What `chainOf(x)` covers: the sessions x names, every session descending from them, and the hop
 * events on the way from the origin down to x's sessions (but no other activity of those ancestors).
 */
import type { SessionIndex, GraphNode } from './session-index';
import { SESSION_KEY_PATTERN } from './session-key';
import type { AccessKeyId, ChainKeys, SessionKey } from './types';
import { accessKeyKind } from './access-key';

export interface ChainSet {
  readonly targets: readonly SessionKey[];
  /** x's sessions and all their descendants: every event of these is in the chain. */
  readonly sessions: ReadonlySet<SessionKey>;
  /** Hop events that created the sessions above and their ancestors. */
  readonly hopEventIds: ReadonlySet<string>;
  /** The ancestors (excluding `sessions`): only their hops are in the chain. */
  readonly ancestors: ReadonlySet<SessionKey>;
}

export type ChainTargets = { ok: true; targets: GraphNode[] } | { ok: false; message: string };

/** `arn:aws:iam::2222:role/path/Admin` → `arn:aws:sts::2222:assumed-role/Admin/` (session ARN prefix). */
function assumedRolePrefix(roleArn: string): string | null {
  const match = /^arn:([^:]+):iam::(\d+):role\/(?:.*\/)?([^/]+)$/.exec(roleArn);
  return match ? `arn:${match[1]}:sts::${match[2]}:assumed-role/${match[3]}/` : null;
}

export function chainTargets(index: SessionIndex, x: string): ChainTargets {
  const nodes = [...index.nodes.values()];
  if (accessKeyKind(x) !== null) {
    return { ok: true, targets: nodes.filter((node) => node.accessKeyIds.has(x as AccessKeyId)) };
  }
  if (x.startsWith('arn:')) {
    // A role ARN names its sessions by their ARN prefix, and also by the role the records name in
    // `sessionContext.sessionIssuer.arn` ("the ARN of the source … that was used to get temporary
    // security credentials", user identity page): some session ARNs lack the session-name part (the
    // real Stratus records of an IAM Identity Center role, `…:assumed-role/AWSReservedSSO…@…`).
    const rolePrefix = assumedRolePrefix(x);
    return {
      ok: true,
      targets: nodes.filter(
        (node) =>
          node.principal === x ||
          node.issuer === x ||
          (rolePrefix !== null && (node.principal.startsWith(rolePrefix) || index.isSessionOfRole(node.principal, x))),
      ),
    };
  }
  if (SESSION_KEY_PATTERN.test(x)) {
    const keys = index.nodes.has(x as SessionKey) ? [x as SessionKey] : (index.aliases.get(x as SessionKey) ?? []);
    return { ok: true, targets: keys.map((key) => index.nodes.get(key)!) };
  }
  return {
    ok: false,
    message:
      `chainOf("${x}"): expected an access key ID (AKIA…, ASIA…, or any 16–128 upper-case letters and digits), ` +
      `a session key as session() returns it ` +
      `(e.g. "assumed-role:arn:aws:sts::111122223333:assumed-role/Admin/alice@2019-10-02T21:50:54Z#ASIA…"), ` +
      `or an ARN (user, role, or role session)`,
  };
}

export function chainSet(index: SessionIndex, targets: readonly GraphNode[]): ChainSet {
  const sessions = new Set<SessionKey>();
  const pending = targets.map((node) => node.key);
  while (pending.length > 0) {
    const key = pending.pop()!;
    if (sessions.has(key)) continue;
    sessions.add(key);
    for (const child of index.nodes.get(key)!.children) pending.push(child);
  }
  const hopEventIds = new Set<string>();
  const ancestors = new Set<SessionKey>();
  for (const key of sessions) {
    for (const entry of index.nodes.get(key)!.links) for (const id of entry.hopEventIds) hopEventIds.add(id);
  }
  // Walk up from x's own sessions through every candidate creator, keeping only the hops.
  const up = targets.flatMap((node) => node.candidates);
  while (up.length > 0) {
    const key = up.pop()!;
    if (sessions.has(key) || ancestors.has(key)) continue;
    ancestors.add(key);
    const node = index.nodes.get(key)!;
    for (const entry of node.links) for (const id of entry.hopEventIds) hopEventIds.add(id);
    up.push(...node.candidates);
  }
  return { targets: targets.map((node) => node.key).sort(), sessions, hopEventIds, ancestors };
}

export function chainKeys(index: SessionIndex, set: ChainSet): ChainKeys {
  const all = [...set.sessions, ...set.ancestors].map((key) => index.nodes.get(key)!);
  return {
    sessions: all.map((node) => node.key).sort(),
    accessKeyIds: [...new Set(all.flatMap((node) => [...node.accessKeyIds]))].sort(),
    principals: [...new Set(all.map((node) => node.principal))].sort(),
    hopEventIds: [...set.hopEventIds].sort(),
  };
}
