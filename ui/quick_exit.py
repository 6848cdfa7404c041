"""«Salida rápida»: leaving the window at once, as every service for women at risk offers.

The button (always on screen) and the Escape key pressed twice blank the page at once, empty
the browser's storage for this site, have the server forget the session (its conversation,
votes and exported files), and replace the page with a neutral one served here, `/salida`, a
kitchen recipe with nothing that points back (`location.replace`, so the back button does not
return either). The neutral page is static and self-contained, asks the browser to clear this
site's storage and cache again (`Clear-Site-Data`), and nothing about it is logged."""

from __future__ import annotations

from ui.documents import PAGE_STYLE

ROUTE = "salida"
BUTTON_ID = "salida"
LABEL = "Salida rápida"
HINT = "Sale de inmediato a otra página y borra esta conversación (también: Esc dos veces)."

# Blanks the page and empties this site's storage the moment the button is pressed; the
# server's forgetting runs next, then `LEAVE_JS`. If the server is slow, the page leaves anyway.
HIDE_JS = f"""() => {{
  document.documentElement.classList.add('saliendo');
  document.title = 'Recetas de casa';
  try {{ localStorage.clear(); sessionStorage.clear(); }} catch (error) {{}}
  const transcript = document.querySelector('#transcript');
  if (transcript) transcript.replaceChildren();
  document.querySelectorAll('textarea, input').forEach((box) => {{ box.value = ''; }});
  setTimeout(() => location.replace(new URL('{ROUTE}', document.baseURI)), 1500);
}}"""
LEAVE_JS = f"() => {{ location.replace(new URL('{ROUTE}', document.baseURI)); }}"

# Part of the page's script: Escape twice within a second and a half presses the button.
ESCAPE_JS = f"""
let lastEscape = 0;
document.addEventListener('keydown', (event) => {{
  if (event.key !== 'Escape') return;
  const now = Date.now();
  if (now - lastEscape < 1500) {{
    lastEscape = 0;
    document.getElementById('{BUTTON_ID}')?.click();
  }} else {{
    lastEscape = now;
  }}
}}, true);
"""

NEUTRAL_HEADERS = {
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'",
    "Cache-Control": "no-store",
    "Clear-Site-Data": '"cache", "storage"',
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
}

NEUTRAL_PAGE = (
    '<!DOCTYPE html><html lang="es"><head><meta charset="utf-8">'
    '<meta name="viewport" content="width=device-width, initial-scale=1">'
    f"<title>Recetas de casa</title><style>{PAGE_STYLE}</style></head><body><main>"
    "<h1>Agua de jamaica</h1>"
    '<p class="meta">Recetas de casa · Bebidas frescas · 4 porciones</p>'
    "<h2>Ingredientes</h2><ul>"
    "<li>1 taza de flor de jamaica seca</li><li>2 litros de agua</li>"
    "<li>½ taza de azúcar, o al gusto</li><li>Hielo y rodajas de limón</li></ul>"
    "<h2>Preparación</h2><ol>"
    "<li>Enjuaga la flor de jamaica y ponla a hervir en medio litro de agua durante cinco "
    "minutos.</li>"
    "<li>Apaga el fuego y deja reposar diez minutos para que suelte el color.</li>"
    "<li>Cuela, añade el resto del agua y el azúcar, y mezcla bien.</li>"
    "<li>Sirve con hielo y una rodaja de limón.</li></ol>"
    "<p>Consejo: la flor que queda se puede usar en quesadillas o tacos de jamaica.</p>"
    "</main></body></html>"
)
