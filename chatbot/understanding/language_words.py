"""Word evidence for the five languages: frequent function words, support vocabulary and chat words.

langdetect's character n-grams are weak on 1–4-word chat lines ("hola" comes out Welsh, "danke!"
Danish); a word that only one of the five languages uses is much stronger evidence there. A word
listed under several languages splits its weight between them (see language.py), so shared words
("de", "no", "a", "server") are harmless. Words are stored lower-case with accents; the accent-free
spelling is added automatically because customers often type without accents.
"""
from __future__ import annotations

_FR = """
le la les un une des du de au aux et ou mais donc car ne pas plus je tu il elle nous vous ils elles
on mon ma mes ton ta tes son sa ses notre nos votre vos leur leurs ce cet cette ces ça cela ceci qui
que quoi dont où est sont suis es êtes sommes été être avoir ai as avons avez ont fait faire peux
peut pouvez pouvons veux voudrais voulez dois doit devez avec sans pour par sur dans chez depuis
entre vers très trop aussi encore toujours jamais rien tout tous toute toutes déjà hier demain
aujourd'hui aujourd’hui ce matin soir bonjour bonsoir salut coucou merci beaucoup bonne journée
soirée cordialement oui non d'accord daccord parfait génial besoin aide problème serveur
dédié réseau panne facture remboursement commande lien mot passe compte espace client heure
heures minutes combien quand comment pourquoi quel quelle quels quelles est-ce qu'il qu'on j'ai
c'est n'est s'il plaît svp stp marche fonctionne répond plus ne lent lente depuis hier soir
matin après-midi ticket assistance équipe disque panne accès vous êtes joindre adresse mail
aurevoir revoir bientôt bises voilà ah bah ben oups comment savoir faut il y a-t-il quelqu'un
même rien tout ni aucun aucune encore lors suite selon afin puis puisque quand alors ainsi
a va demande demandé demandée transféré transférée envoyé reçu reçue mes ton ta sa ils elles leurs votre vos avez était site sites erreur erreurs bloqué bloquée impossible vraiment fois tjs jai jsuis pk pb mdp qqn bcp dispo mettre envoyer ouvrir créer changer supprimer possible souci soucis lenteur lenteurs coupure coupé plante injoignable éteint redémarrer redémarrage remboursé payé réglé virement prélèvement
"""

_PL = """
i w z na do że się nie jest są to ten ta te tym tej jak co czy gdzie kiedy dlaczego ile który
która które jaki jaka jakie mój moja moje mojego mojej nasz nasza nasze wasz wasza mam ma mamy
macie mają być był była było jestem jesteś można mogę może możecie proszę prosze dziękuję dziękuje
dzięki dzieki cześć czesc witam witajcie hej siema dzień dobry dobranoc wieczór pozdrawiam poważaniem od
po przez przy dla bez pod nad przed za też także jeszcze już bardzo tylko już wczoraj dzisiaj
dziś jutro rano wieczorem godzina godziny godzin minut serwer serwera serwerze działa działają
nie działa niedostępny niedostępna faktura faktury fakturze zwrot płatność płatności zamówienie
zamówienia konto konta hasło hasła logowanie zalogować pomoc pomocy problem problemem zgłoszenie
zgłoszenia dział działu wsparcie wsparcia czy się siebie który oraz albo lub ale więc bo żeby
jeśli gdy kiedy tak świetnie wielkie wszystkim wszystko wszystkie nic
dysk dysku dyski awaria awarii wolno wolny opóźnienia trwa potrzebuję chciałbym chciałabym
państwa pan pani u mnie mi mnie nam nas was wam ich im jego jej
ktoś coś nic żaden ponad około jakiś jakie jakiej jaką mój twój wasz nasze moim moją swój swoje
teraz zawsze nigdy ciągle znowu nadal wciąż kompletnie całkowicie strasznie bardzo trochę
a ja albo wtedy serwerem serwerów strona strony stronie panel panelu klienta maila maile błąd błędu zrobić zmienić dodać usunąć zamówić trzeba będzie moje twoje prosimy zapłaciłem zapłaciłam opłaciłem przelew przelewem karta kartą
"""

