/**
 * The site's articles. Each has a discussion under it: its Hearth thread is
 * `articles/<slug>`. Paragraphs after the first are for members only.
 */

/** @typedef {{slug: string, title: string, date: string, paragraphs: string[]}} Article */

/** @type {Article[]} */
export const articles = [
  {
    slug: "saving-tomato-seeds",
    title: "Saving tomato seeds, the slow way",
    date: "2026-08-14",
    paragraphs: [
      "Every tomato you grow this summer carries next year's plants inside it. Saving them takes a jar, a week and a little patience.",
      "Pick the best fruit of a plant that was not grown next to another variety, let it ripen fully, and scoop the seeds with their jelly into a jar with a splash of water.",
      "Leave the jar somewhere warm for three to five days. A mould forms on top: that is the point. The fermentation eats the gel that keeps the seeds from sprouting inside the fruit.",
      "Rinse, let the good seeds sink, pour off the rest, and dry them on a plate (not paper, they stick) for a week. Label the envelope before you forget which one it was.",
    ],
  },
  {
    slug: "winter-cover-crops",
    title: "What to sow when the beds are empty",
    date: "2026-10-02",
    paragraphs: [
      "A bare bed in winter loses its soil to the rain. A cover crop holds it, feeds it and is dug in before spring.",
      "Field beans and winter rye go in until the end of October; phacelia and mustard earlier. Beans fix nitrogen, rye holds the most soil, and phacelia feeds the bees if you let a few flower.",
      "Cut everything down a month before you plant, let it wilt on the surface, then fork it in lightly.",
    ],
  },
];

/** @param {string} slug */
export function articleBySlug(slug) {
  return articles.find((article) => article.slug === slug) ?? null;
}
