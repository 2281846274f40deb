// Certificate serials as messages and queries carry them: base-10 integer strings (reference: akash-chain.md
// §5.3, MsgRevokeCertificate). Go's big.Int also takes a sign; a serial is never negative, so we do not.
export function parseSerial(text: string): bigint | undefined {
  return /^\d+$/.test(text) ? BigInt(text) : undefined;
}
