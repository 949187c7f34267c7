import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Ctx } from '../context.ts';
import { page, renderWebError } from '../web/render.ts';
import { capturesOf, isPageStep, shellCommand, shownAnswer, type Guide, type Lang, type Text } from './guide.model.ts';
import { GUIDES, findGuide } from './guides.data.ts';

/** The path of the guides in each language: Spanish first, English beside. */
export const GUIDES_PATH: Record<Lang, string> = { es: '/docs/guia', en: '/docs/guide' };

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** Prose with `code` spans, as safe HTML. */
export function prose(text: string): string {
  return escapeHtml(text).replace(/`([^`]+)`/g, '<code>$1</code>');
}

function view(guide: Guide, lang: Lang, publicUrl: string) {
  const pick = (t: Text) => t[lang];
  const known = new Set(guide.variables.map((v) => v.name));
  return {
    slug: guide.slug[lang],
    other: `${GUIDES_PATH[lang === 'es' ? 'en' : 'es']}/${guide.slug[lang === 'es' ? 'en' : 'es']}`,
    title: pick(guide.title),
    intro: guide.intro.map((t) => prose(pick(t))),
    outro: (guide.outro ?? []).map((t) => prose(pick(t))),
    variables: guide.variables.map((v) => ({
      line: `${v.name}="${v.placeholder ? pick(v.placeholder) : v.value.replace('{{BASE}}', publicUrl)}"`,
      text: prose(pick(v.text)),
    })),
    steps: guide.steps.map((s) => {
      if (isPageStep(s)) return { text: prose(pick(s.text)), onPage: true, command: '', status: 0, answer: '', save: '' };
      // The names this answer gives for the first time: the reader sets them before the next step.
      const fresh = [...new Set(capturesOf(s.answer))].filter((n) => !known.has(n));
      fresh.forEach((n) => known.add(n));
      return {
        text: prose(pick(s.text)), onPage: false, command: shellCommand(s.curl), status: s.status, answer: shownAnswer(s.answer),
        save: fresh.map((n) => `${n}="<${n}>"`).join('\n'),
      };
    }),
  };
}

/** GET /docs/guia, /docs/guide and each guide under them: server-rendered, no script needed. */
export function registerGuides(app: FastifyInstance, ctx: Ctx): void {
  // Pages, not API: out of the OpenAPI document.
  const opts = { config: { web: true }, schema: { hide: true } };
  for (const lang of ['es', 'en'] as const) {
    const base = GUIDES_PATH[lang];
    const index = async (request: FastifyRequest, reply: FastifyReply) => {
      request.locale = lang;
      return page(request, reply, 'guide-index', {
        lang, base, other: GUIDES_PATH[lang === 'es' ? 'en' : 'es'],
        guides: GUIDES.map((g) => ({ href: `${base}/${g.slug[lang]}`, title: g.title[lang], summary: prose(g.intro[0]![lang]) })),
      });
    };
    app.get(base, opts, index);
    app.get(`${base}/`, opts, index);
    app.get(`${base}/:slug`, opts, async (request, reply) => {
      request.locale = lang;
      const guide = findGuide(lang, (request.params as { slug: string }).slug);
      if (!guide) return renderWebError(request, reply, 404, lang === 'es' ? 'Esta guía no existe.' : 'There is no such guide.');
      const at = GUIDES.indexOf(guide);
      const next = GUIDES[at + 1];
      return page(request, reply, 'guide-page', {
        lang, base, guide: view(guide, lang, ctx.config.publicUrl),
        next: next ? { href: `${base}/${next.slug[lang]}`, title: next.title[lang] } : null,
      });
    });
  }
}
