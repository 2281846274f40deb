// Protobuf wire encodings that cosmjs-types' BinaryReader/BinaryWriter lack or get wrong: it throws on float and
// double, and converts fixed64 through signed 32-bit halves. All are little-endian fixed-width values.
import type { BinaryReader, BinaryWriter } from "cosmjs-types/binary";

const scratch = new DataView(new ArrayBuffer(8));

function readUint64(reader: BinaryReader): bigint {
  const lo = BigInt(reader.fixed32() >>> 0);
  const hi = BigInt(reader.fixed32() >>> 0);
  return (hi << 32n) | lo;
}

function writeUint64(writer: BinaryWriter, value: bigint): void {
  const v = BigInt.asUintN(64, value);
  writer.fixed32(Number(v & 0xffffffffn)).fixed32(Number(v >> 32n));
}

export function readFixed64(reader: BinaryReader, signed: boolean): bigint {
  const v = readUint64(reader);
  return signed ? BigInt.asIntN(64, v) : v;
}

export function writeFixed64(writer: BinaryWriter, value: bigint): void {
  writeUint64(writer, value);
}

export function readFloat(reader: BinaryReader): number {
  scratch.setUint32(0, reader.fixed32() >>> 0, true);
  return scratch.getFloat32(0, true);
}

export function writeFloat(writer: BinaryWriter, value: number): void {
  scratch.setFloat32(0, value, true);
  writer.fixed32(scratch.getUint32(0, true));
}

export function readDouble(reader: BinaryReader): number {
  scratch.setBigUint64(0, readUint64(reader), true);
  return scratch.getFloat64(0, true);
}

export function writeDouble(writer: BinaryWriter, value: number): void {
  scratch.setFloat64(0, value, true);
  writeUint64(writer, scratch.getBigUint64(0, true));
}
