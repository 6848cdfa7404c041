"""The window's stylesheet and the script of the conversation panel. Colours are chosen for at
least 4.5:1 contrast on their backgrounds; the layout works down to 375 px wide."""

from __future__ import annotations

SYSTEM_FONTS = [
    "system-ui",
    "-apple-system",
    "Segoe UI",
    "Roboto",
    "Noto Sans",
    "Helvetica Neue",
    "Arial",
    "sans-serif",
]
MONO_FONTS = ["ui-monospace", "SFMono-Regular", "Menlo", "Consolas", "monospace"]

CSS = """
:root { --accent: #5b21b6; --accent-soft: #ede9fe; --mark: #fde68a; --ink: #1f2937;
        --muted: #4b5563; --refusal: #92400e; --refusal-bg: #fffbeb; --line: #d1d5db; }
.dark { --accent: #c4b5fd; --accent-soft: #2e1065; --mark: #fde68a; --ink: #f3f4f6;
        --muted: #d1d5db; --refusal: #fcd34d; --refusal-bg: #292524; --line: #4b5563; }
.app-header h1 { font-size: 1.5rem; margin: 0.25rem 0; color: var(--ink); }
.app-header p { margin: 0; color: var(--muted); }
.visually-hidden { position: absolute !important; width: 1px; height: 1px; overflow: hidden;
                   clip: rect(0 0 0 0); white-space: nowrap; }
.transcript p, .transcript blockquote, .transcript ul, .transcript ol { display: block; }
.transcript { text-align: left; display: flex; flex-direction: column; gap: 1rem; color: var(--ink);
              font-size: 1rem; line-height: 1.55; }
.welcome { border: 1px solid var(--line); border-radius: 12px; padding: 1rem 1.25rem; }
.welcome-title { font-size: 1.25rem; margin: 0 0 0.5rem; }
.welcome p { margin: 0.4rem 0; }
.welcome-note { color: var(--muted); font-size: 0.95rem; }
.turn { display: flex; flex-direction: column; gap: 0.6rem; }
.msg { border-radius: 12px; padding: 0.75rem 1rem; overflow-wrap: anywhere; }
.msg p { margin: 0.3rem 0; }
.msg .who { font-size: 0.8rem; font-weight: 700; letter-spacing: 0.03em; text-transform: uppercase;
            color: var(--muted); margin: 0 0 0.25rem; }
.msg.user { background: var(--accent-soft); align-self: flex-end; max-width: 85%; }
.msg.bot { border: 1px solid var(--line); }
.msg.bot.answer { border-left: 5px solid var(--accent); }
.msg.bot.refusal { background: var(--refusal-bg); border: 2px dashed var(--refusal); }
.msg.bot.refusal .who { color: var(--refusal); }
.refusal-hint { color: var(--muted); font-size: 0.95rem; }
.searching { color: var(--muted); font-style: italic; }
a.cite { color: var(--accent); font-weight: 700; text-decoration: underline;
         padding: 0 0.1rem; white-space: nowrap; }
a.cite:focus-visible, .card:focus, .actions button:focus-visible, a.open-doc:focus-visible {
  outline: 3px solid var(--accent); outline-offset: 2px; }
.crisis { background: #991b1b; color: #fff; border-radius: 10px; padding: 0.75rem 1rem;
          margin-bottom: 0.6rem; }
.crisis .crisis-title { font-weight: 700; font-size: 1.05rem; margin: 0 0 0.25rem; }
.crisis, .crisis p, .crisis li, .crisis a, .crisis a.cite { color: #fff !important; }
details.sources { margin-top: 0.6rem; }
details.sources summary { cursor: pointer; font-weight: 600; color: var(--ink); }
ol.cards { list-style: none; padding: 0; margin: 0.5rem 0 0; display: flex; flex-direction: column;
           gap: 0.6rem; }
.card { border: 1px solid var(--line); border-radius: 10px; padding: 0.6rem 0.8rem;
        scroll-margin-top: 6rem; }
.card.flash { animation: flash 1.6s ease-out; }
@keyframes flash { 0% { box-shadow: 0 0 0 4px var(--accent); } 100% { box-shadow: none; } }
.card:target { box-shadow: 0 0 0 3px var(--accent); }
.card-title { font-weight: 700; margin: 0 0 0.2rem; }
.card-num { color: var(--accent); }
.card-meta, .card-heading { color: var(--muted); font-size: 0.9rem; margin: 0.1rem 0; }
blockquote.passage { margin: 0.4rem 0 !important; padding: 0.4rem 0.6rem;
                     border-left: 3px solid var(--line); font-size: 0.95rem; white-space: pre-wrap;
                     color: var(--ink); }
blockquote.passage mark { background: var(--mark); color: #111827; padding: 0 0.1rem; }
a.open-doc { color: var(--accent); font-weight: 600; display: inline-block; padding: 0.2rem 0; }
.actions { display: flex; flex-wrap: wrap; align-items: center; gap: 0.5rem; margin-top: 0.6rem; }
.actions button { border: 1px solid var(--line); border-radius: 8px; background: transparent;
                  color: var(--ink); padding: 0.35rem 0.7rem; min-height: 2.5rem;
                  min-width: 2.75rem; cursor: pointer; font-size: 0.95rem; }
.actions button[aria-pressed="true"] { background: var(--accent-soft); border-color: var(--accent);
                                       font-weight: 700; }
.thanks { color: var(--muted); font-size: 0.9rem; }
.actions .icon { vertical-align: -0.2em; }
.answer-text .answer-heading { display: block; font-size: 1.1rem; font-weight: 700;
                               margin: 0.9rem 0 0.3rem; color: var(--ink); }
.answer-text h4.answer-heading, .answer-text h5.answer-heading { font-size: 1rem; }
.answer-text .answer-heading:first-child { margin-top: 0.2rem; }
.list-block { margin: 0.3rem 0 0.5rem; }
.list-block .list-intro { margin-bottom: 0.15rem; }
.answer-text ul { margin: 0.15rem 0 0.3rem !important; padding-left: 1.4rem !important; }
.answer-text ul.bulleted { list-style: disc outside !important; }
.answer-text ul.enumerated { list-style: none !important; padding-left: 0.6rem !important; }
.answer-text li { display: list-item; margin: 0.2rem 0; }
.answer-text li p.more { margin: 0.1rem 0 0; }
#examples button { white-space: normal; text-align: left; height: auto; }
table.library { width: 100%; border-collapse: collapse; color: var(--ink); font-size: 0.95rem; }
table.library caption { text-align: left; color: var(--muted); padding: 0.3rem 0; }
table.library th, table.library td { text-align: left; vertical-align: top; padding: 0.45rem 0.5rem;
                                      border-bottom: 1px solid var(--line); }
table.library thead th { font-weight: 700; }
table.library tbody th { font-weight: 600; }
table.library td[data-label="Fecha"] { white-space: nowrap; }
table.library a { color: var(--accent); }
table.library tr.failed td:last-child { color: var(--refusal); font-weight: 600; }
@media (max-width: 640px) {
  table.library thead { position: absolute; width: 1px; height: 1px; overflow: hidden;
                        clip: rect(0 0 0 0); }
  table.library tr { display: block; border-bottom: 1px solid var(--line); padding: 0.4rem 0; }
  table.library th, table.library td { display: block; border: none; padding: 0.1rem 0; }
  table.library td::before { content: attr(data-label) ": "; color: var(--muted); }
  .msg.user { max-width: 100%; }
  .msg { padding: 0.6rem 0.7rem; }
  .app-header h1 { font-size: 1.25rem; }
}
"""

