import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { federationBlocksDe } from "../../widgets/i18n/federation-blocks-de.ts";
import { federationBlocksEn } from "../../widgets/i18n/federation-blocks-en.ts";
import { federationBlocksFr } from "../../widgets/i18n/federation-blocks-fr.ts";
import { fediverseTab } from "../../widgets/i18n/fediverse-tab.ts";

const locales = { en: federationBlocksEn, de: federationBlocksDe, fr: federationBlocksFr };

describe("the strings of the instance and actor blocks", () => {
  it("has every string in every language, and the tab's label", () => {
    for (const [code, strings] of Object.entries(locales)) {
      assert.deepEqual(Object.keys(strings).sort(), Object.keys(federationBlocksEn).sort(), code);
      for (const [key, value] of Object.entries(strings)) {
        const text = typeof value === "function" ? value("x") : value;
        assert.ok(typeof text === "string" && text.length > 0, `${code}.${key}`);
      }
      assert.ok(fediverseTab[code as keyof typeof fediverseTab]);
    }
  });

  it("names both levels and both kinds in each language", () => {
    assert.deepEqual(
      Object.values(locales).map((s) => [s.levelName("suspend"), s.levelName("silence")]),
      [
        ["Suspended", "Silenced"],
        ["Gesperrt", "Eingeschränkt"],
        ["Suspendu", "Limité"],
      ],
    );
    assert.deepEqual(
      Object.values(locales).map((s) => [s.kindName("instance"), s.kindName("actor")]),
      [
        ["Instance", "Account"],
        ["Instanz", "Konto"],
        ["Instance", "Compte"],
      ],
    );
  });
});
