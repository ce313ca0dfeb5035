// The little BER that @peculiar/asn1-schema does not flatten for us: a constructed (chunked, possibly
// indefinite-length) OCTET STRING, as in Apple's streamed CMS files, the elements of a constructed value
// as the bytes they were sent in (a certificate's exact DER without re-encoding it).

interface Tlv {
  tag: number;
  constructed: boolean;
  /** Offset of the content. */
  start: number;
  /** Length of the content; undefined for indefinite length (ends with 00 00). */
  length: number | undefined;
}

function readTlv(bytes: Uint8Array, offset: number): Tlv {
  const tag = bytes[offset];
  const first = bytes[offset + 1];
  if (tag === undefined || first === undefined) throw new RangeError("BER: truncated header");
  if ((tag & 0x1f) === 0x1f) throw new RangeError("BER: high tag numbers are not expected here");
  const constructed = (tag & 0x20) !== 0;
  if (first < 0x80) return { tag, constructed, start: offset + 2, length: first };
  if (first === 0x80) return { tag, constructed, start: offset + 2, length: undefined };
  const count = first & 0x7f;
  if (count > 4) throw new RangeError("BER: length too large");
  let length = 0;
  for (let i = 0; i < count; i++) {
    const byte = bytes[offset + 2 + i];
    if (byte === undefined) throw new RangeError("BER: truncated length");
    length = length * 256 + byte;
  }
  return { tag, constructed, start: offset + 2 + count, length };
}

/** The offset just after the element at `offset` (definite or indefinite length). */
function elementEnd(bytes: Uint8Array, offset: number): number {
  const tlv = readTlv(bytes, offset);
  if (tlv.length !== undefined) {
    const end = tlv.start + tlv.length;
    if (end > bytes.length) throw new RangeError("BER: truncated element");
    return end;
  }
  if (!tlv.constructed) throw new RangeError("BER: primitive with indefinite length");
  let position = tlv.start;
  while (!(bytes[position] === 0 && bytes[position + 1] === 0)) {
    if (position + 1 >= bytes.length) throw new RangeError("BER: truncated indefinite-length element");
    position = elementEnd(bytes, position);
  }
  return position + 2;
}

/** The elements inside the constructed element at the start of `encoded`, each with its header. */
export function berChildren(encoded: Uint8Array): Uint8Array[] {
  const tlv = readTlv(encoded, 0);
  if (!tlv.constructed) throw new RangeError("BER: expected a constructed element");
  const end = elementEnd(encoded, 0) - (tlv.length === undefined ? 2 : 0);
  const children: Uint8Array[] = [];
  for (let position = tlv.start; position < end; ) {
    const next = elementEnd(encoded, position);
    children.push(encoded.subarray(position, next));
    position = next;
  }
  return children;
}

/** Appends the content of the OCTET STRING at `offset` to `out`; returns the offset just after it. */
function collectOctets(bytes: Uint8Array, offset: number, out: Uint8Array[]): number {
  const tlv = readTlv(bytes, offset);
  if ((tlv.tag & 0x1f) !== 0x04) throw new RangeError("BER: expected an OCTET STRING");
  if (!tlv.constructed) {
    if (tlv.length === undefined) throw new RangeError("BER: primitive with indefinite length");
    const end = tlv.start + tlv.length;
    if (end > bytes.length) throw new RangeError("BER: truncated OCTET STRING");
    out.push(bytes.subarray(tlv.start, end));
    return end;
  }
  let position = tlv.start;
  const end = tlv.length === undefined ? undefined : tlv.start + tlv.length;
  for (;;) {
    if (end !== undefined && position >= end) return end;
    if (position + 1 >= bytes.length) throw new RangeError("BER: truncated constructed OCTET STRING");
    if (end === undefined && bytes[position] === 0 && bytes[position + 1] === 0) return position + 2;
    position = collectOctets(bytes, position, out);
  }
}

/** The content of a BER OCTET STRING (primitive, or constructed of chunks, definite or indefinite). */
export function octetStringContent(encoded: Uint8Array): Uint8Array {
  const chunks: Uint8Array[] = [];
  collectOctets(encoded, 0, chunks);
  return Buffer.concat(chunks);
}
