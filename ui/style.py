"""The window's stylesheet and the script of the conversation panel. Colours are chosen for at
least 4.5:1 contrast on their backgrounds; the layout works down to 375 px wide."""

from __future__ import annotations

from ui.quick_exit import ESCAPE_JS

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
.notice, .preparing { border-left: 4px solid var(--accent); padding: 0.4rem 0.75rem;
  margin: 0.25rem 0 0.5rem; }
.searching { color: var(--muted); font-style: italic; }
a.cite { color: var(--accent); font-weight: 700; text-decoration: underline;
         padding: 0 0.1rem; white-space: nowrap; }
a.cite:focus-visible, .card:focus, .actions button:focus-visible, a.open-doc:focus-visible {
  outline: 3px solid var(--accent); outline-offset: 2px; }
.crisis { background: #991b1b; color: #fff; border-radius: 10px; padding: 0.75rem 1rem;
          margin-bottom: 0.6rem; }
.crisis .crisis-title { font-weight: 700; font-size: 1.05rem; margin: 0 0 0.25rem; }
.crisis, .crisis p, .crisis li, .crisis strong, .crisis a, .crisis a.cite {
  color: #fff !important; }
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
.actions button { display: inline-flex; align-items: center; gap: 0.35rem; }
.actions .icon { display: inline-block; flex: none; }
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
# «Salida rápida» stays in the corner at every width and scroll; the question box stays pinned
# at the bottom of the screen while the conversation scrolls under it.
HEAD = """<meta name="color-scheme" content="light dark">
<style>
html.saliendo body { visibility: hidden !important; }
/* Gradio's container hides its overflow, which would hold the pinned question box in place;
   clipping (no scrolling box) keeps the page from scrolling sideways all the same. */
.gradio-container { overflow-x: clip !important; overflow-y: visible !important; }
.gradio-container > .main { max-width: 58rem !important; margin: 0 auto !important; }
#salida { position: fixed !important; top: 0.5rem; right: 0.5rem; z-index: 1000;
          width: auto !important; min-width: 0 !important; flex-grow: 0 !important;
          min-height: 2.75rem; padding: 0.4rem 0.9rem !important; font-weight: 700;
          box-shadow: 0 2px 6px rgba(0, 0, 0, 0.25); }
.app-header { padding-right: 10rem; }
#ask-row { position: sticky; bottom: 0; z-index: 20; padding: 0.5rem 0 !important;
           background: var(--body-background-fill);
           box-shadow: 0 -6px 8px -6px rgba(0, 0, 0, 0.2); }
/* the selected tab in Gradio's violet is below 4.5:1 on white */
.tab-container button[role="tab"][aria-selected="true"] { color: #5b21b6 !important; }
.dark .tab-container button[role="tab"][aria-selected="true"] { color: #c4b5fd !important; }
.app-footer { text-align: center; font-size: 0.9rem; padding: 0.5rem 0 1rem; }
.app-footer a { color: var(--body-text-color); text-decoration: underline; }
@media (max-width: 640px) {
  table.library thead { position: absolute; width: 1px; height: 1px; overflow: hidden;
                        clip: rect(0 0 0 0); }
  table.library tr { display: block; border-bottom: 1px solid var(--line); padding: 0.4rem 0; }
  table.library th, table.library td { display: block; border: none; padding: 0.1rem 0; }
  table.library td::before { content: attr(data-label) ": "; color: var(--muted); }
  .gradio-container > .main { padding-left: 0.5rem !important; padding-right: 0.5rem !important; }
  .app-header { padding-right: 8.5rem; }
  .app-header p { display: none; }
}
</style>"""

# Gradio's browser client refuses a file above the upload limit with an English message of its
# own, before anything reaches the server; it is put in Spanish where it shows.
SPANISH_ERRORS_JS = """
const tooLarge = /File\\(s\\) exceed the maximum allowed size of ([^:]+): (.*)/;
function inSpanish(node) {
  const walker = document.createTreeWalker(node, NodeFilter.SHOW_TEXT);
  for (let text = walker.nextNode(); text; text = walker.nextNode()) {
    const found = tooLarge.exec(text.nodeValue);
    if (found) {
      const size = found[1].replace('Mb', 'MB');
      text.nodeValue = `No se subió ${found[2]}: pesa más que el máximo permitido (${size}).`;
    }
  }
}
new MutationObserver((changes) => changes.forEach((change) => {
  change.addedNodes.forEach((node) => inSpanish(node.nodeType === 1 ? node : node.parentNode));
  if (change.type === 'characterData' && change.target.parentNode) {
    inSpanish(change.target.parentNode);
  }
})).observe(document.body, {childList: true, subtree: true, characterData: true});
"""

# Gradio's page says lang="en"; screen readers must read this one in Spanish. Escape pressed
# twice leaves the page (ui/quick_exit.py).
PAGE_JS = f"() => {{ document.documentElement.lang = 'es-MX';{ESCAPE_JS}{SPANISH_ERRORS_JS}}}"

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
// On a phone the source cards fold behind «Fuentes (n)», except those the reader opened.
const narrow = window.matchMedia('(max-width: 640px)');
const opened = new Set();
element.addEventListener('toggle', (event) => {
  const details = event.target;
  if (!details.matches || !details.matches('details.sources')) return;
  const turn = details.closest('.turn');
  if (!turn) return;
  if (details.open) opened.add(turn.id); else opened.delete(turn.id);
}, true);
function fold() {
  if (!narrow.matches) return;
  element.querySelectorAll('details.sources').forEach((details) => {
    const turn = details.closest('.turn');
    if (details.open && !(turn && opened.has(turn.id))) details.open = false;
  });
}
fold();
// A new turn scrolls into view from its start; once its answer is complete, the question box
// takes the focus back without moving the page (it is pinned in view).
let seen = element.querySelectorAll('.turn').length;
let writing = false;
watch('value', () => {
  fold();
  const turns = element.querySelectorAll('.turn');
  if (turns.length > seen) turns[turns.length - 1].scrollIntoView({block: 'start'});
  if (turns.length === 0) opened.clear();
  seen = turns.length;
  const pending = element.querySelector('.turn.pending') !== null;
  if (writing && !pending) {
    const box = document.querySelector('#question textarea');
    if (box) box.focus({preventScroll: true});
  }
  writing = pending;
});
"""
