import { LitElement, type PropertyDeclarations } from "lit";
import { type Locale, localeOf, type Translation, translations } from "./i18n/index.ts";

const connected = new Set<HearthElement>();
let langObserver: MutationObserver | null = null;

/** Re-renders every widget when the page's `<html lang>` changes. */
function watchDocumentLang(): void {
  if (langObserver || typeof MutationObserver === "undefined") return;
  langObserver = new MutationObserver(() => {
    for (const element of connected) element.requestUpdate();
  });
  langObserver.observe(document.documentElement, { attributes: true, attributeFilter: ["lang"] });
}

/** Where the bundle was loaded from: `<base>/widgets/hearth.js` → `<base>`. */
function bundleServer(): string {
  const url = new URL(import.meta.url);
  const match = url.pathname.match(/^(.*)\/widgets\/[^/]+$/);
  return url.origin + (match?.[1] ?? "");
}

/**
 * The base of every Hearth widget: a reactive `lang` with the resolved `locale` and
 * translation `t`, server discovery, and a typed `emit`.
 */
export class HearthElement extends LitElement {
  static override properties: PropertyDeclarations = {
    lang: { reflect: true },
    server: {},
  };

  /** The widget's language (`en`, `de`, `fr`); else the closest `[lang]`, else English. */
  declare lang: string;
  /** Base URL of the Hearth server; defaults to where the script was loaded from. */
  declare server: string | null;

  constructor() {
    super();
    this.server = null;
  }

  /** Registers a custom element once, so loading the bundle twice does no harm. */
  static define(name: string, element: CustomElementConstructor): void {
    if (!customElements.get(name)) customElements.define(name, element);
  }

  /** The locale in use, worked out from `lang` attributes on every render. */
  get locale(): Locale {
    return localeOf(this);
  }

  /** The strings for the current locale. */
  get t(): Translation {
    return translations[this.locale];
  }

  /** The server's base URL without a trailing slash. */
  get serverUrl(): string {
    return (this.server || bundleServer()).replace(/\/+$/, "");
  }

  /** Dispatches one of the events from `events.ts`. */
  emit<E extends Event>(event: E): boolean {
    return this.dispatchEvent(event);
  }

  override connectedCallback(): void {
    super.connectedCallback();
    connected.add(this);
    watchDocumentLang();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    connected.delete(this);
  }
}
