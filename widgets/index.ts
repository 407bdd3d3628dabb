/**
 * The Hearth widgets bundle: importing it defines every element. Load it with
 * `<script type="module" src="https://your-hearth-server/widgets/hearth.js"></script>`.
 */
export { HearthApiError, HearthClient } from "./api.ts";
export * from "./events.ts";
export { HearthComposer } from "./hearth-composer.ts";
export { HearthCount } from "./hearth-count.ts";
export { HearthElement } from "./hearth-element.ts";
export { HearthThread } from "./hearth-thread.ts";
export type * from "./types.ts";
