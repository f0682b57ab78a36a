"""Intents, routing and priority as intake-labels.md defines them, in the five languages."""
from datetime import datetime

import pytest

from chatbot.desk import load_desk
from chatbot.understanding import Analyzer, to_label

NOW = datetime.fromisoformat("2026-05-12T10:00:00+02:00")


@pytest.fixture(scope="module")
def analyzer() -> Analyzer:
    return Analyzer(load_desk())


CASES = [
    ("fr", "bonjour !", "greeting"),
    ("fr", "merci beaucoup, c'est réglé", "thanks"),
    ("fr", "je veux parler à un conseiller, pas à un robot", "human"),
    ("fr", "sous combien de temps vous répondez à un ticket ?", "faq.response_time"),
    ("fr", "quels sont les horaires du service facturation ?", "faq.hours"),
    ("fr", "mon serveur ne répond plus depuis 9h", "tech.outage"),
    ("fr", "j'ai été prélevé deux fois ce mois-ci", "billing.charge"),
    ("fr", "je souhaite être remboursé de ma commande", "billing.refund"),
    ("fr", "pouvez-vous configurer un reverse DNS ?", "tech.config"),
    ("pl", "cześć", "greeting"),
    ("pl", "dzięki, już działa", "thanks"),
    ("pl", "jak długo zwykle trwa wymiana dysku?", "faq.resolution_time"),
    ("pl", "jakie informacje podać przy zgłaszaniu awarii?", "faq.incident_info"),
    ("pl", "serwer nie odpowiada od rana", "tech.outage"),
    ("pl", "bardzo wolno działa mój VPS, duże opóźnienia", "tech.performance"),
    ("pl", "nie mogę się zalogować do panelu klienta", "account.access"),
    ("es", "hola, buenas", "greeting"),
    ("es", "¿cuál es el correo de soporte?", "faq.contact"),
    ("es", "mi ticket pone escalado, ¿qué significa?", "faq.escalation"),
    ("es", "el servidor está caído desde las 8", "tech.outage"),
    ("es", "el disco del RAID está fallando, hay que cambiarlo", "tech.hardware"),
    ("es", "¿podéis aplicarnos un abono por la caída del martes?", "billing.credit"),
    ("de", "guten Morgen", "greeting"),
    ("de", "vielen Dank, alles klar", "thanks"),
    ("de", "welche Priorität wähle ich für eine Firewall-Anfrage?", "faq.ticket"),
    ("de", "wo kann ich die Adresse für Wartungsbenachrichtigungen ändern?", "faq.notifications"),
    ("de", "die Zahlung per Kreditkarte schlägt immer fehl", "billing.refund"),
    ("de", "bitte Port 25 freischalten", "tech.config"),
    ("en", "hi there", "greeting"),
    ("en", "can I talk to a real person?", "human"),
    ("en", "how long does it usually take to replace a disk?", "faq.resolution_time"),
    ("en", "my VPS is really slow, 30% packet loss", "tech.performance"),
    ("en", "I can't log in to the client area, 2FA code rejected", "account.access"),
    ("en", "do you offer a reseller program?", "other"),
]


@pytest.mark.parametrize(("lang", "text", "intent"), CASES)
def test_intent_per_language(analyzer: Analyzer, lang: str, text: str, intent: str) -> None:
    analysis = analyzer.analyze(text, channel="chat", now=NOW)
    assert (analysis.lang, analysis.intent) == (lang, intent)
    assert analysis.understood


def test_routing_comes_from_the_desk(analyzer: Analyzer) -> None:
    label = to_label(analyzer.analyze("je voudrais un remboursement", channel="chat", now=NOW))
    assert (label["department"], label["team"], label["priority"]) == ("billing", "billing", "regular")
    label = to_label(analyzer.analyze("bonsoir", channel="chat", now=NOW))
    assert (label["department"], label["team"], label["priority"]) == (None, None, None)


def test_total_unavailability_raises_the_priority_whatever_the_intent(analyzer: Analyzer) -> None:
    analysis = analyzer.analyze("padły dwa dyski z raida i serwer w ogóle nie startuje", channel="chat", now=NOW)
    assert (analysis.intent, analysis.route.team, analysis.route.priority) == ("tech.hardware", "datacenter", "high")
    assert analysis.total_outage


def test_a_failed_part_is_not_a_total_outage(analyzer: Analyzer) -> None:
    analysis = analyzer.analyze("eine der SSDs im RAID ist ausgefallen, bitte austauschen", channel="chat", now=NOW)
    assert (analysis.intent, analysis.route.priority) == ("tech.hardware", "regular")


