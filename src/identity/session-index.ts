/**
 * The sessions of the identity graph and the rules that map an event's identity onto them. One
 * node per session; what makes two descriptors the same session is decided here and nowhere else:
 *
 * - temporary credentials: same tag, principal ARN, issuer and creationDate, and the same access
 *   key, except in a console session, where every key shares the one session (the console signs
 *   calls with a different key per region, all with the sign-in's creationDate);
 * - a temporary identity without a key (AWS allows `accessKeyId` absent or `""`): the keyed session
 *   of the same principal and creationDate when there is exactly one, all of them (ambiguous) when
 *   there are several, a session of its own when there is none;
 * - long-term keys and bare principals: their formatted key.
 */
import type { ChildSpec } from './hops';
import { formatSessionKey } from './session-key';
import type { AccessKeyId, EpochSeconds, SessionDescriptor, SessionKey, SessionTag, TemporaryDescriptor } from './types';

/**
 * How far apart a hop's eventTime and the new session's creationDate may be and still be joined.
 * AWS documents no relation between the two; in the published examples they are the same second.
 */
export const CREATION_TOLERANCE_SECONDS = 5;

export interface ParentLink {
  readonly hopEventIds: readonly string[];
  readonly via: string;
  readonly parents: readonly SessionKey[];
  /** Only the role account's copy of a cross-account hop was seen: the caller is an account, not a session. */
  readonly remote: boolean;
}

export interface GraphNode {
  readonly key: SessionKey;
  readonly tag: SessionTag;
  readonly principal: string;
  readonly issuer: string | null;
  readonly createdAt: EpochSeconds | null;
  readonly accessKeyIds: Set<AccessKeyId>;
  readonly console: boolean;
  readonly links: ParentLink[];
  readonly children: Set<SessionKey>;
  /** Filled when linking ends: the sessions that may have created this one. */
  candidates: readonly SessionKey[];
  /** When the hop that created this session said its credentials expire; null when no hop said. */
  expiresAt: EpochSeconds | null;
}

/** Sessions of one principal created in the same second. */
interface Group {
  readonly tag: TemporaryDescriptor['tag'];
  readonly principal: string;
  readonly issuer: string | null;
  readonly createdAt: EpochSeconds;
  console: boolean;
  readonly keys: Set<AccessKeyId>;
}

function principalKey(tag: string, principal: string, issuer: string | null): string {
  return `${tag}|${principal}|${issuer ?? ''}`;
}

function temporaryKey(group: Group, accessKeyId: AccessKeyId | null, console: boolean): SessionKey {
  return formatSessionKey({
    kind: 'temporary',
    tag: group.tag,
    principal: group.principal,
    issuer: group.issuer,
    createdAt: group.createdAt,
    accessKeyId,
    console,
  });
}

/** Index of the first group created at or after `at` in a list sorted by creation time. */
function firstAtOrAfter(list: readonly Group[], at: EpochSeconds): number {
  let low = 0;
  let high = list.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (list[middle]!.createdAt < at) low = middle + 1;
    else high = middle;
  }
  return low;
}

