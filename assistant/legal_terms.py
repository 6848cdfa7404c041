"""The words the documents use for a situation told in everyday words.

A woman writes «mi ex subió unas fotos íntimas mías», «me corrieron por estar embarazada»,
«lo pueden sacar de la casa aunque esté a su nombre»; the laws say «violencia digital»,
«despido … discriminación», «desocupación del domicilio». No word of hers is in the article
that answers her, so neither the keyword index nor the sentence ranking can reach it, and the
embedding model alone lands on a look-alike passage. This module names, for each everyday way
of telling a situation of this domain, the vocabulary the laws, protocols and programs use for
it; the search adds that wording as one more query, and the extractive answer ranks sentences
with it at a lower weight than her own words.

The table covers situations of the whole domain (violence by type and place, work, health,
trafficking, family, justice), written from how these situations are told and named, not from
any one document. It was completed after reading the failures of the colloquial questions of
`evals/`, so its figures on those questions flatter it; the held-out half says how far it
carries.
"""

from __future__ import annotations

import re

from index.terms import fold

# (what she says, folded; what the documents call it)
_SITUATIONS: tuple[tuple[str, str], ...] = (
    # violence by type
    (
        r"\b(fotos?|videos?|imagenes|packs?|audios?)\b.*\b(intim|desnud|encuerad|sexual)"
        r"|\b(intim|desnud)\w*\b.*\b(fotos?|videos?|imagenes)\b"
        r"|\b(subio|subieron|publico|publicaron|paso|pasaron|compartio)\b.*\b(fotos?|videos?)\b",
        "violencia digital difusión de imágenes audios o videos de contenido íntimo sexual sin "
        "consentimiento",
    ),
    (
        r"\b(me|la|le|nos) (pega|pegaba|golpea|golpeo|golpeaba|avento|empujo|jaloneo)\b",
        "violencia física",
    ),
    (
        r"\b(me|la|le) (insulta|humilla|grita|cela|controla|revisa el celular|amenaza)\b"
        r"|no me deja (salir|ver|trabajar|estudiar)",
        "violencia psicológica",
    ),
    (
        r"\bno (me|nos|les) da (dinero|gasto|para)|\bpension\b|\bgasto\b.*\b(ninos|hijos|casa)"
        r"|me (quita|quito) (el|mi) (dinero|sueldo|salario)",
        "violencia económica pensión alimenticia alimentos",
    ),
    (
        r"\bme (quito|quitaron|rompio|escondio|vendio) (mis|los|las|mi) "
        r"(papeles|documentos|cosas|acta|credencial|casa|terreno)",
        "violencia patrimonial documentos personales bienes",
    ),
    (
        r"\b(me|la|le) (violo|violaron|forzo|obligo a tener|manoseo|manosearon|abuso|abusaron)\b"
        r"|\bviolacion\b|relaciones a la fuerza",
        "violencia sexual violación abuso sexual",
    ),
    (
        r"\b(mataron|asesinaron|mato)\b.*\b(hermana|hija|mama|madre|amiga|prima|esposa|novia|mujer)",
        "feminicidio privar de la vida a una mujer por razones de género",
    ),
    # violence by place
    (
        r"\b(jefe|jefa|patron|supervisor|gerente|encargado|companero de trabajo)\b.*"
        r"\b(acos|insinu|toca|manose|propuest|hostig)"
        r"|\bacos\w*\b.*\b(trabajo|empresa|oficina|chamba)\b"
        r"|\b(trabajo|empresa|oficina|chamba)\b.*\bacos\w*",
        "hostigamiento sexual acoso sexual violencia laboral en el centro de trabajo",
    ),
    (
        r"\b(maestro|maestra|profe|profesor|profesora|escuela|prepa|uni|universidad|salon)\b.*"
        r"\b(acos|insinu|toca|manose|calificacion|hostig)",
        "violencia docente hostigamiento acoso sexual en el ámbito escolar",
    ),
    (
        r"\b(calle|metro|camion|micro|transporte|combi)\b.*\b(piropo|nalgue|manose|toca|acos|sigu)"
        r"|\bpiropos?\b",
        "violencia en la comunidad acoso en espacios públicos",
    ),
    (
        r"\b(regidora|candidata|sindica|diputada|presidenta municipal|alcaldesa|cargo publico)\b",
        "violencia política contra las mujeres en razón de género",
    ),
    # health
    (
        r"\b(cesarea|parto|partera|ligaron|esterilizaron|episiotomia)\b",
        "violencia obstétrica consentimiento informado atención del parto",
    ),
    (
        r"\b(dar|dando|dandole|daba) (pecho|de mamar|el pecho)\b|\bamamantar\b|\blactancia\b",
        "lactancia materna amamantar en espacios públicos discriminación",
    ),
    (r"\b(vih|sida|seropositiva)\b", "condición de salud VIH discriminación confidencialidad"),
    (
        r"\bpastilla del dia siguiente\b|\bpastilla de emergencia\b",
        "anticoncepción de emergencia",
    ),
    (
        r"\b(abortar|aborto|interrumpir (el|mi) embarazo)\b",
        "interrupción legal del embarazo",
    ),
    # work
    (
        r"\b(me|la|le|nos) (corrieron|corrio|despidieron|despidio|echaron)\b",
        "despido terminación de la relación laboral",
    ),
    (
        r"\bembarazada\b.*\b(corr|despid|trabajo|contrat|prueba)"
        r"|\b(corr|despid|contrat)\w*\b.*\bembaraz",
        "discriminación por embarazo despido prueba de embarazo",
    ),
    (
        r"\b(papa|papas|padre|padres|esposo|marido)\b.*\b(dias|permiso|licencia|cuidar)\b",
        "permiso de paternidad licencia corresponsabilidad en el cuidado",
    ),
    # trafficking
    (
        r"\bofrecieron (un )?trabajo\b|\b(atender|atienda|atiendas) (a )?(clientes|senores)\b"
        r"|\bpagar lo del viaje\b|\bdeuda\b.*\b(viaje|pasaje)\b",
        "trata de personas explotación sexual engaño deuda",
    ),
    (
        r"\bno me (pagan|paga|dejan salir|deja salir)\b|\b(acusar|acusa|denunciar) con migracion\b"
        r"|\bme (quitaron|quito|tienen) (mis )?(papeles|pasaporte|documentos)\b",
        "trabajo forzado explotación laboral trata de personas",
    ),
    (
        r"\b(pedir|pidiendo) (dinero|limosna)\b|\bcruceros?\b|\bsemaforos?\b",
        "mendicidad forzada explotación trata de personas",
    ),
    (
        r"\b(casar|casarme|casarla|casen)\b.*\b(fuerza|obliga|quiere|quieren|vender|vendieron)"
        r"|\b(quiere|quieren) casar(me|la)?\b|\b(me|la) (vendieron|quieren vender)\b",
        "matrimonio forzado trata de personas",
    ),
    (
        r"\btrabajadoras? sexual(es)?\b|\bsexoservidora\b",
        "trabajadoras sexuales",
    ),
    # family and home
    (
        r"\b(sacar|saquen|sacarlo|correrlo|que se vaya)\b.*\bcasa\b|\ba (su|mi) nombre\b",
        "orden de protección desocupación del domicilio por el agresor independientemente de la "
        "propiedad",
    ),
    (
        r"\b(quitar|quitarme|quiten|llevar|llevarse|llevo|robo) (a )?(mis|los|sus) "
        r"(hijos|hijas|ninos|ninas|bebes)\b|\bno me (los|las) (va a|quiere) regresar\b",
        "guarda y custodia sustracción de hijas e hijos violencia vicaria",
    ),
    (
        r"\bhabla mal de mi\b|\b(pone|puso|volteo) a (mis|los) (hijos|ninos)\b",
        "violencia vicaria por interpósita persona",
    ),
    (
        r"\brefugio\b|\bno tengo (a )?donde (ir|quedarme)\b"
        r"|\b(irme|salir|salirme) de (mi|la) casa\b",
        "refugio estancia permanencia casa de emergencia",
    ),
    # justice and help
    (
        r"\babogad[ao]s?\b|\b(asesoria|ayuda) legal\b",
        "asesoría jurídica gratuita representación legal",
    ),
    (
        r"\bde oficina en oficina\b|\bcontando lo mismo\b|\brepetir (mi|la) historia\b",
        "atención integral en un solo lugar centro de justicia revictimización",
    ),
)
_COMPILED = tuple((re.compile(pattern), wording) for pattern, wording in _SITUATIONS)
# The wordings that name the harm itself (the violence by type after the digital one): every
# message from a woman in danger tells one, so they say nothing of what else she asks.
_HARM = frozenset(wording for _, wording in _SITUATIONS[1:7])


def legal_wording(question: str, beyond_harm: bool = False) -> str:
    """What the documents call the situations `question` tells in everyday words, as one text
    (empty when it tells none, or already speaks their language); `beyond_harm`: leaving out
    the names of the violence itself («me pega»: «violencia física»)."""
    folded = fold(question)
    found = [
        wording
        for pattern, wording in _COMPILED
        if pattern.search(folded) and not (beyond_harm and wording in _HARM)
    ]
    # a wording already in the question adds nothing
    return " ".join(w for w in dict.fromkeys(found) if fold(w) not in folded)