_ES = """
el la los las un una unos unas de del al y o pero que qué no sí se su sus mi mis tu tus nuestro
nuestra nuestros vuestro vuestra es son está están estoy estamos ha he han hemos hay ser estar
tengo tiene tenemos tenéis puedo puede podéis podría podríais quiero necesito para por con sin en
desde hasta sobre entre muy más también todavía ya nunca nada todo todos toda hoy ayer mañana
ahora hola buenas buenos días tardes noches gracias muchas mil saludo saludos atentamente vale
genial perfecto servidor servidores caído caida red lento factura reembolso pedido cuenta
contraseña acceso soporte ayuda problema cuánto cuándo cómo dónde cuál por qué porque hora horas
minutos madrugada desde las lleva funciona responde carga disco discos pago cobro abono os me
le lo les nos este esta estos estas ese esa eso algo alguien algún alguna ningún ninguna qué tal
hasta luego adiós chao solucionado buenas
cuando donde como porque aunque mientras entonces así pues otra otro otros otras vez veces
siempre ahora aquí allí algo nadie mucho mucha muchos poco bien mal ningún lleva llevamos
a va fatal mi tu su ha han sitio web página correo correos error errores bloqueado bloqueada imposible siempre todavía vez porfa podéis puedes pueden necesitamos quería querría hacer poner cambiar abrir crear borrar pagar pagué pagado transferencia tarjeta
"""

_DE = """
der die das den dem des ein eine einen einem einer und oder aber nicht kein keine keinen ist
sind bin bist war waren sein haben habe hat hatte wir ihr sie ich du er es mein meine meinen
meinem unser unsere unseren ihr ihre ihren sie ihnen mit ohne für von zu zum zur bei nach seit
auf aus an in im am um über unter vor hinter sehr auch noch schon immer nie nichts alles heute
gestern morgen jetzt hallo guten tag abend moin servus danke dankeschön vielen dank bitte
freundliche freundlichen grüße gruß grüssen gruss tschüss wiedersehen prima klar alles
server netzwerk langsam rechnung erstattung bestellung konto passwort zugang kundenkonto hilfe
problem wie wann wo warum welche welcher welches wieviel wie lange uhr stunden minuten funktioniert
geht erreichbar ausgefallen festplatte kann können könnten möchte möchten würde muss müssen
soll sollte dass wenn weil damit doch mal ja nein gerne bis mir mich uns euch dir dich
komplett wieder mehr nur alle alles etwas ganz gar jemand niemand seitdem bereits leider
bitte dringend sofort überhaupt ständig immer noch nochmal kein keine seit heute gestern
ja nicht mehr mal wieder ganz mega echt kiste website seite seiten fehler gesperrt unmöglich trotzdem eigentlich einfach ändern erstellen löschen bezahlen bezahlt überweisung karte euch euer eure könnt habt seid
"""

_EN = """
the a an and or but not no yes is are was were be been being have has had do does did i you he
she it we they my your our their this that these those what which who whom where when why how
can could would should will shall may might must with without for from to of in on at by since
until about into over under very too also still already never nothing everything all today
yesterday tomorrow now hello hi hey good morning afternoon evening thanks thank cheers please
regards best kind sincerely bye goodbye great perfect awesome server network slow invoice refund
order account password login access help problem issue how long much many hours minutes
working works responding unreachable disk need want there here any some just if so because
me us him them its it's i'm can't cannot don't doesn't won't isn't hasn't got get still again
someone anyone nobody anything something whole every each since ago until while though
would could should keeps keep went come came back seems seem just really only
unresponsive crashed rebooted restarted loading broken dead rejected declined charged billed twice i'd i've we're we've they're couldn't wouldn't shouldn't site website page pages email emails error errors locked impossible always anymore paid payment card transfer create open change delete
"""

WORDS_BY_LANG: dict[str, str] = {"fr": _FR, "pl": _PL, "es": _ES, "de": _DE, "en": _EN}

# Letters that only some of the five languages use. Weight per occurrence (capped per text).
LETTERS_BY_LANG: dict[str, str] = {
    "pl": "ąćęłńśźż",
    "es": "ñ¿¡áí",
    "de": "ßäöü",
    "fr": "çàèêâîôûœëïù",
}