def test_a_question_about_outages_is_not_an_outage(analyzer: Analyzer) -> None:
    analysis = analyzer.analyze("what info should I give you if my server goes offline?", channel="chat", now=NOW)
    assert analysis.intent == "faq.incident_info"
    assert not analysis.total_outage


def test_a_sign_off_does_not_decide_the_intent(analyzer: Analyzer) -> None:
    text = "Hola:\n\nQuiero el reembolso del pedido 7719023, no he usado el servidor.\n\nGracias,\nElena"
    analysis = analyzer.analyze(text, channel="email", now=NOW)
    assert analysis.intent == "billing.refund"
    assert analysis.slots.order == "7719023"
    assert "Gracias" not in analysis.text


def test_a_greeting_line_does_not_hide_the_request(analyzer: Analyzer) -> None:
    analysis = analyzer.analyze("Bonjour,\n\nnotre serveur est hors ligne depuis 7h", channel="email", now=NOW)
    assert (analysis.intent, analysis.route.priority) == ("tech.outage", "high")


def test_thanks_in_a_reply_is_not_a_new_incident(analyzer: Analyzer) -> None:
    analysis = analyzer.analyze("Thanks, everything is back to normal.", channel="email", now=NOW,
                                subject="Re: Total outage – all services unreachable")
    assert analysis.intent == "thanks"


@pytest.mark.parametrize("text", ["asdf", "?", "hmm", "..."])
def test_gibberish_is_not_understood(analyzer: Analyzer, text: str) -> None:
    assert not analyzer.analyze(text, channel="chat", now=NOW).understood


def test_slots_from_subject_and_quoted_ips_ignored(analyzer: Analyzer) -> None:
    text = ("Hello,\n\nOur server stopped responding at 9:15.\n\nRegards,\nAnn\n\n"
            "On 3 Mar 2026, at 09:00, Support wrote:\n> server 51.91.3.3 restarted, order 6612207")
    analysis = analyzer.analyze(text, channel="email", now=NOW, subject="Outage - order #7783301")
    assert analysis.slots.order == "7783301"
    assert analysis.slots.ip is None
    assert analysis.slots.start_time == datetime.fromisoformat("2026-05-12T09:15:00+02:00")


def test_unsupported_language_is_flagged(analyzer: Analyzer) -> None:
    analysis = analyzer.analyze("il mio server non risponde da stamattina", channel="chat", now=NOW)
    assert (analysis.lang, analysis.lang_supported) == ("en", False)


def test_known_services_reach_the_slot(analyzer: Analyzer) -> None:
    analysis = analyzer.analyze("mon vps ssd4 ne répond plus", channel="chat", now=NOW, known_services=["VPS SSD-4"])
    assert analysis.slots.service == "VPS SSD-4"


# --- Families added after the blind set's error analysis ------------------------------------------
# Fresh sentences (not the blind set's), each misread by the former lexicons and rules:
# a weekday is a time reference, not an hours question; "where do I open a ticket"; what to send when
# reporting an incident; a duration question about answering (response) or fixing (resolution);
# whether the chat is staffed (a contact channel, not a team's hours); escalation; paid yet unpaid or
# suspended; payment gateways; waiving a fee; a throughput that dropped; quotes and account moves;
# "stopped responding"; a server down because a part failed (hardware, high); an access component
# down while the server runs (hardware, regular); "power down" is not "down".

