// The message types a DeCloud client signs: Cosmos's (cosmjs's default registry) plus the Akash messages of
// tenants and providers, with chain-sdk's codecs (the same ones the chain decodes with), so that one wallet
// client sends any of them.
import {
  MsgAccountDeposit,
  MsgCreateCertificate,
  MsgRevokeCertificate,
  MsgSignProviderAttributes,
} from "@akashnetwork/chain-sdk/private-types/akash.v1";
import {
  MsgCloseDeployment,
  MsgCreateDeployment,
  MsgCreateProvider,
  MsgUpdateDeployment,
  MsgUpdateProvider,
} from "@akashnetwork/chain-sdk/private-types/akash.v1beta4";
import {
  MsgCloseBid,
  MsgCloseLease,
  MsgCreateBid,
  MsgCreateLease,
  MsgWithdrawLease,
} from "@akashnetwork/chain-sdk/private-types/akash.v1beta5";
import { type GeneratedType, Registry } from "@cosmjs/proto-signing";
import { defaultRegistryTypes } from "@cosmjs/stargate";

/** A chain-sdk (ts-proto) codec: `$type` is the full proto name. */
interface SdkCodec {
  readonly $type: string;
}

const AKASH_MESSAGES: readonly SdkCodec[] = [
  MsgCreateDeployment,
  MsgUpdateDeployment,
  MsgCloseDeployment,
  MsgAccountDeposit,
  MsgCreateLease,
  MsgCloseLease,
  MsgCreateBid,
  MsgCloseBid,
  MsgWithdrawLease,
  MsgCreateCertificate,
  MsgRevokeCertificate,
  MsgCreateProvider,
  MsgUpdateProvider,
  MsgSignProviderAttributes,
];

/** cosmjs's default types and the Akash messages, by type URL. */
export function akashRegistry(): Registry {
  return new Registry([
    ...defaultRegistryTypes,
    // ts-proto codecs have the encode/decode/fromPartial shape cosmjs's GeneratedType asks for.
    ...AKASH_MESSAGES.map((c): [string, GeneratedType] => [`/${c.$type}`, c as unknown as GeneratedType]),
  ]);
}
