import { Decoder, Encoder as BaseEncoder, PacketType, protocol, type Packet } from 'socket.io-parser';

/** JSON of payloads serialised once, however many packets carry them. */
const serialized = new WeakMap<object, string>();

/**
 * Marks `payload` as serialised once: every packet that carries it (the `state:sync` answers of
 * one seq to any number of dashboards) splices this JSON in instead of walking and stringifying the
 * object again. The payload must not change afterwards.
 */
export function serializeOnce<T extends object>(payload: T): T {
  if (!serialized.has(payload)) serialized.set(payload, JSON.stringify(payload));
  return payload;
}

const isSerialized = (value: unknown): boolean => typeof value === 'object' && value !== null && serialized.has(value);

/**
 * socket.io's own encoder, except that a packet carrying a payload of {@link serializeOnce} is
 * written from its JSON: the same string socket.io would write (`<type>[<nsp>,][<id>]<json>`),
 * without the binary scan and stringify of every answer. Clients decode it with the standard
 * parser: nothing on the wire changes.
 */
class Encoder extends BaseEncoder {
  override encode(packet: Packet): unknown[] {
    const data: unknown = packet.data;
    if ((packet.type !== PacketType.EVENT && packet.type !== PacketType.ACK) || !Array.isArray(data) || !data.some(isSerialized))
      return super.encode(packet);
    let out = String(packet.type);
    if (packet.nsp && packet.nsp !== '/') out += `${packet.nsp},`;
    if (packet.id !== undefined && packet.id !== null) out += String(packet.id);
    return [
      `${out}[${data.map((item) => (isSerialized(item) ? serialized.get(item as object) : (JSON.stringify(item) ?? 'null'))).join(',')}]`,
    ];
  }
}

/** The parser of the hub's socket.io server (`parser` option). */
export const hubParser = { protocol, Encoder, Decoder };
