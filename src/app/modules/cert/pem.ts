// One PEM block, as Akash reads certificates and keys: Go's pem.Decode, and nothing may follow the block
// (reference: akash-chain.md §5.3; chain-sdk ParseAndValidateCertificate). We also allow surrounding
// whitespace, and refuse PEM headers (`Proc-Type: …`), which no Akash tool writes.

export interface PemBlock {
  type: string;
  der: Uint8Array;
}

const BLOCK = /^\s*-----BEGIN ([A-Z0-9 ]+)-----\r?\n([A-Za-z0-9+/=\s]*?)-----END \1-----\s*$/;

/** The single PEM block in `bytes`, or undefined when there is not exactly one well-formed block. */
export function decodePem(bytes: Uint8Array): PemBlock | undefined {
  const match = BLOCK.exec(new TextDecoder().decode(bytes));
  if (!match) return undefined;
  const base64 = match[2]!.replace(/\s+/g, "");
  // Go's base64.StdEncoding: padded, standard alphabet.
  if (base64.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(base64)) return undefined;
  return { type: match[1]!, der: Buffer.from(base64, "base64") };
}
