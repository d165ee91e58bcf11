/**
 * Second half of the first pass: turns the collected descriptors and hops into linked sessions.
 * Every step sorts what it iterates, so the graph does not depend on the order events were read.
 */
import { IdentityGraphImpl, type IdentityGraph } from './graph';
import type { Hop, ParentRef } from './hops';
import { SessionIndex, type GraphNode } from './session-index';
import type { EpochSeconds, SessionDescriptor, SessionKey } from './types';

/** Console hops first: a SwitchRole defines the console session the console's own AssumeRole then joins. */
const HOP_ORDER: Readonly<Record<Hop['kind'], number>> = { 'console-login': 0, 'switch-role': 1, sts: 2 };

function byEventId(a: Hop, b: Hop): number {
  return a.eventId < b.eventId ? -1 : a.eventId > b.eventId ? 1 : 0;
}

export function finishGraph(descriptors: readonly SessionDescriptor[], hopCopies: readonly (readonly Hop[])[]): IdentityGraph {
  const index = new SessionIndex();
  for (const descriptor of descriptors) {
    if (descriptor.kind !== 'temporary') continue;
    if (descriptor.createdAt !== null) index.noteGroup({ ...descriptor, createdAt: descriptor.createdAt });
    if (descriptor.role) index.noteRole(descriptor.principal, descriptor.role);
  }
  const hops = hopCopies
    .map((copies) => [...copies].sort((a, b) => Number(isRemote(a)) - Number(isRemote(b)) || byEventId(a, b)))
    .sort((a, b) => HOP_ORDER[a[0]!.kind] - HOP_ORDER[b[0]!.kind] || byEventId(a[0]!, b[0]!));
  for (const copies of hops) {
    const child = copies[0]!.child;
    if (child.console) index.markConsole(child.tag, child.principal, child.createdAt);
  }
  index.buildGroupNodes();
  for (const descriptor of descriptors) index.ensureNode(descriptor);
  // Every hop's new session first, so a SwitchRole's "session active at the switch" can be one
  // that only a hop defines; then the parents.
  const children = hops.map((copies) => index.childOf(copies[0]!.child));
  hops.forEach((copies, i) => link(index, copies, children[i]!));
  for (const descriptor of descriptors) index.noteAlias(descriptor);
  const warnings = [...settleCandidates(index), ...keylessWarnings(index, descriptors)];
  return new IdentityGraphImpl(index, warnings);
}

function isRemote(hop: Hop): boolean {
  return hop.parent?.kind === 'signer' && hop.parent.remote;
}

/** The sessions that signed a hop made at `at` (the hop's eventTime, its child's creation time). */
function parentNodes(index: SessionIndex, ref: ParentRef, at: EpochSeconds): GraphNode[] {
  if (ref.kind === 'console-of') return [index.sessionActiveAt(ref.principal, ref.at)];
  index.ensureNode(ref.descriptor);
  return index.resolve(ref.descriptor, at);
}

function link(index: SessionIndex, copies: readonly Hop[], child: GraphNode): void {
  // Copies are sorted caller's copy first; the role account's copy only speaks when it is alone.
  const local = copies.filter((copy) => !isRemote(copy));
  const speaking = local.length > 0 ? local : copies;
  const parents = new Set<SessionKey>();
  for (const copy of speaking) {
    if (!copy.parent) continue;
    for (const node of parentNodes(index, copy.parent, copy.child.createdAt)) if (node.key !== child.key) parents.add(node.key);
  }
  child.links.push({
    hopEventIds: copies.map((copy) => copy.eventId),
    via: speaking[0]!.eventId,
    parents: [...parents].sort(),
    remote: local.length === 0,
  });
  for (const key of parents) index.nodes.get(key)!.children.add(child.key);
}

/**
 * Decides each session's creators. Several links to one session are normal (a console switch is
 * logged as SwitchRole in both accounts and as the console's own AssumeRole); they are ambiguous
 * only when they name different sessions. A link seen only from the role's account, and a bare
 * principal whose session is also named, say less than the others and give way to them.
 */
function settleCandidates(index: SessionIndex): string[] {
  const warnings: string[] = [];
  const keys = [...index.nodes.keys()].sort();
  for (const key of keys) {
    const node = index.nodes.get(key)!;
    if (node.links.length === 0) continue;
    const local = node.links.filter((entry) => !entry.remote);
    const speaking = local.length > 0 ? local : node.links;
    let candidates = [...new Set(speaking.flatMap((entry) => entry.parents))].sort() as SessionKey[];
    const sessionPrincipals = new Set(
      candidates.map((candidate) => index.nodes.get(candidate)!).filter((n) => n.createdAt !== null).map((n) => n.principal),
    );
    candidates = candidates.filter((candidate) => {
      const parent = index.nodes.get(candidate)!;
      return parent.createdAt !== null || parent.accessKeyIds.size > 0 || !sessionPrincipals.has(parent.principal);
    });
    node.candidates = candidates;
    if (candidates.length > 1) warnings.push(ambiguityWarning(node, speaking.flatMap((entry) => entry.hopEventIds)));
  }
  return warnings;
}

function ambiguityWarning(node: GraphNode, hopEventIds: readonly string[]): string {
  const keys = [...node.accessKeyIds].sort().join(', ') || 'no access key';
  return (
    `identity: ambiguous session ${node.key} (access key ${keys}): created by indistinguishable hops ` +
    `${[...new Set(hopEventIds)].sort().join(', ')} from ${node.candidates.length} candidate sessions: ` +
    `${node.candidates.join(', ')}; its events are attributed to every candidate and marked "ambiguous"`
  );
}

/** Records without an access key that fit several sessions of the same principal and second. */
function keylessWarnings(index: SessionIndex, descriptors: readonly SessionDescriptor[]): string[] {
  const warnings: string[] = [];
  for (const descriptor of descriptors) {
    if (descriptor.kind !== 'temporary' || descriptor.accessKeyId !== null) continue;
    const nodes = index.resolve(descriptor);
    if (nodes.length < 2) continue;
    warnings.push(
      `identity: records of ${descriptor.principal} without an access key fit ${nodes.length} sessions: ` +
        `${nodes.map((node) => node.key).sort().join(', ')}; they are attributed to each and marked "ambiguous"`,
    );
  }
  return warnings.sort();
}
