// The chain-sdk types of deployments and groups, named once: a codec and its type share a name in chain-sdk,
// and the enums' names collide across modules.
export {
  type Deployment,
  Deployment as DeploymentCodec,
  Deployment_State,
  type DeploymentID,
  type GroupID,
} from "@akashnetwork/chain-sdk/private-types/akash.v1";
export {
  type Group,
  Group as GroupCodec,
  Group_State,
  type GroupSpec,
} from "@akashnetwork/chain-sdk/private-types/akash.v1beta4";
