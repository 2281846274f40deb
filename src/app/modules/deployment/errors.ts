// Deployment errors, codespace `deployment`, numbered as Akash registers them (reference: akash-chain.md
// §2.10), and the attribute errors of codespace `akash` (§1.6).
import { AppError } from "../../errors.js";

const deployment = (code: number) => (message: string) => new AppError("deployment", code, message);

export const DeploymentErrors = {
  invalidRequest: deployment(2),
  deploymentExists: deployment(3),
  deploymentNotFound: deployment(4),
  deploymentClosed: deployment(5),
  invalidGroups: deployment(7),
  invalidDeploymentId: deployment(8),
  emptyHash: deployment(9),
  invalidHash: deployment(10),
  invalidGroupId: deployment(13),
  groupNotFound: deployment(14),
  groupClosed: deployment(15),
  groupOpen: deployment(16),
  groupPaused: deployment(17),
  groupNotOpen: deployment(18),
  groupSpecInvalid: deployment(19),
  invalidDeposit: deployment(20),
  invalidParam: deployment(22),
  invalidPrice: deployment(24),
  duplicateGroupName: deployment(25),
};

export const AttributeErrors = {
  duplicateKeys: (message: string) => new AppError("akash", 1, message),
  invalidKey: (message: string) => new AppError("akash", 2, message),
};
