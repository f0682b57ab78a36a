"""Vocabulary of times in the five languages, on accent-free lower-case text (normalize.fold).

Kept apart from start_time.py so that a native speaker can review and extend the words without
reading the parser.
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import timedelta, timezone, tzinfo
from zoneinfo import ZoneInfo

PARIS = ZoneInfo("Europe/Paris")


def _alternation(words: Iterable[str], space: str = " ") -> str:
    """The words as one regex alternation, longest first, each literal but for its spaces (written
    `space`). Grouped by first letter ("d(?:wadziescia|wie|wa|os)|t(?:rois|wo)|..."): the regex engine
    then tests a position against the few first letters instead of every word. It matches exactly
    what "|".join of the words does: at a given position only the words starting with the letter
    there can match, and those are still tried in the same order."""
    groups: dict[str, list[str]] = {}
    for word in sorted(words, key=len, reverse=True):
        groups.setdefault(word[0], []).append(re.escape(word[1:]).replace(r"\ ", space))
    return "|".join(re.escape(first) + (f"(?:{'|'.join(rests)})" if rests != [""] else "")
                    for first, rests in groups.items())

# --- Zones -----------------------------------------------------------------------------------------
# Places a customer names a clock by ("hora de Ciudad de México", "heure de Montréal", "London time",
# "New Yorker Zeit", "czasu londyńskiego"), folded, in the five languages. Each line: IANA zone, then
# the place's names (as they follow "heure de", "hora de", "time in", "czasu …" or precede "time",
# "Zeit"), separated by "|".
_PLACES = """
Europe/Paris: paris | france | francaise | francais | french | franzosischer | frankreich | francji | francuskiego | francia | franca
Europe/Brussels: bruxelles | brussels | bruselas | brussel | brukseli | belgique | belgium | belgica | belgien | belgijskiego | belge
Europe/Luxembourg: luxembourg | luxemburgo | luxemburg | luksemburga
Europe/Zurich: geneve | suisse | zurich | zuerich | zurcher | schweizer | schweiz | switzerland | swiss | szwajcarskiego | suiza | ginebra
Europe/Madrid: madrid | madrider | espagne | spain | spanish | espana | espanola | peninsular | peninsula | spanien | spanischer | hiszpanskiego | hiszpanii | barcelona
Atlantic/Canary: canarias | canaria | canarias | canary | canary islands | canaries | kanaren | kanarischer | kanaryjskiego | las palmas | tenerife
Europe/Lisbon: lisbonne | lisbon | lisboa | lissabon | lissabonner | lizbony | lizbonskiego | portugal | portugaise | portuguese | portuguesa | portugiesischer | portugalskiego | portugalii
Europe/London: london | londres | londyn | londynu | londynskiego | londoner | uk | royaume-uni | reino unido | angleterre | anglaise | inglesa | british | britannique | britanica | britischer | englischer | brytyjskiego | angielskiego | england | english
Europe/Dublin: dublin | dublina | dublinskiego | irlande | ireland | irish | irlanda | irlandesa | irischer | irlandzkiego | irlandaise
Europe/Berlin: berlin | berliner | allemagne | allemande | germany | german | alemania | alemana | deutscher | deutsche | deutschland | niemieckiego | niemiec | berlina
Europe/Vienna: vienne | vienna | viena | wien | wiener | wiednia | wiedenskiego | autriche | austria | osterreichischer | osterreich | austriackiego
Europe/Amsterdam: amsterdam | amsterdamer | amsterdamu | pays-bas | netherlands | holanda | niederlande | niederlandischer | holenderskiego | dutch
Europe/Rome: rome | roma | rom | rzymu | italie | italy | italia | italienischer | wloskiego | italian | italienne | italiana
Europe/Warsaw: varsovie | warsaw | varsovia | warschau | warschauer | warszawa | warszawy | warszawskiego | pologne | poland | polonia | polen | polnischer | polskiego | polski | polish | polonaise | polaca
Europe/Prague: prague | praga | prag | pragi | praskiego | czech | tcheque | czeskiego | tschechischer
Europe/Athens: athenes | athens | atenas | athen | aten | aten | aten | ateny | aten | atenskiego | grece | greece | grecia | griechenland | griechischer | greckiego | greek | grecque | griega
Europe/Helsinki: helsinki | finlande | finland | finlandia | finnischer | finskiego
Europe/Bucharest: bucarest | bucharest | bukarest | bukaresztu | roumanie | romania | rumania | rumanien | rumanischer | rumunskiego
Europe/Sofia: sofia | sofii | bulgarie | bulgaria | bulgarien | bulgarischer | bulgarskiego
Europe/Kyiv: kiev | kyiv | kiew | kijow | kijowa | kijowskiego | kiewer | ukraine | ucrania | ukrainy | ukrainskiego | ukrainischer | ukrainian | ukrainienne | ucraniana
Europe/Istanbul: istanbul | estambul | stambul | stambulskiego | turquie | turkey | turquia | turkei | turkischer | tureckiego | turkish | turque | turca
Europe/Moscow: moscou | moscow | moscu | moskau | moskauer | moskwa | moskwy | moskiewskiego | russie | russia | rusia | russland | russischer | rosyjskiego | russian | russe | rusa
Africa/Casablanca: casablanca | maroc | morocco | marruecos | marokko | marokanischer | marokanskiego | marocaine | marroqui
Africa/Tunis: tunis | tunisie | tunisia | tunez | tunesien | tunezji
Africa/Algiers: alger | algiers | argel | algier | algerie | algeria | algerien | algierii
Africa/Dakar: dakar | senegal | senegalaise
Africa/Abidjan: abidjan | cote d'ivoire | ivory coast
Africa/Johannesburg: johannesburg | afrique du sud | south africa | sudafrica | sudafrika | rpa
Asia/Dubai: dubai | dubaj | dubaju | emirats | emirates | emiratos | emirate
Asia/Jerusalem: jerusalem | tel aviv | israel | izrael | izraela
Asia/Kolkata: inde | india | indien | indii | indyjskiego | mumbai | bombay | delhi | bangalore
Asia/Bangkok: bangkok | thailande | thailand | tailandia
Asia/Singapore: singapour | singapore | singapur | singapuru
Asia/Hong_Kong: hong kong | hongkong
Asia/Shanghai: chine | china | chinas | chinesischer | chinskiego | pekin | beijing | peking | shanghai | szanghaju | chinese
Asia/Tokyo: tokyo | tokio | tokio | japon | japan | japonia | japonii | japonskiego | japanischer | japanese | japonaise | japonesa
Asia/Seoul: seoul | seul | coree | korea | corea
Australia/Sydney: sydney | sidney | sydnej | melbourne
Australia/Perth: perth
Pacific/Auckland: auckland | nouvelle-zelande | new zealand | nueva zelanda | neuseeland
Indian/Reunion: la reunion | reunion | reunionnaise
Indian/Mayotte: mayotte
America/Martinique: martinique | antilles | antillaise | guadeloupe
America/Cayenne: guyane | cayenne
Pacific/Noumea: noumea | nouvelle-caledonie | caledonie
Pacific/Tahiti: tahiti | polynesie | papeete
America/Toronto: montreal | quebec | quebecoise | toronto | ottawa | ontario
America/Vancouver: vancouver | colombie-britannique | british columbia
America/Halifax: halifax
America/New_York: new york | nueva york | nowy jork | nowego jorku | nowojorskiego | new yorker | new-york | eastern | us eastern | east coast | costa este | boston | miami | washington | atlanta | wschodniego
America/Chicago: chicago | central | us central | dallas | houston
America/Denver: denver | mountain | us mountain
America/Phoenix: phoenix | arizona
America/Los_Angeles: los angeles | los-angeles | san francisco | seattle | pacific | us pacific | west coast | costa oeste | kalifornien | california | californie | kalifornii | pacifico
Pacific/Honolulu: hawaii | honolulu
America/Mexico_City: ciudad de mexico | mexico city | mexico | cdmx | df | mexique | mexiko | meksyku | meksyk | mexicana | mexicano | guadalajara | monterrey | del centro | centro de mexico
America/Cancun: cancun | quintana roo
America/Tijuana: tijuana
America/Guatemala: guatemala
America/El_Salvador: el salvador | san salvador
America/Tegucigalpa: honduras | tegucigalpa
America/Managua: nicaragua | managua
America/Costa_Rica: costa rica | san jose de costa rica
America/Panama: panama
America/Havana: cuba | la habana | havana
America/Santo_Domingo: republica dominicana | santo domingo | dominican republic
America/Puerto_Rico: puerto rico | san juan
America/Bogota: bogota | colombia | colombiana | colombiano | kolumbien | kolumbii | medellin | cali
America/Caracas: caracas | venezuela | venezolana | venezolano
America/Guayaquil: ecuador | guayaquil | quito
America/Lima: lima | peru | peruana | peruano
America/La_Paz: bolivia | la paz
America/Santiago: santiago de chile | santiago | chile | chilena | chileno | chili
America/Argentina/Buenos_Aires: buenos aires | argentina | argentine | argentino | argentinien | argentyny | argentynskiego
America/Montevideo: montevideo | uruguay | uruguaya | uruguayo | urugwaju
America/Asuncion: asuncion | paraguay
America/Sao_Paulo: sao paulo | brasil | brazil | bresil | brasilien | brazylii | brasilia | rio de janeiro | rio
"""
_ZONE_BY_PLACE: dict[str, tzinfo] = {}
for _line in _PLACES.strip().splitlines():
    _zone_name, _, _names = _line.partition(":")
    for _name in _names.split("|"):
        _ZONE_BY_PLACE.setdefault(_name.strip(), ZoneInfo(_zone_name.strip()))
_PLACE_RE = _alternation(_ZONE_BY_PLACE, space=r"\s")
# "heure de Montréal", "hora de Ciudad de México", "hora del centro", "czasu londyńskiego", "time in London"
_ZONE_BEFORE_PLACE = re.compile(
    r"\b(?:hora|horario|heure|heures|time|zeit|czasu|czas|ortszeit)\s(?:(?:de|du|des|d'|of|in|en|del|w|von|in)\s?)?"
    rf"(?:(?:la|el|l')\s?)?({_PLACE_RE})\b")
# "London time", "New Yorker Zeit", "Moskauer Zeit", "Pacific time"
_ZONE_AFTER_PLACE = re.compile(rf"\b({_PLACE_RE})(?:\s|-)(?:time|zeit|ortszeit|local time|standard time)\b")

# Phrases that name the Paris clock without a place (and the MEZ/MESZ words).
_PARIS_PHRASES = re.compile(
    r"\b(?:mesz|mez|heure locale francaise|heure normale d'europe centrale|czasu srodkowoeuropejskiego|"
    r"czas srodkowoeuropejski|mitteleuropaischer zeit|mitteleuropaische zeit|central european time|"
    r"hora central europea|heure d'europe centrale)\b")
_OTHER_PHRASES: list[tuple[re.Pattern[str], tzinfo]] = [(re.compile(p), z) for p, z in [
    (r"\b(?:oez|oesz|osteuropaischer zeit|osteuropaische zeit|eastern european time|czasu wschodnioeuropejskiego|"
     r"heure d'europe de l'est|hora de europa del este)\b", ZoneInfo("Europe/Athens")),
    (r"\b(?:wez|wesz|westeuropaischer zeit|westeuropaische zeit|western european time|czasu zachodnioeuropejskiego|"
     r"heure d'europe de l'ouest|hora de europa occidental)\b", ZoneInfo("Europe/Lisbon")),
    (r"\b(?:czasu uniwersalnego|czas uniwersalny|temps universel|tiempo universal|weltzeit|koordinierter weltzeit)\b",
     timezone.utc),
]]


# Any of the phrase patterns below, in one scan: most texts name no zone, and then that is all it costs.
_ANY_ZONE_PHRASE = re.compile("|".join(f"(?:{pattern.pattern})" for pattern in (
    _ZONE_BEFORE_PLACE, _ZONE_AFTER_PLACE, _PARIS_PHRASES, *(pattern for pattern, _ in _OTHER_PHRASES))))


def zone_phrases(folded: str) -> list[tuple[int, tzinfo]]:
    """Every zone named by a phrase in the folded text, with its position."""
    found: list[tuple[int, tzinfo]] = []
    if not _ANY_ZONE_PHRASE.search(folded):
        return found
    for m in _ZONE_BEFORE_PLACE.finditer(folded):
        found.append((m.start(), _ZONE_BY_PLACE[_WS.sub(" ", m.group(1))]))
    for m in _ZONE_AFTER_PLACE.finditer(folded):
        found.append((m.start(), _ZONE_BY_PLACE[_WS.sub(" ", m.group(1))]))
    for m in _PARIS_PHRASES.finditer(folded):
        found.append((m.start(), PARIS))
    for pattern, zone in _OTHER_PHRASES:
        for m in pattern.finditer(folded):
            found.append((m.start(), zone))
    return found


_WS = re.compile(r"\s+")

# Abbreviations that are also words ("est", "cet", "west") count in capitals or right after a time.
# "CET"/"MEZ"/"CEST"/"MESZ" are read as the Paris clock: customers write "CET" all year round and
# mean the local time they see, not +01:00 in summer. EST/PST and the like are fixed offsets.
_ABBREVIATIONS: dict[str, tzinfo] = {
    "CET": PARIS, "CEST": PARIS, "MEZ": PARIS, "MESZ": PARIS, "BST": ZoneInfo("Europe/London"),
    "WET": ZoneInfo("Europe/Lisbon"), "WEST": ZoneInfo("Europe/Lisbon"), "WEZ": ZoneInfo("Europe/Lisbon"),
    "WESZ": ZoneInfo("Europe/Lisbon"), "EET": ZoneInfo("Europe/Athens"), "EEST": ZoneInfo("Europe/Athens"),
    "OEZ": ZoneInfo("Europe/Athens"), "OESZ": ZoneInfo("Europe/Athens"), "MSK": ZoneInfo("Europe/Moscow"),
    "EST": timezone(timedelta(hours=-5)), "EDT": timezone(timedelta(hours=-4)),
    "CST": timezone(timedelta(hours=-6)), "CDT": timezone(timedelta(hours=-5)),
    "MST": timezone(timedelta(hours=-7)), "MDT": timezone(timedelta(hours=-6)),
    "PST": timezone(timedelta(hours=-8)), "PDT": timezone(timedelta(hours=-7)),
    "JST": timezone(timedelta(hours=9)), "SGT": timezone(timedelta(hours=8)), "HKT": timezone(timedelta(hours=8)),
    "AEST": timezone(timedelta(hours=10)), "AEDT": timezone(timedelta(hours=11)),
}
# Two letters are read only in capitals right after a time ("9am ET", "14:00 PT"): "9h et demie" is French.
_US_LOCAL: dict[str, tzinfo] = {"ET": ZoneInfo("America/New_York"), "CT": ZoneInfo("America/Chicago"),
                                "MT": ZoneInfo("America/Denver"), "PT": ZoneInfo("America/Los_Angeles")}
# In lower case only right after a clock time ("14:05 cet", "9h cest", "3pm est"): "46.105.33.201 est
# injoignable" is French, not Eastern time.
ABBREVIATION = re.compile(r"\b(" + "|".join(_ABBREVIATIONS) + r")\b"
                          r"|(?:(?<=:\d\d)|(?<=h\d\d)|(?<=\dh)|(?<=am)|(?<=pm)|(?<=uhr))\s?\(?("
                          + "|".join(_ABBREVIATIONS).lower() + r")\b"
                          r"|(?:(?<=\d)|(?<=[ap]m)|(?<=[AP]M)|(?<=[ap]\.m\.)|(?<=[AP]\.M\.))\s?\(?(ET|CT|MT|PT)\b")


def abbreviation_zone(name: str) -> tzinfo:
    return _US_LOCAL.get(name) or _ABBREVIATIONS[name.upper()]


# "UTC", "GMT", "UTC+2", "GMT-03:00", "UTC−3" (a minus sign or a dash), "Z" after a clock time.
OFFSET_ZONE = re.compile(r"\b(?:utc|gmt)\s?(?:([+\-\u2212\u2013])\s?(\d{1,2})(?::?(\d{2}))?)?(?![\w+-])|(?<=\d)z\b")

# --- Numbers and units -----------------------------------------------------------------------------
_NUMBER_WORDS = {
    1: "one a an une un una uno jedna jedną jeden jedno jednej eine einer einem ein ner 'ner",
    2: "two deux dwie dwa dwoch dwu dos zwei zwo",
    3: "three trois trzy trzech tres drei",
    4: "four quatre cztery czterech cuatro vier",
    5: "five cinq piec pieciu cinco funf",
    6: "six szesc szesciu seis sechs",
    7: "seven sept siedem siedmiu siete sieben",
    8: "eight huit osiem osmiu ocho acht",
    9: "nine neuf dziewiec dziewieciu nueve neun",
    10: "ten dix dziesiec dziesieciu diez zehn",
    12: "twelve douze dwanascie dwunastu doce zwolf",
    15: "fifteen quinze pietnascie pietnastu quince funfzehn",
    20: "twenty vingt dwadziescia dwudziestu veinte zwanzig",
    25: "twenty-five twenty five vingt-cinq vingt cinq dwadziescia piec dwudziestu pieciu veinticinco funfundzwanzig",
    30: "thirty trente trzydziesci trzydziestu treinta dreissig",
    40: "forty quarante czterdziesci czterdziestu cuarenta vierzig",
    45: "forty-five forty five quarante-cinq quarante cinq czterdziesci piec czterdziestu pieciu cuarenta y cinco "
        "funfundvierzig",
    50: "fifty cinquante piecdziesiat piecdziesieciu cincuenta funfzig",
}
NUMBER_WORDS: dict[str, int] = {}
# multi-word numbers keep their space ("vingt cinq"); everything else is one word
_MULTI = ("twenty five", "vingt cinq", "dwadziescia piec", "dwudziestu pieciu", "forty five", "quarante cinq",
          "czterdziesci piec", "czterdziestu pieciu", "cuarenta y cinco")
for _n, _blob in _NUMBER_WORDS.items():
    for _m in _MULTI:
        if _m in _blob:
            NUMBER_WORDS[_m] = _n
            _blob = _blob.replace(_m, " ")
    for _w in _blob.split():
        NUMBER_WORDS[_w] = _n
NUMBER_WORD_RE = _alternation(NUMBER_WORDS)

# unit word -> minutes
UNIT_MINUTES: dict[str, int] = {}
for _minutes, _blob in {
    1: "min mins minute minutes minuta minuty minut minutami minutek minutos minuto minuten",
    60: "h hr hrs hour hours heure heures godzina godzine godziny godzin godzinami godzinke godzinki godz hora horas "
        "std stunde stunden stund",
    1440: "day days jour jours dzien dnia dni dia dias tag tage tagen",
}.items():
    for _w in _blob.split():
        UNIT_MINUTES[_w] = _minutes
UNIT_RE = "|".join(sorted(UNIT_MINUTES, key=len, reverse=True))

# Durations written as fractions or without a number, in minutes ("une demi-heure", "kwadrans",
# "anderthalb Stunden", "hora y media", "an hour and a half").
FRACTIONS: list[tuple[re.Pattern[str], int]] = [(re.compile(p), minutes) for p, minutes in [
    (r"\b(?:une heure et demie?|1 ?h(?:eure)? et demie?|poltorej godziny|poltora godziny|poltorej h|"
     r"anderthalb stunden|eineinhalb stunden|einer stunde und einer halben|"
     r"(?:una )?hora y media|an hour and a half|one and a half hours|one hour and a half|"
     r"1[.,]5 ?(?:h|hr|hrs|hours|heures?|godz\w*|stunden|std|horas?))\b", 90),
    (r"\b(?:trois quarts? d'heure|trzy kwadranse|dreiviertelstunde|einer dreiviertel stunde|"
     r"eine dreiviertel stunde|dreiviertel stunde|tres cuartos de hora|three quarters of an hour)\b", 45),
    (r"\b(?:half an hour|a half hour|half hour|une demi-heure|une demi heure|demi-heure|pol godziny|pol godzinki|"
     r"polgodziny|media hora|einer halben stunde|eine halbe stunde|ner halben stunde|halben stunde|halbe stunde)\b",
     30),
    (r"\b(?:un quart d'heure|quart d'heure|kwadrans|kwadransa|kwadransem|einer viertelstunde|eine viertelstunde|"
     r"ner viertelstunde|viertelstunde|viertel stunde|(?:un )?cuarto de hora|a quarter of an hour|"
     r"quarter of an hour|a quarter hour)\b", 15),
]]
HALF_UNIT = FRACTIONS[2][0]  # kept for callers of the former name
# Any of the fractions, in one scan: most texts have none, and then the four scans are not needed.
ANY_FRACTION = re.compile("|".join(f"(?:{pattern.pattern})" for pattern, _ in FRACTIONS))
# "od godziny" (for an hour), "for the past hour": a unit without a number is one of it; never before
# a number ("od godziny 9" is a clock time).
IMPLIED_ONE = re.compile(
    r"\b(?:od|juz od|od okolo|przez|for the (?:last|past)|in the (?:last|past)|over the (?:last|past)|"
    r"during the (?:last|past)|within the (?:last|past))\s(godziny|godzinki|godzine|doby|minuty|hour|day|minute)\b"
    r"(?!\s?\.?\s?\d)")
IMPLIED_ONE_MINUTES = {"godziny": 60, "godzinki": 60, "godzine": 60, "doby": 1440, "minuty": 1, "hour": 60,
                       "day": 1440, "minute": 1}

# Words that make a duration or a clock time the start of the problem.
SINCE = (r"depuis|des|a partir de|il y a|ca fait|cela fait|voila|deja|od|od okolo|przez|juz od|juz|desde(?: hace)?|"
         r"hace|lleva|llevamos|llevan|van|ya van|son ya|seit|vor|ab|schon|bereits|since|for(?: the (?:last|past))?|"
         r"in the (?:last|past)|from|started at|starting at|it s been|its been|it has been")
# Approximations between a "since" word and the number ("od jakichś 20 minut", "seit ungefähr 20 Minuten").
APPROX = (r"about|environ|around|circa|ca\.|ca|okolo|ok\.|ok|prawie|unos|unas|etwa|ungefahr|rund|knapp|gut|"
          r"plus de|over|more than|ponad|mas de|uber|presque|almost|casi|fast|juste|just|already|deja|ya|schon|"
          r"juz|asi|so|tak|comme ca|jakies|jakichs|jakiejs|jakis|mniej wiecej|gdzies|z|roughly|approximately|"
          r"approx\.?|some|nearly|like|a peu pres|pres de|a peine|cerca de|alrededor de|aproximadamente|"
          r"mas o menos|unos|unas|eine|einer|grob|zirka|cirka|~")
AGO_AFTER = r"ago|temu|plus tot|her"

# Things counted with a number that is therefore not a clock hour ("around 8 machines", "depuis 3
# serveurs", "seit 3 Jahren", "o 5 serwerów").
COUNTED = (r"machines?|maschinen|maquinas?|maszyn\w*|servers?|serveurs?|servidor(?:es)?|serwer\w*|server|vms?|vps|"
           r"instances?|instanzen|instancias?|instancj\w*|users?|utilisateurs?|usuarios?|nutzer\w*|uzytkownik\w*|"
           r"clients?|clientes?|kunden|klient\w*|sites?|seiten|sitios?|webs?|stron\w*|ips?|adress\w*|addresses|"
           r"direcciones|domains?|domaines?|dominios?|domen\w*|disks?|disques?|discos?|dysk\w*|platten|festplatten|"
           r"drives?|cores?|coeurs|nucleos|rdzen\w*|kerne|cpus?|vcpus?|months?|mois|monate?n?|meses|miesi\w*|"
           r"years?|ans|annees|anos|jahre?n?|lat|lata|weeks?|semaines?|semanas?|wochen?|tygodni\w*|fois|times|"
           r"veces|razy|mal|euros?|eur|dollars?|usd|zl\w*|pln|go|gb|tb|mb|gbit|mbit|tickets?|factures?|invoices?|"
           r"facturas?|rechnung\w*|faktur\w*|mails?|e-mails?|emails?|correos?|personnes?|people|personas|osob\w*|"
           r"leute|mitarbeiter\w*|employees?|salaries|empleados|pracownik\w*|ports?|puertos?|porty?|portow|"
           r"databases?|bases?|datenbank\w*|baz\w*|x")

# --- Clock hours written in words --------------------------------------------------------------------
# Rewritten to digits before parsing, only where a clock preposition or word makes them a time
# ("seit halb neun", "desde las nueve", "od dziewiątej", "since nine", "à huit heures").
_HOURS = {
    "en": "one two three four five six seven eight nine ten eleven twelve",
    "de": "eins zwei drei vier funf sechs sieben acht neun zehn elf zwolf",
    "fr": "une deux trois quatre cinq six sept huit neuf dix onze douze treize quatorze quinze seize dix-sept "
          "dix-huit dix-neuf vingt",
    "es": "una dos tres cuatro cinco seis siete ocho nueve diez once doce",
    # Polish says the hour with a feminine ordinal (godzina dziewiąta): nominative/accusative "-a",
    # genitive/locative "-ej" ("od dziewiątej", "o ósmej", "przed dwunastą")
    "pl": "pierwsz drug trzeci czwart piat szost siodm osm dziewiat dziesiat jedenast dwunast trzynast czternast "
          "pietnast szesnast siedemnast osiemnast dziewietnast dwudziest",
}


def _hour_table() -> dict[str, dict[str, int]]:
    table: dict[str, dict[str, int]] = {lang: {} for lang in _HOURS}
    for lang, blob in _HOURS.items():
        for hour, word in enumerate(blob.split(), start=1):
            if lang == "pl":
                table[lang][word + ("iej" if word == "drug" else "ej")] = hour
                table[lang][word + "a"] = hour
            else:
                table[lang][word] = hour
    table["fr"].update({"vingt et une": 21, "vingt-deux": 22, "vingt-trois": 23, "vingt deux": 22, "vingt trois": 23})
    for twenty in ("dwudziestej", "dwudziesta"):
        for word, hour in (("pierwszej", 21), ("pierwsza", 21), ("drugiej", 22), ("druga", 22), ("trzeciej", 23),
                           ("trzecia", 23)):
            table["pl"][f"{twenty} {word}"] = hour
    table["es"]["la una"] = 1
    return table


HOUR_WORDS = _hour_table()


# what may follow an English hour word for it to be a time ("since nine this morning", "at ten, ...")
_EN_FOLLOW = (r"(?=\s*(?:$|[,.;:!?)(]|-\s|(?:o'?clock|am|pm|a\.m|p\.m|this|today|yesterday|tonight|last|in the|and|"
              r"or|utc|gmt|cet|cest|bst|est|pst|london|warsaw|paris|uk|local|sharp|when|our|my|the|it|everything|"
              r"nothing|we|i)\b))")
_WORD_CLOCK = [
    re.compile(rf"\b(since|at|from|around|about|till|until|by|before|after|half past|quarter past|quarter to)\s"
               rf"({_alternation({k: v for k, v in HOUR_WORDS['en'].items() if k != 'one'})})\b{_EN_FOLLOW}"),
    re.compile(rf"\b(seit|um|ab|gegen|bis|nach|vor|halb|viertel nach|viertel vor|dreiviertel|kurz nach|kurz vor)\s"
               rf"({_alternation(HOUR_WORDS['de'])})\b(?!\s(?:{COUNTED})\b|-)"),
    re.compile(rf"\b(las|a la)\s({_alternation(HOUR_WORDS['es'])})\b(?!\s(?:{COUNTED})\b)"),
    re.compile(rf"\b(od|o|okolo|po|przed|do|wpol do|za kwadrans|kwadrans po|od godziny|o godzinie|od godz\.?)\s"
               rf"({_alternation(HOUR_WORDS['pl'])})\b(?!\s(?:{COUNTED})\b)"),
    # a number word that a clock word follows: "huit heures", "nine o'clock", "neun Uhr"
    re.compile(rf"()\b({_alternation({**HOUR_WORDS['en'], **HOUR_WORDS['de'], **HOUR_WORDS['fr']})})"
               r"(?=\s(?:o'?clock|uhr|heures?|h\b|am\b|pm\b))"),
]
_ALL_HOURS = {w: h for table in HOUR_WORDS.values() for w, h in table.items()}


def hour_words_to_digits(folded: str) -> str:
    """"seit halb neun" -> "seit halb 9", "od dziewiatej" -> "od 9", "huit heures" -> "8 heures"."""
    def repl(m: re.Match[str]) -> str:
        return f"{m.group(1)} {_ALL_HOURS[m.group(2)]}" if m.group(1) else str(_ALL_HOURS[m.group(2)])
    for pattern in _WORD_CLOCK:
        folded = pattern.sub(repl, folded)
    return folded


# --- Days --------------------------------------------------------------------------------------------
# day words -> day offset relative to today
DAY_WORDS: list[tuple[re.Pattern[str], int]] = [(re.compile(p), d) for p, d in [
    (r"\b(?:avant-hier|avant hier|przedwczoraj|anteayer|antes de ayer|antier|vorgestern|day before yesterday)\b", -2),
    (r"\b(?:yesterday|wczoraj|wczorajsz\w*|ayer|gestern|hier soir|hier matin|hier apres-midi|hier midi|"
     r"depuis hier|hier a|hier vers|hier des|hier entre|hier aux?)\b", -1),
    (r"\b(?:today|this morning|this afternoon|this evening|tonight|aujourd'hui|aujourdhui|ce matin|cet apres-midi|"
     r"ce soir|ce midi|dzis|dzisiaj|dzisiejsz\w*|hoy|esta manana|esta tarde|esta madrugada|esta noche|"
     r"heute|heute fruh|heute morgen|heute mittag)\b", 0),
]]
# Named weekdays (the most recent one that is not in the future: "seit Montag 10 Uhr", "depuis lundi 10h",
# "od poniedziałku", "desde el lunes", "since Monday"); inflected Polish forms included.
_WEEKDAYS = [
    "lundi monday lunes montag montags poniedzialek poniedzialku poniedzialkowy",
    "mardi tuesday martes dienstag wtorek wtorku",
    "mercredi wednesday miercoles mittwoch sroda srody srode",
    "jeudi thursday jueves donnerstag czwartek czwartku",
    "vendredi friday viernes freitag piatek piatku",
    "samedi saturday sabado samstag sobota soboty sobote",
    "dimanche sunday domingo sonntag niedziela niedzieli niedziele",
]
WEEKDAY: dict[str, int] = {w: i for i, blob in enumerate(_WEEKDAYS) for w in blob.split()}
WEEKDAY_RE = re.compile(r"\b(" + "|".join(sorted(WEEKDAY, key=len, reverse=True)) + r")\b")
# A time about the future is not when a problem started ("demain à 10h", "zaplanować na sobotę po 22:00",
# "next Monday at 9", "morgen um 10 Uhr", "mañana a las 10").
FUTURE = re.compile(
    r"\b(?:tomorrow|demain|jutro|pojutrze|(?<!esta )(?<!la )(?<!de )(?<!por )(?<!cada )manana (?:a|por|sobre|desde)|"
    r"pasado manana|ubermorgen|"
    r"morgen (?:um|ab|fruh|gegen|vormittag|nachmittag|abend)|next|prochaine?s?|nachste[nmrs]?|kommende[nmrs]?|"
    r"proxim[oa]s?|przyszl\w*|nastepn\w*|schedule[ds]?|scheduling|plan(?:ned|ning)? (?:for|it)|planifi\w*|"
    r"programm\w*|zaplanow\w*|umowic\w*|einplanen|planen|programar|programad\w*|agendar|vereinbaren|"
    r"na (?:poniedzialek|wtorek|srode|czwartek|piatek|sobote|niedziele|jutro)|pour (?:demain|lundi|mardi|mercredi|"
    r"jeudi|vendredi|samedi|dimanche)|para (?:manana|el lunes|el martes|el miercoles|el jueves|el viernes|"
    r"el sabado|el domingo)|fur (?:montag|dienstag|mittwoch|donnerstag|freitag|samstag|sonntag|morgen))\b")
# "last night": the evening before, or the small hours of today ("la nuit dernière vers 3h").
NIGHT_BEFORE = re.compile(r"\b(?:last night|la nuit derniere|cette nuit|anoche|esta noche|wczoraj w nocy|"
                          r"dzis w nocy|dzisiaj w nocy|w nocy|letzte nacht|gestern nacht|heute nacht|overnight)\b")
FRENCH_HIER = re.compile(r"\bhier\b")

# part of day -> how to read an hour 1-11 ("pm": add 12; "night": add 12 from 6 on)
PART_OF_DAY: list[tuple[re.Pattern[str], str]] = [(re.compile(p), k) for p, k in [
    (r"(?<![a-z])(?:p\.?m\.?|du soir|de l'apres-midi|de l'aprem|ce soir|hier soir|wieczorem|wieczor\w*|po poludniu|"
     r"popoludniu|de la tarde|por la tarde|esta tarde|abends|abend|nachmittags?|in the evening|"
     r"in the afternoon|this afternoon|this evening|tonight|yesterday evening|yesterday afternoon|last evening|"
     r"in the evening|evening)(?!\w)", "pm"),
    (r"\b(?:w nocy|nachts|la nuit|cette nuit|de la nuit|de la noche|por la noche|at night|last night|anoche|"
     r"gestern nacht|letzte nacht|heute nacht)\b", "night"),
]]
# Named times of day after a "since"/"at" word: noon and midnight.
NOON = re.compile(r"\b(?:midi|noon|poludni\w*|mediodia|mittag|mittags)\b")
MIDNIGHT = re.compile(r"\b(?:minuit|midnight|polnocy|polnoc|medianoche|mitternacht)\b")