FAMILIES = [
    ('en', 'we paid by bank transfer on monday, why is the invoice still open?', 'billing.charge', 'regular'),
    ('es', 'pagué la factura el lunes por transferencia y sigue pendiente', 'billing.charge', 'regular'),
    ('pl', 'zapłaciłem w poniedziałek przelewem, a faktura dalej nieopłacona', 'billing.charge', 'regular'),
    ('de', 'ich habe am Montag überwiesen, die Rechnung ist aber noch offen', 'billing.charge', 'regular'),
    ('en', 'where do I create a support ticket?', 'faq.ticket', None),
    ('de', 'wo lege ich ein Ticket an?', 'faq.ticket', None),
    ('es', '¿dónde puedo abrir una incidencia?', 'faq.ticket', None),
    ('fr', "où est-ce que je peux créer une demande dans l'espace client ?", 'faq.ticket', None),
    ('pl', 'gdzie w panelu klienta mogę założyć zgłoszenie?', 'faq.ticket', None),
    ('en', 'how long do you usually take to reply to tickets?', 'faq.response_time', None),
    ('de', 'wie lange braucht ihr meistens, bis ihr antwortet?', 'faq.response_time', None),
    ('pl', 'ile zwykle czekacie z odpisaniem na zgłoszenie?', 'faq.response_time', None),
    ('fr', 'en moyenne vous mettez combien de temps pour répondre à une demande ?', 'faq.response_time', None),
    ('es', '¿cuánto tiempo pasa normalmente hasta que contestáis un ticket?', 'faq.response_time', None),
    ('en', 'is your chat staffed on weekends?', 'faq.contact', None),
    ('fr', 'le tchat fonctionne la nuit ?', 'faq.contact', None),
    ('es', 'funciona el chat por la noche?', 'faq.contact', None),
    ('de', 'ist der Chat am Wochenende erreichbar?', 'faq.contact', None),
    ('pl', 'czy czat jest dostępny w nocy i w święta?', 'faq.contact', None),
    ('pl', 'czemu moja sprawa trafiła do innego działu?', 'faq.escalation', None),
    ('en', 'why has my ticket been handed over to the sysadmins?', 'faq.escalation', None),
    ('de', 'mein Ticket wurde an die Admins abgegeben, muss ich ein neues aufmachen?', 'faq.escalation', None),
    ('fr', 'ma demande a été transmise à une autre équipe, je dois refaire un ticket ?', 'faq.escalation', None),
    ('en', 'stripe rejects my card every time', 'billing.refund', 'regular'),
    ('fr', 'PayPal refuse mon paiement à chaque fois', 'billing.refund', 'regular'),
    ('de', 'zahlung per PayPal bricht immer wieder mit Fehler ab', 'billing.refund', 'regular'),
    ('pl', 'płatność kartą przez stripe nie przechodzi, 3DS wywala błąd', 'billing.refund', 'regular'),
    ('fr', 'si mon VPS plante, je vous envoie quoi comme infos ?', 'faq.incident_info', None),
    ('de', 'welche Infos braucht ihr, wenn mein Server ausfällt?', 'faq.incident_info', None),
    ('pl', 'jakie info mam podać, jak serwer padnie?', 'faq.incident_info', None),
    ('es', '¿qué info necesitáis si se cae mi servidor?', 'faq.incident_info', None),
    ('en', 'what info do you guys need if my server crashes at night?', 'faq.incident_info', None),
    ('en', 'could you waive the setup fee for our three new servers?', 'billing.credit', 'regular'),
    ('fr', 'pouvez-vous annuler les frais de retard sur ma dernière facture ?', 'billing.credit', 'regular'),
    ('de', 'könnt ihr mir die Mahngebühr erlassen?', 'billing.credit', 'regular'),
    ('pl', 'czy możecie umorzyć opłatę za opóźnienie?', 'billing.credit', 'regular'),
    ('es', '¿podéis condonar el recargo por demora de este mes?', 'billing.credit', 'regular'),
    ('de', 'die Schreibrate liegt nur noch bei 20 MB/s statt der üblichen 200', 'tech.performance', 'regular'),
    ('en', 'write speed dropped to 10 MB/s instead of the usual 300', 'tech.performance', 'regular'),
    ('fr', "la vitesse d'écriture est tombée à 20 Mo/s au lieu des 200 habituels", 'tech.performance', 'regular'),
    ('es', 'la velocidad de escritura ha bajado a 20 MB/s', 'tech.performance', 'regular'),
    ('pl', 'prędkość zapisu na dysku spadła do 20 MB/s', 'tech.performance', 'regular'),
    ('pl', 'packet loss ok 15% do waszej sieci od godziny', 'tech.performance', 'regular'),
    ('es', 'necesitaríamos un presupuesto para 5 servidores con 64 GB de RAM y discos NVMe', 'other', 'regular'),
    ('en', 'can I move my services to another account? we are merging two companies', 'other', 'regular'),
    ('fr', 'je voudrais transférer mes services vers un autre compte client', 'other', 'regular'),
    ('de', 'können wir unsere Server auf ein anderes Kundenkonto übertragen?', 'other', 'regular'),
    ('pl', 'chcę przenieść usługi na inne konto klienta', 'other', 'regular'),
    ('en', 'please send us a quote for 4 dedicated servers with 128GB RAM and 2 NVMe disks each', 'other', 'regular'),
    ('fr', 'pourriez-vous nous faire un devis pour 3 serveurs avec 64 Go de RAM et des disques SSD ?', 'other', 'regular'),
    ('es', 'el VPS dejó de responder hace un rato y la web está fuera de línea', 'tech.outage', 'high'),
    ('en', 'server completely dead, IPMI says PSU failure', 'tech.hardware', 'high'),
    ('fr', "le serveur est HS, l'IPMI signale une panne d'alimentation", 'tech.hardware', 'high'),
    ('pl', 'serwer leży, padł zasilacz', 'tech.hardware', 'high'),
    ('es', 'el servidor está caído, la fuente de alimentación ha fallado', 'tech.hardware', 'high'),
    ('en', 'the KVM is down but the server itself is fine', 'tech.hardware', 'regular'),
    ('de', 'das IPMI ist down, der Server läuft normal', 'tech.hardware', 'regular'),
    ('pl', 'konsola IPMI leży, serwer działa normalnie', 'tech.hardware', 'regular'),
    ('es', 'la consola IPMI no va, el servidor funciona bien', 'tech.hardware', 'regular'),
    ('fr', 'la console KVM ne fonctionne plus, le serveur tourne normalement', 'tech.hardware', 'regular'),
    ('en', 'mdadm says sdb failed, please swap the drive, no need to power down', 'tech.hardware', 'regular'),
    ('es', 'necesito acceso KVM a mi dedicado, no arranca tras actualizar el kernel', 'tech.hardware', 'high'),
    ('en', 'paid the invoice on friday but the VPS was suspended for non-payment, all our sites are completely down', 'billing.charge', 'high'),
]


