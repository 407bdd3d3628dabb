import type { ScreeningSignal } from "./types.ts";

/**
 * Akismet (off by default): asks whether a signup or an early comment is spam. A slow or
 * failing service scores nothing: it never blocks a member.
 */
export function createAkismetSignal(options: {
  apiKey: string;
  url: string;
  site: string;
}): ScreeningSignal {
  return {
    name: "akismet",
    kinds: ["signup", "comment"],
    async score(input, ctx) {
      if (!ctx.fetch) return null;
      const form = new URLSearchParams({
        api_key: options.apiKey,
        blog: options.site,
        user_ip: input.ip ?? "",
        user_agent: input.userAgent ?? "",
        comment_type: input.kind === "signup" ? "signup" : "comment",
      });
      if (input.name) form.set("comment_author", input.name);
      if (input.email) form.set("comment_author_email", input.email);
      if (input.body) form.set("comment_content", input.body);
      try {
        const res = await ctx.fetch(`${options.url}/1.1/comment-check`, {
          method: "POST",
          headers: { "content-type": "application/x-www-form-urlencoded" },
          body: form.toString(),
        });
        if (!res.ok) return null;
        const text = (await res.text()).trim();
        if (text !== "true") return null;
        const certain = res.headers.get("x-akismet-pro-tip") === "discard";
        return { score: certain ? 90 : 50, reason: "Akismet considers this spam." };
      } catch {
        return null;
      }
    },
  };
}