# Page-level rules: Gradio scopes `css` inside its container, so these go in the page head.
HEAD = """<meta name="color-scheme" content="light dark">
<style>
.gradio-container > .main { max-width: 58rem !important; margin: 0 auto !important; }
@media (max-width: 640px) {
  table.library thead { position: absolute; width: 1px; height: 1px; overflow: hidden;
                        clip: rect(0 0 0 0); }
  table.library tr { display: block; border-bottom: 1px solid var(--line); padding: 0.4rem 0; }
  table.library th, table.library td { display: block; border: none; padding: 0.1rem 0; }
  table.library td::before { content: attr(data-label) ": "; color: var(--muted); }
  .gradio-container > .main { padding-left: 0.5rem !important; padding-right: 0.5rem !important; }
}
</style>"""

# Gradio's page says lang="en"; screen readers must read this one in Spanish.
PAGE_JS = "() => { document.documentElement.lang = 'es-MX'; }"

# Runs once when the conversation panel is created; its content is replaced on every update, so
# clicks are handled by delegation on the panel itself.
TRANSCRIPT_JS = """
element.addEventListener('click', async (event) => {
  const cite = event.target.closest('a.cite');
  if (cite) {
    event.preventDefault();
    const card = element.querySelector('#' + CSS.escape(cite.dataset.card || ''));
    if (!card) return;
    const details = card.closest('details');
    if (details) details.open = true;
    card.classList.remove('flash'); void card.offsetWidth; card.classList.add('flash');
    card.scrollIntoView({behavior: 'smooth', block: 'center'});
    card.focus({preventScroll: true});
    return;
  }
  const copy = event.target.closest('button.copy');
  if (copy) {
    const text = copy.dataset.copy || '';
    let copied = false;
    try { await navigator.clipboard.writeText(text); copied = true; } catch (error) {
      const area = document.createElement('textarea');
      area.value = text; area.setAttribute('readonly', ''); area.style.position = 'fixed';
      area.style.opacity = '0'; document.body.appendChild(area); area.select();
      try { copied = document.execCommand('copy'); } catch (ignored) {}
      area.remove();
    }
    copy.textContent = copied ? 'Copiada ✓' : 'No se pudo copiar';
    setTimeout(() => { copy.textContent = 'Copiar respuesta'; }, 2500);
    return;
  }
  const vote = event.target.closest('button.vote');
  if (vote) {
    trigger('feedback', {turn: Number(vote.dataset.turn), value: vote.dataset.value});
  }
});
let seen = element.querySelectorAll('.turn').length;
watch('value', () => {
  const turns = element.querySelectorAll('.turn');
  if (turns.length > seen) turns[turns.length - 1].scrollIntoView({block: 'start'});
  seen = turns.length;
});
"""
