// PreSignUp's lazy part: the account-linking code and its Cognito clients, loaded on the first
// federated sign-up. Built as a bundle of its own (scripts/build.mjs, "parts"), so index.mjs is
// the one file a cold start loads.
export { createFederatedLinker } from "../../lib/linking/federated-linker.ts";
