"""Order numbers in the spellings customers use, digits only.

"#123456", "commande n°123456", "numéro de commande : 123456", "zamówienie nr 123456",
"pedido 123456", "Bestellnummer 123456", "Bestellung Nr. 123456", "order #123456", "my order is
123456". A bare "#123456" counts unless a ticket or invoice word stands just before it: a ticket
or invoice number is not an order number.
"""
from __future__ import annotations

import re

from .normalize import fold

_KEYWORD = (r"(?:orders?|commandes?|cde|zamowieni[aeuo]m?|zamowien|pedidos?|bestellung(?:en)?|bestellnummer|"
            r"bestellnr|bestell-nr|auftrag(?:snummer|snr)?|ordine)")
# The keyword, then at most 24 characters that are not digits nor sentence ends ("n°", "nr", "#",
# ": ", "number is", "de la"), then the number. Lazy and bounded, so no backtracking blow-up.
_AFTER_KEYWORD = re.compile(rf"\b{_KEYWORD}\b[^\d\n?!;]{{0,24}}?#?\s?(\d{{5,12}})\b")
_HASH = re.compile(r"(?<![\w#&])#\s?(\d{5,12})\b")
_NOT_ORDER_BEFORE = re.compile(
    r"(?:ticket|tickets|zgloszeni\w*|incident|incidente|vorgang|case|factur\w*|invoice|rechnung\w*|"
    r"faktur\w*|devis|quote|angebot|presupuesto|oferta)\W{0,4}(?:n[o°r]?\.?|nr\.?|number|numero|nummer)?\W{0,3}$")
_BARE = re.compile(r"^\s*(?:n[°o]\s?|nr\.?\s?|no\.?\s?)?#?\s?(\d{5,12})\s*[.!]?\s*$")


def parse_order(text: str) -> str | None:
    """The order number's digits, from a message or a short answer ("order 123456", "123456")."""
    folded = fold(text)
    m = _AFTER_KEYWORD.search(folded)
    if m:
        return m.group(1)
    for m in _HASH.finditer(folded):
        if not _NOT_ORDER_BEFORE.search(folded[max(0, m.start() - 30):m.start()]):
            return m.group(1)
    m = _BARE.match(folded)
    return m.group(1) if m else None
