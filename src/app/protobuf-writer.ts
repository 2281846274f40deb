// cosmjs-types 0.11's BinaryWriter.alloc builds a new 8 KiB pool on every call (binary.js: `pool(…)(size)`), so
// each `encode(…).finish()` of a message under 4 KiB allocates and zero-fills 8 KiB and returns a view into it.
// The app encodes several messages per tx (accounts, responses, events), and the views it stores keep their
// whole 8 KiB alive: a third of a bank send's CPU went to that allocation and the garbage it makes. Allocating
// exactly the encoded length gives the same bytes. Applied once, when the app is loaded; a fixed
// cosmjs-types (one whose small allocations share a pool) is left alone.
import { BinaryWriter } from "cosmjs-types/binary";

const wasteful = (): boolean => {
  const a = BinaryWriter.alloc(1);
  const b = BinaryWriter.alloc(1);
  return (
    a instanceof Uint8Array && b instanceof Uint8Array && a.buffer.byteLength > 1 && a.buffer !== b.buffer
  );
};
if (wasteful()) BinaryWriter.alloc = (size: number) => new Uint8Array(size);