/** The principal tag an ARN implies, for principals known only by ARN (SwitchFrom). */
export function tagOfArn(arn: string): SessionTag {
  if (/:assumed-role\//.test(arn)) return 'assumed-role';
  if (/:federated-user\//.test(arn)) return 'federated-user';
  if (/:root$/.test(arn)) return 'root';
  if (/:user\//.test(arn)) return 'iam-user';
  return 'unknown';
}

/**
 * Whether a session's credentials were valid at `at`: issued no later than `at` and, when the hop
 * said when they expire, not expired. Only an issuing hop gives the expiration; without it, any
 * session issued before `at` may still be live.
 */
function wasLive(node: GraphNode, at: EpochSeconds): boolean {
  if (node.createdAt === null || node.createdAt > at + CREATION_TOLERANCE_SECONDS) return false;
  return node.expiresAt === null || at <= node.expiresAt;
}

export class SessionIndex {
  readonly nodes = new Map<SessionKey, GraphNode>();
  /** Keys `session()` gives without the graph that are not the graph's own (key-less, unflagged console records). */
  readonly aliases = new Map<SessionKey, readonly SessionKey[]>();
  private readonly groups = new Map<string, Group[]>();
  /** The same groups by principal and exact second: the per-event lookup of the second pass. */
  private readonly exactGroups = new Map<string, Group>();
  private readonly byPrincipal = new Map<string, GraphNode[]>();
  /** Role session principal → the role(s) its records name in `sessionContext.sessionIssuer.arn`. */
  private readonly roles = new Map<string, Set<string>>();

  noteRole(principal: string, role: string): void {
    const set = this.roles.get(principal) ?? new Set();
    set.add(role);
    this.roles.set(principal, set);
  }

  /** Whether records of this session principal name `role` as their session issuer. */
  isSessionOfRole(principal: string, role: string): boolean {
    return this.roles.get(principal)?.has(role) ?? false;
  }

  /** Registers a dated temporary descriptor's group; call for every descriptor before `buildNodes`. */
  noteGroup(descriptor: TemporaryDescriptor & { createdAt: EpochSeconds }): void {
    const group = this.exactGroup(descriptor.tag, descriptor.principal, descriptor.issuer, descriptor.createdAt);
    if (group) {
      if (descriptor.accessKeyId) group.keys.add(descriptor.accessKeyId);
      group.console ||= descriptor.console;
      return;
    }
    this.addGroup({
      tag: descriptor.tag,
      principal: descriptor.principal,
      issuer: descriptor.issuer,
      createdAt: descriptor.createdAt,
      console: descriptor.console,
      keys: new Set(descriptor.accessKeyId ? [descriptor.accessKeyId] : []),
    });
  }

  /** Keeps each principal's groups sorted by creation time, for the window search in `groupAt`. */
  private addGroup(group: Group): void {
    const byPrincipal = principalKey(group.tag, group.principal, group.issuer);
    const list = this.groups.get(byPrincipal) ?? [];
    list.splice(firstAtOrAfter(list, group.createdAt), 0, group);
    this.groups.set(byPrincipal, list);
    this.exactGroups.set(`${byPrincipal}@${group.createdAt}`, group);
  }

  private exactGroup(tag: string, principal: string, issuer: string | null, at: EpochSeconds): Group | undefined {
    return this.exactGroups.get(`${principalKey(tag, principal, issuer)}@${at}`);
  }

  /** Groups of this principal within `tolerance` seconds of `at`, nearest first (ties: earlier first). */
  private groupAt(tag: string, principal: string, issuer: string | null, at: EpochSeconds, tolerance: number): Group[] {
    const list = this.groups.get(principalKey(tag, principal, issuer)) ?? [];
    const window: Group[] = [];
    for (let i = firstAtOrAfter(list, at - tolerance); i < list.length && list[i]!.createdAt <= at + tolerance; i++) {
      window.push(list[i]!);
    }
    return window.sort((a, b) => Math.abs(a.createdAt - at) - Math.abs(b.createdAt - at) || a.createdAt - b.createdAt);
  }

  /** A console hop (ConsoleLogin, SwitchRole) marks the session it created as a console session. */
  markConsole(tag: SessionTag, principal: string, at: EpochSeconds): void {
    const nearest = this.groupAt(tag, principal, null, at, CREATION_TOLERANCE_SECONDS)[0];
    if (nearest) nearest.console = true;
  }

  /** Turns groups into nodes; every group of a principal must be noted and marked first. */
  buildGroupNodes(): void {
    for (const list of this.groups.values()) {
      for (const group of list) {
        if (group.console) {
          this.addNode(temporaryKey(group, null, true), group, group.keys, true);
        } else if (group.keys.size === 0) {
          this.addNode(temporaryKey(group, null, false), group, new Set(), false);
        } else {
          for (const key of group.keys) this.addNode(temporaryKey(group, key, false), group, new Set([key]), false);
        }
      }
    }
  }

  private addNode(
    key: SessionKey,
    shape: { tag: SessionTag; principal: string; issuer: string | null; createdAt: EpochSeconds | null },
    keys: Set<AccessKeyId>,
    console: boolean,
  ): GraphNode {
    const existing = this.nodes.get(key);
    if (existing) return existing;
    const node: GraphNode = {
      key,
      tag: shape.tag,
      principal: shape.principal,
      issuer: shape.issuer,
      createdAt: shape.createdAt,
      accessKeyIds: keys,
      console,
      links: [],
      children: new Set(),
      candidates: [],
      expiresAt: null,
    };
    this.nodes.set(key, node);
    const list = this.byPrincipal.get(shape.principal) ?? [];
    list.push(node);
    this.byPrincipal.set(shape.principal, list);
    return node;
  }

  /** Nodes for descriptors that are not dated temporary sessions; dated ones come from their groups. */
  ensureNode(descriptor: SessionDescriptor): void {
    if (descriptor.kind === 'temporary' && descriptor.createdAt !== null) return;
    if (this.resolve(descriptor).length > 0) return;
    const keys = new Set<AccessKeyId>(descriptor.kind !== 'principal' && descriptor.accessKeyId ? [descriptor.accessKeyId] : []);
    const issuer = descriptor.kind === 'temporary' ? descriptor.issuer : null;
    this.addNode(formatSessionKey(descriptor), { ...descriptor, issuer, createdAt: null }, keys, false);
  }

  /** Remembers what a descriptor's own key stands for when the graph names its session otherwise. */
  noteAlias(descriptor: SessionDescriptor): void {
    const own = formatSessionKey(descriptor);
    if (this.nodes.has(own)) return;
    const resolved = this.resolve(descriptor).map((node) => node.key);
    if (resolved.length > 0) this.aliases.set(own, resolved);
  }

  /**
   * The session(s) an identity belongs to; more than one only when the record cannot tell them apart.
   * `usedAt`, the time of the event that carries the identity, tells apart the sessions of a
   * recycled key when the record has no creationDate.
   */
  resolve(descriptor: SessionDescriptor, usedAt: EpochSeconds | null = null): GraphNode[] {
    if (descriptor.kind !== 'temporary') return this.nodesOf([formatSessionKey(descriptor)]);
    const { tag, principal, issuer, createdAt, accessKeyId } = descriptor;
    if (createdAt === null) {
      const keyed = accessKeyId
        ? (this.byPrincipal.get(principal) ?? []).filter((node) => node.tag === tag && node.accessKeyIds.has(accessKeyId))
        : [];
      const live = keyed.length > 1 && usedAt !== null ? keyed.filter((node) => wasLive(node, usedAt)) : [];
      const chosen = live.length > 0 ? live : keyed;
      return chosen.length > 0 ? this.nodesOf(chosen.map((node) => node.key)) : this.nodesOf([formatSessionKey(descriptor)]);
    }
    const group = this.exactGroup(tag, principal, issuer, createdAt);
    if (!group) return [];
    if (group.console) return this.nodesOf([temporaryKey(group, null, true)]);
    if (accessKeyId) return this.nodesOf([temporaryKey(group, accessKeyId, false)]);
    const keyed = [...group.keys].map((key) => temporaryKey(group, key, false));
    return this.nodesOf(keyed.length > 0 ? keyed : [temporaryKey(group, null, false)]);
  }

  /** Sorted, so that which of several candidates comes first never depends on input order. */
  private nodesOf(keys: readonly SessionKey[]): GraphNode[] {
    if (keys.length === 1) {
      // Most look-ups name one session (a hop's signer, every time the graph is built): no copy to sort.
      const node = this.nodes.get(keys[0]!);
      return node ? [node] : [];
    }
    return [...keys].sort().flatMap((key) => {
      const node = this.nodes.get(key);
      return node ? [node] : [];
    });
  }

  /** The session a hop created, with the expiration the hop gave its credentials. */
  childOf(spec: ChildSpec): GraphNode {
    const node = this.joinChild(spec);
    node.expiresAt ??= spec.expiresAt;
    return node;
  }

  /** An existing session if the evidence joins it to the hop, else a new node. */
  private joinChild(spec: ChildSpec): GraphNode {
    for (const group of this.groupAt(spec.tag, spec.principal, spec.issuer, spec.createdAt, CREATION_TOLERANCE_SECONDS)) {
      if (group.console) return this.resolve({ kind: 'temporary', ...spec, createdAt: group.createdAt, console: true })[0]!;
      if (spec.accessKeyId && group.keys.has(spec.accessKeyId)) {
        return this.resolve({ kind: 'temporary', ...spec, createdAt: group.createdAt, console: false })[0]!;
      }
    }
    // Nothing in the input used the new session (or its records lack the evidence): the hop alone
    // defines it, in the group of its second if another hop-only session already made one.
    let group = this.exactGroup(spec.tag, spec.principal, spec.issuer, spec.createdAt);
    if (!group) {
      group = { ...spec, keys: new Set() };
      this.addGroup(group);
    }
    if (spec.accessKeyId) group.keys.add(spec.accessKeyId);
    const key = temporaryKey(group, spec.console ? null : spec.accessKeyId, spec.console);
    return this.addNode(key, group, new Set(spec.accessKeyId ? [spec.accessKeyId] : []), spec.console);
  }

  /**
   * The session `principal` worked in at `at` (SwitchRole): its latest session created no later
   * than `at`, console sessions first; the bare principal when none is known.
   */
  sessionActiveAt(principal: string, at: EpochSeconds): GraphNode {
    const sessions = (this.byPrincipal.get(principal) ?? []).filter(
      (node) => node.createdAt !== null && node.createdAt <= at + CREATION_TOLERANCE_SECONDS,
    );
    sessions.sort((a, b) => Number(b.console) - Number(a.console) || b.createdAt! - a.createdAt! || (a.key < b.key ? -1 : 1));
    const found = sessions[0];
    if (found) return found;
    const tag = tagOfArn(principal);
    this.ensureNode({ kind: 'principal', tag, principal });
    return this.resolve({ kind: 'principal', tag, principal })[0]!;
  }
}
