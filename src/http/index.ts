/**
 * The bot as a Discord HTTP interactions endpoint (outgoing-webhook mode, no gateway): signature check, the
 * server, verified payloads to the router, and the watch that keeps a replica on the snapshot replicas share.
 */
export { createHttpClient } from './client.js';
export { interactionEndpoint, FIRST_ANSWER_MS, type EndpointOptions, type InteractionEndpoint } from './endpoint.js';
export { GENERATION_POLL_MS, watchSnapshotGeneration, type GenerationWatch } from './generation-watch.js';
export { intakeInteraction, type Intake, type ServedInteraction } from './intake.js';
export {
  MAX_BODY_BYTES,
  startInteractionServer,
  type EndpointAnswer,
  type InteractionServer,
  type InteractionServerOptions,
} from './server.js';
export { DEFAULT_HTTP_PORT, readHttpSettings, type HttpSettings } from './settings.js';
export {
  checkSignature,
  MAX_CLOCK_AHEAD_S,
  MAX_SIGNATURE_AGE_S,
  publicKeyFromHex,
  type SignatureProblem,
} from './signature.js';
