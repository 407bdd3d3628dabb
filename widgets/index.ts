/**
 * The Hearth widgets bundle: importing it defines every element. Load it with
 * `<script type="module" src="https://your-hearth-server/widgets/hearth.js"></script>`.
 */
export { HearthApiError, HearthClient } from "./api.ts";
export * from "./events.ts";
export { HearthComposer } from "./hearth-composer.ts";
export { HearthCount } from "./hearth-count.ts";
export { HearthElement } from "./hearth-element.ts";
export { HearthNotifications } from "./hearth-notifications.ts";
export { HearthThread } from "./hearth-thread.ts";
export type * from "./types.ts";

/**
 * `<hearth-moderation>` is for moderators only, so its code is a separate module
 * (`/widgets/hearth-moderation.js`), loaded the moment the first one is on the page.
 */
const desks = document.getElementsByTagName("hearth-moderation");
const loadDesk = () => import("./hearth-moderation.ts");
if (desks.length > 0) void loadDesk();
else {
  const watcher = new MutationObserver(() => {
    if (desks.length === 0) return;
    watcher.disconnect();
    void loadDesk();
  });
  watcher.observe(document, { childList: true, subtree: true });
}