@pytest.mark.parametrize(("lang", "text", "intent", "priority"), FAMILIES)
def test_families_after_the_blind_set(analyzer: Analyzer, lang: str, text: str, intent: str,
                                      priority: str | None) -> None:
    analysis = analyzer.analyze(text, channel="chat", now=NOW)
    assert (analysis.lang, analysis.intent, analysis.route.priority) == (lang, intent, priority)


# --- After the first measurement of tests/understanding/data/holdout5.jsonl: chat shorthand, Spanish
# pronouns on infinitives, price questions, setup at delivery, "someone real" (each failed before) --

@pytest.mark.parametrize(("lang", "text", "intent"), [
    ("fr", "c possible de parler a qqn de vrai ?", "human"),
    ("de", "kann ich mit jemand echtem reden?", "human"),
    ("pl", "chcę pogadać z prawdziwą osobą", "human"),
    ("fr", "mdp oublié, le lien de réinit n'arrive pas", "account.access"),
    ("fr", "jai un pb avec mon mdp", "account.access"),
    ("fr", "pk ma demande a ete transferee ?", "faq.escalation"),
    ("es", "podéis instalarme Proxmox en el servidor nuevo?", "tech.config"),
    ("es", "podéis devolvérmelo? no lo he usado", "billing.refund"),
    ("es", "podéis montarme un RAID 10 con los 4 discos al entregar el servidor?", "tech.config"),
    ("en", "can you set up a RAID 10 on the 4 disks on delivery?", "tech.config"),
    ("pl", "ile kosztuje dodatkowe IP?", "other"),
    ("fr", "combien coûte une IP supplémentaire ?", "other"),
    ("de", "was kostet eine zusätzliche IP?", "other"),
    ("es", "cuánto cuesta una IP adicional?", "other"),
])
def test_shorthand_pronouns_prices_and_setup(analyzer: Analyzer, lang: str, text: str, intent: str) -> None:
    analysis = analyzer.analyze(text, channel="chat", now=NOW)
    assert (analysis.lang, analysis.intent) == (lang, intent)



# --- Colloquial phrasings probed after the n-gram model joined (each failed before) ---------------

@pytest.mark.parametrize(("lang", "text", "intent"), [
    ('fr', 'le site met une éternité à charger', 'tech.performance'),
    ('pl', 'serwer chodzi jak żółw', 'tech.performance'),
    ('pl', 'strasznie długo się wszystko ładuje', 'tech.performance'),
    ('es', 'la web va a paso de tortuga', 'tech.performance'),
    ('en', 'pages take forever to load', 'tech.performance'),
    ('fr', "le ventilo fait un bruit d'enfer", 'tech.hardware'),
    ('fr', "je n'arrive plus à me loguer sur le panel", 'account.access'),
    ('fr', 'je veux récupérer mon argent', 'billing.refund'),
    ('pl', 'chcę odzyskać kasę za niewykorzystany miesiąc', 'billing.refund'),
    ('fr', 'le vps est KO', 'tech.outage'),
    ('pl', 'serwer przestał odpowiadać', 'tech.outage'),
    ('pl', 'vps zdechł', 'tech.outage'),
    ('en', "site won't load at all", 'tech.outage'),
    ("en", "server is unresponsive", "tech.outage"),
])
def test_colloquial_phrasings(analyzer: Analyzer, lang: str, text: str, intent: str) -> None:
    analysis = analyzer.analyze(text, channel="chat", now=NOW)
    assert (analysis.lang, analysis.intent) == (lang, intent)
