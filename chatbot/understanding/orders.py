"""Order numbers in the spellings customers use, digits only.

"#123456", "commande n°123456", "numéro de commande : 123456", "zamówienie nr 123456",
"pedido 123456", "Bestellnummer 123456", "Bestellung Nr. 123456", "order #123456", "my order is
123456", "Orden 7145502", "nr zam. 3310284", "Order-ID: 5873310". A bare "#123456" counts unless a
ticket, case, request, invoice or customer-number word stands just before it, or it is in square
brackets (a ticket system's "[#88412]"): those numbers are not order numbers. Between an order word
and its number there is no other numbering word ("order cancelled, see ticket #123456" has no order).
"""
from __future__ import annotations

import re

from .normalize import fold

_KEYWORD = (r"(?:orders?|order-?id|commandes?|cde|cmd|zamowieni[aeuo]m?|zamowien|pedidos?|bestellung(?:en)?|"
            r"bestellnummer|bestellnr|bestell-nr|auftrag(?:snummer|snr|s-nr)?|auftragsnr|ordine|ordenes|orden)")
# The keyword, then at most 24 characters that are not digits nor sentence ends ("n°", "nr", "#",
# ": ", "number is", "de la"), then the number. Lazy and bounded, so no backtracking blow-up.
_AFTER_KEYWORD = re.compile(rf"\b(?:{_KEYWORD}\b|zam\.)([^\d\n?!;]{{0,24}}?)#?\s?(\d{{5,12}})\b")
_HASH = re.compile(r"(?<![\w#&])(\[?)#\s?(\d{5,12})\b")
_NUMBERING = (r"ticket\w*|zgloszeni\w*|incident\w*|incidencia\w*|vorgang\w*|case|caso|fall|sprawa|sprawy|"
              r"demande|request|anfrage|solicitud|factur\w*|invoice\w*|rechnung\w*|faktur\w*|devis|quote|"
              r"angebot\w*|presupuesto|oferta|client|customer|kunde\w*|cliente|klient\w*|account|compte|cuenta|"
              r"konto|konta|tel\w*|phone|mobile?|mobil|handy|kom\w*|movil|ref\w*")
_NOT_ORDER_BEFORE = re.compile(
    rf"(?:{_NUMBERING})\W{{0,4}}(?:id|n[o°r]?\.?|nr\.?|number|numero|nummer)?\W{{0,3}}$")
_OTHER_NUMBERING = re.compile(rf"\b(?:{_NUMBERING})\b")
_BARE = re.compile(r"^\s*(?:n[°o]\s?|nr\.?\s?|no\.?\s?)?#?\s?(\d{5,12})\s*[.!]?\s*$")
_FIVE_DIGITS = re.compile(r"\d{5}")  # in every number the patterns above take: without it, no order


def parse_order(text: str, *, folded: str | None = None) -> str | None:
    """The order number's digits, from a message or a short answer ("order 123456", "123456").
    `folded`: normalize.fold(text), when the caller has it already."""
    if folded is None:
        folded = fold(text)
    if not _FIVE_DIGITS.search(folded):
        return None
    for m in _AFTER_KEYWORD.finditer(folded):
        if not _OTHER_NUMBERING.search(m.group(1)):
            return m.group(2)
    for m in _HASH.finditer(folded):
        if not m.group(1) and not _NOT_ORDER_BEFORE.search(folded[max(0, m.start() - 30):m.start()]):
            return m.group(2)
    m = _BARE.match(folded)
    return m.group(1) if m else None
