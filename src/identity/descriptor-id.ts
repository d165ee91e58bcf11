/** One string per distinct session descriptor, for maps that hold each once. */
import type { SessionDescriptor } from './types';

/**
 * A key equal for equal descriptors only: every field, each string after its length (so no two
 * spellings meet; `-` for null). Pass one keys every distinct identity of every chunk: this is a
 * few times cheaper than `JSON.stringify` of the fields. Pass two keys its enrichments so too.
 */
export function descriptorId(descriptor: SessionDescriptor): string {
  switch (descriptor.kind) {
    case 'long-term':
      return `L${descriptor.tag}|${field(descriptor.principal)}${field(descriptor.accessKeyId)}`;
    case 'temporary':
      return (
        `T${descriptor.tag}|${field(descriptor.principal)}${field(descriptor.issuer)}${descriptor.createdAt ?? '-'}|` +
        `${field(descriptor.accessKeyId)}${descriptor.console ? 1 : 0}${field(descriptor.role ?? null)}`
      );
    case 'principal':
      return `P${descriptor.tag}|${field(descriptor.principal)}`;
  }
}

function field(text: string | null): string {
  return text === null ? '-' : `${text.length}:${text}`;
}
