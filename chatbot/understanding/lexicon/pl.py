"""Polish. Weights: 3 decides on its own, 2 strong, 1 supporting. Format: see lexicon/__init__.py.
Polish inflects heavily, so most nouns and verbs are stems with '*'."""

LEXICON = {
    "greeting": """
        2: czesc | dzien dobry | witam | witajcie | hej | siema | dobry wieczor | dzien dobry wszystkim | elo
        2: jest ktos | czy jest ktos
    """,
    "thanks": """
        2.5: dzieki | dziekuje | dziekujemy | dzieks | wielkie dzieki | serdecznie dziekuje
        2: wszystko dziala | juz dziala | znowu dziala | to wszystko | do widzenia | milego dnia | pozdrawiam
        2: problem rozwiazany | rozwiazane | swietnie | super | dobranoc | na razie | spoko
        1.5: ok | okej | dobrze | jasne
        2: wszystko jasne | wszystko ok | jest ok | pomoglo | dziala juz | problem rozwiazany
    """,
    "human": """
        3: konsultant* | z czlowiekiem | z osoba | zywa osoba | zywym czlowiekiem | z pracownikiem | pracownik* supportu
        3: z botem | nie z botem | operator* | polaczenie z | polaczyc z | polaczyc mnie | przekierowac do
        3: oddzwon* | rozmowa telefoniczna | porozmawiac z kims | z kims z supportu
        2: telefonicznie
        3: z kims z obslugi | kontakt z kims | bot nie rozumie | z kims | z obslugi
        2: czlowiek* | pracownik* | porozmawiac | bot
        3: z konsultantem | z czlowiekiem | chce rozmawiac z | polaczyc z konsultantem | prawdziwy czlowiek
        3: czlowiek*
        3: prawdziwa osoba | prawdziwa osoba | zywa osoba | prawdziwym czlowiekiem | z kims prawdziwym
    """,
    "faq.response_time": """
        3: czas reakcji | czas odpowiedzi | jak szybko | kiedy dostane odpowiedz | kiedy ktos odpowie | zajmuje sie zgloszeniem
        3: ile czasu na odpowiedz | po jakim czasie | potwierdzenie zgloszenia | odpowiadacie | odpowiecie
        3: ile sie czeka na odpowiedz | ile czeka sie | jak dlugo czeka* | czas oczekiwania
        2: sla
        2: odpowiedz* | reakcj* | szybko | gwarantow*
        3: otrzymam odpowiedz | ile czekac | ile trzeba czekac | reagujecie | odpowiedz na zgloszenie
        3: czeka sie na odpowiedz | czekac na odpowiedz
        3: odpowiedz*
        -3: przestal odpowiadac | przestala odpowiadac | nie odpowiada
        5: ile ... odpowi* | ile ... odpis* | jak dlugo ... odpowi* | jak dlugo ... odpis* | kiedy ktos odpisze | odpisze | odpisuje | odpisujecie
    """,
    "faq.contact": """
        3: adres e mail | adres mailowy | adres email | numer telefonu | infolini* | jak sie skontaktowac | cala dobe
        3: kontakt z supportem | skontaktowac sie z | czat 24 | czat jest | czy czat | na czacie
        3: jakie sa kanaly | inny sposob kontaktu | mail do supportu | mailowo | telefon do
        2: kontakt* | skontaktowac | zadzwonic | napisac maila
        3: czy jest telefon | numer do supportu | kontakt telefoniczny | czy mozna zadzwonic | zadzwonic do was
        2.5: telefonicznie | czy tylko przez | tylko przez
        2: czy tylko
        5: czat ... w nocy | czat ... weekend* | czat ... dostepn* | czat ... dziala
    """,
    "faq.hours": """
        3: godziny pracy | do ktorej | od ktorej | w jakich godzinach | czynny | czynna | czynne | pracuje dzial
        3: czy ktos jest | jest dostepny | sa dostepni | jest dostepna | w weekend | w sobote | w niedziele
        3: pracuja | godziny otwarcia | o ktorej | teraz dostepn* | w swieta
        2: dostepn* | weekend* | dzial rozliczen | ksiegowosc
        1: godzin*
        -3: niedostepn*
        2.5: swiet* | w nocy pracuje | po godzinach | w sobote | w niedziele
        2.5: zamykacie | zamkniete | po godzinach pracy | w dni robocze | w dni powszednie | w weekendy
        2.5: w poniedzialki | we wtorki | w srody | w czwartki | w piatki | w soboty | w niedziele
        1: poniedzialek | wtorek | sroda | czwartek | piatek | sobota | niedziela | sobote | niedziele
    """,
    "faq.escalation": """
        3: eskalac* | eskalow* | przekazan* do | przekazano | przekazane | czy musze ponownie | wyzszy poziom
        3: zgloszenie zostalo przekazane | drugi poziom | drugiej linii | co to oznacza
        3: trafilo do | trafil do | czy cos musze zrobic | musze cos zrobic
        2: przekaz* | ponownie zglaszac | ponownie wysylac | musze zrobic
        3: przekazane do | przekazano do |
        2: innego zespolu | inny zespol | innego dzialu | nowe zgloszenie | wyslac ~ jeszcze raz | zglosic ~ jeszcze raz | eskalowan*
    """,
    "faq.resolution_time": """
        3: ile trwa | ile zwykle trwa | jak dlugo trwa | ile czasu trwa | ile czasu zajmuje | czas naprawy
        3: czas rozwiazania | czas wymiany | ile potrwa | jak dlugo potrwa | ile to zajmie | jak dlugo zajmuje
        2.5: ile czasu | jak dlugo
        2: zwykle | srednio | przewaznie | trwa | zajmuje | przecietnie
        3: w jakim czasie | jak szybko wymieniacie | jak szybko naprawiacie
        3: ile czasu | jak dlugo
        5: jak szybko ... wymien* | jak szybko ... napraw* | ile ... wymian* | ile ... napraw* | ile ... rozwiaz* | ile zazwyczaj trwa | ile srednio trwa | zazwyczaj trwa | srednio trwa
    """,
    "faq.notifications": """
        3: powiadomien* | powiadomia*
        2.5: prace serwisow* | pracach serwisowych | prac serwisowych | przerw* techniczn*
        3: komunikat* | strona statusu | status page | informacj* o awariach | informowani | informowac
        2: adres do powiadomien | konserwac* | planowan* prac*
        3: info* o planowanych | info* o pracach | informacj* o pracach | info* o przerwach | gdzie przychodza | przychodza ~ info* | powiadom*
    """,
    "faq.ticket": """
        3: jak zalozyc zgloszenie | jak otworzyc zgloszenie | jak utworzyc | ktory dzial | jaki dzial | wybieram dzial
        3: jaki priorytet | ktory priorytet | jaka kategori* | wybrac dzial | wybrac priorytet | zalozyc ticket
        3: w jakim dziale | jakim dziale | ktorym dziale | do jakiego dzialu | w ktorym dziale
        2: priorytet* | dzial techniczny czy | czy rozliczenia | wybrac | wybieram | kategori* | zglosic
        3: gdzie ... zglosz* | gdzie ... ticket* | gdzie ... zgloszeni* | jak ... zalozyc ~ zgloszenie | jak ... otworzyc ~ zgloszenie | utworzyc zgloszenie | zalozyc zgloszenie | otworzyc zgloszenie
        2: zalozyc ~ ticket* | utworzyc ~ ticket* | otworzyc ~ ticket*
    """,
    "faq.incident_info": """
        3: jakie informacje | jakie dane | co podac | co nalezy podac | co powinienem podac | co musze podac
        3: co powinno zawierac | co zawrzec | jakie szczegoly
        2: zglaszajac awari* | zgloszenie awarii | w przypadku awarii | krytyczn* | diagnoz*
        3: co musze napisac | co napisac | napisac w zgloszeniu | co zawrzec w zgloszeniu
        3: jakie info* | co mam podac | co musze wam podac | co wam podac | co przekazac | co mam wpisac | co wpisac | co powinienem napisac | co trzeba podac | co nalezy napisac
    """,
    "billing.charge": """
        3: dwie faktury | podwojn* | dwukrotn* | dwa razy | pobrano dwa | zla kwota | bledna kwota | bledna faktur*
        3: platnosc nie jest widoczna | nie zostala zaksiegowana | nie widac platnosci | nie zaksiegowan* | vat
        3: korekt* faktury | faktura korygujaca | nip | za duzo | nadplat*
        1.5: faktur* | oplat* | kwot* | obciaz* | pobran* | platnosc* | rachun* | naliczon*
        3: faktura ~ bledna | nie dostalem faktury | nie otrzymalem faktury | blad na fakturze | korekta
        3: oplacil* | oplacon* | zaplacil* | zaplacon* | juz zaplac* | zaksiegowa* | brak platnosci | za brak platnosci | za brak wplaty | zawieszon* za brak | mimo oplaty | mimo platnosci | mimo wplaty | nieoplacon*
        2: na fakturze
        3: dane na fakturze | dane do faktury | nazwa firmy | adres na fakturze | poprawic fakture | korekt* faktur*
        2: wplat* | przelew* | przelewem
    """,
    "billing.refund": """
        3: zwrot* | zwroc* | oddac pieniadze | platnosc nie przechodzi | blad platnosci | bramk* platnosc*
        3: nie moge zaplacic | platnosc odrzucona | platnosc sie nie udala | transakcja odrzucona
        3: nie udaje mi sie oplacic | nie moge oplacic | oplacic ~ karta | wyskakuje blad
        2.5: oplacic
        2: anulowac zamowienie | rezygnac* | odstapienie
        3: platnosc ~ odrzucona | nie moge zaplacic | zwrot srodkow | oddanie pieniedzy
        3: platnosc ~ wywala | platnosc ~ nie przechodzi | wywala sie
        2: paypal | stripe | 3ds | 3d secure | bramka
        3: bramka ~ blad | wywala blad | transakcja ~ odrzucona | karta ~ odrzucona | zwrot roznicy
        3: odzyskac kase | odzyskac pieniadze | oddac kase | zwrot kasy | oddajcie kase
    """,
    "billing.credit": """
        3: rekompensat* | odszkodowan* | wyjat* | odroczeni* | przedluzen* terminu | nie zawieszac | wstrzymac zawiesz*
        3: nota kredytowa | upust | rabat | bonifikat* | zgoda zarzadu | zawieszeni*
        3: zgodnie z sla | wedlug sla
        2.5: z powodu awarii | za awarie | po awarii | w zwiazku z awaria
        2: kredyt* | znizk* | prosba o wyjatek | specjaln* | zawiesz*
        -2: karta kredytowa | karty kredytowej | karta kredytowa
        3: przesuniecie terminu | przesunac termin | niezawiesz* | nie zawieszajcie
        3: obnizeni* | obnizyc | obnizke
        -2: zawieszon* za brak
        3: anulowac oplat* | umorzyc | umorzeni* | zwolnic z oplat* | odstapic od oplat* | darowac | oplat* za opoznieni* | oplat* instalacyjn* | oplat* aktywacyjn* | odsetki
    """,
    "outage": """
        3: nie odpowiada | nie odpowiadaja | niedostepn* | lezy | lezi | offline | nie pinguje | nie moge sie polaczyc
        3: kompletnie niedostepny | calkowicie | brak dostepu | nie ma dostepu | brak pinga | nie pinguje
        3: nie startuje | nie wstaje | nie uruchamia sie | wszystko lezy | nic nie dziala | nic nie odpowiada
        2.5: nie dziala | nie dzialaja | nie dzialajacy | down | nie laduje | brak polaczenia | brak pingu
        1.5: kompletnie | zupelnie | wszystkie uslugi | klienci nie moga
        -3: nie do konca | czasami | chwilami | okresowo | sporadycznie
        3: nic nie dziala | strona nie dziala | serwer nie dziala | nie ma polaczenia
        3: przez ssh | po ssh | nie daje znaku zycia | brak znakow zycia
        3: nie wlacza sie | wylaczony | wylaczyl sie | brak zasilania | restartuje sie w kolko
        -3: serwer dziala normalnie | dziala normalnie | serwer dziala | serwer chodzi | reszta dziala | poza tym dziala
        3: serwer ~ padl | serwer ~ umarl | serwer ~ nie zyje | dedyk ~ lezy | dedyk ~ padl | vps ~ padl
        3: przestal* odpowiadac | przestal* dzialac | zdechl* | nie zyje | padniet* | nie wstaje
    """,
    "failed": """
        2.5: padl | padla | padly | padlo | awaria | zepsul* | umarl*
    """,
    "hypothetical": """
        1: jesli | jezeli | w przypadku | gdyby | gdy serwer | kiedy serwer
    """,
    "past": """
        1: w zeszlym tygodniu | w zeszlym miesiacu | w ubieglym tygodniu | w ubieglym miesiacu | z zeszlego tygodnia | z zeszlego miesiaca
    """,
    "tech.outage": """
        2: awari* | pilne | pilna | pilnie | krytyczn*
    """,
    "tech.performance": """
        3: wolno | wolny | wolne | powoli | powoln* | spowolnien* | opoznieni* | lag* | utrat* pakietow | gubi pakiety
        3: wysoki ping | duzy ping | przepustowosc | zamula | muli | laguje | dlugo sie laduje
        2: iowait | obciazenie cpu | wydajnosc* | timeout* | ping
        3: wolno dziala | spowalnia | dlugo sie laduje | zacina | dlugie czasy odpowiedzi
        3: spadl* do | spadl* z | predkosc zapisu | predkosc odczytu | predkosc transferu | spadek wydajnosci | spadek predkosci | wolniej | duzo wolniej | wolniejsz*
        2.5: zamiast zwykl* | zamiast normaln* | tylko ~ mb s
        3: jak zolw | jak slimak | wlecze sie | zolwiem | slimaczy sie
    """,
    "tech.config": """
        3: konfigur* | skonfigur* | zapor* | firewall* | regula | reguly | regule | regul | reverse dns | rekord ptr | ptr | rdns
        3: otworzyc port | odblokowac port | odblokowanie portu | otwarcie portu | zainstalowac | instalacj* | vlan
        3: dodatkowy adres ip | dodatkowe ip | niestandardow* | indywidualn* | ustawi* | skonfigurowac
        2: port* | reinstal* | podsiec* | routing* | proxy
        3: przy dostawie | przy oddaniu | przy przekazaniu | skonfigurowac raid | zrobic raid | zlozyc raid | ustawic raid
    """,
    "tech.hardware": """
        3: dostep do kvm | dostep do ipmi | dostep kvm | podlaczenie kvm | podlaczyc kvm | podpiecie kvm
        3: dysk* | raid* | ram | pamiec* | kosc* ram | zasilacz* | wymian* | wymienic | wymieni
        3: technik na miejscu | na miejscu | kvm | ipmi | idrac | kabel* | okablowan* | karta sieciowa | plyta glowna
        3: wentylator* | sprzet* | hardware | uszkodzon* dysk
        2: uszkodzon* | zepsut* | szafa | rack
        3: rozbudowa ram | dolozyc ram | dodac dysk | dodatkowy dysk | awaria sprzetu
        2.5: halas* | halasuje | dzwiek* | piszczy | stuka
    """,
    "account.access": """
        3: panel klienta | panelu klienta | konto klienta | zalogowac | zaloguj* | logowani* | haslo | hasla | hasle
        3: reset hasla | zresetowac | 2fa | uwierzytelnian* | dwuskladnik* | kod weryfikacyjny | konto zablokowane
        2: konto | konta | kod | link ~ wygasl | dostep do konta | login
        3: odzyskac dostep | haslo nie dziala | zapomnialem hasla | nie moge sie zalogowac
        -3: zalogowac ~ przez ssh | zalogowac ~ po ssh
        3: dane logowania | danych logowania | nie wpuszcza | nie moge wejsc do panelu | nie moge sie dostac do panelu | panel nie wpuszcza
    """,
    "other": """
        2.5: czy oferuj* | oferujecie | czy macie | czy posiadacie | czy jest mozliwosc | wycen* | oferta | oferte
        2.5: certyfikat* | partnerski | program partnerski | polecen* | kolokacj* | audyt | umow*
        2: dostepnosc serwerow | cennik | ceny | rodo | iso
        3: wycena dla | przeslac oferte | przyslac oferte | przeniesc uslugi | przeniesienie uslug | na inne konto | zmiana wlasciciela konta | polaczyc konta
        3: ile kosztuje | ile kosztuja | jaka jest cena | cena za | cennik
    """,
    "component": """
        1: konsola | konsoli | konsole
    """,
    "part": """
        1: dysk* | pamiec* | kosc* | modul* ram | zasilacz* | plyta glowna | wentylator* | kontroler* | karta sieciowa
    """,
    "fault": """
        1: padl* | padni* | uszkodz* | blad* | bledy | bledow | zepsu* | awari* | zdegradowan* | nie dziala
    """,
    "channel": """
        1: czat | chat | infolini* | telefon*
    """,
    "team": """
        1: dzial* | ksiegowosc | administrator* | admini | techni* | serwerowni* | zespol* | rozliczen*
    """,
    "purchase": """
        1: wycen* | ofert* | cennik | kupic | zamowic
        1: kosztuje | kosztuja | cena
    """,
}
