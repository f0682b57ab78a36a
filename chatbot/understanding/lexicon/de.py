"""German. Weights: 3 decides on its own, 2 strong, 1 supporting. Format: see lexicon/__init__.py.
German glues nouns together ("Festplattentausch", "Rechnungsfragen"), so stems carry '*'."""

LEXICON = {
    "greeting": """
        2: hallo | guten tag | guten morgen | guten abend | moin | moin moin | servus | gruss gott | gruezi | hi
        2: hallo zusammen | tag zusammen | ist jemand da
    """,
    "thanks": """
        2.5: danke | vielen dank | danke schon | dankeschon | besten dank | herzlichen dank | ich bedanke
        2: funktioniert wieder | lauft wieder | geht wieder | hat geklappt | erledigt | das war s | das wars
        2: tschuss | auf wiedersehen | schonen tag | schonen abend | schones wochenende | super | prima | perfekt
        1.5: ok | okay | alles klar | passt | gut
        2: hat funktioniert | schonen tag noch | alles gut | lauft wieder | klappt wieder | problem gelost
    """,
    "human": """
        3: mitarbeiter* | menschen sprechen | echten menschen | echte person | mit einem menschen | ruckruf
        3: zuruckrufen | ruft mich | rufen sie mich | anrufen | nicht mit dem bot | chatbot | mit dem bot
        3: sachbearbeiter* | personlich sprechen | durchstellen | verbinden sie mich | ansprechpartner
        2: mensch* | person | telefonisch
        3: mit einer person | mit jemandem sprechen | echter mensch | personlich | mit jemandem reden
        3: mensch | menschen
        3: jemand echtes | jemanden echtes | echten mitarbeiter | echte mitarbeiterin
    """,
    "faq.response_time": """
        3: reaktionszeit* | antwortzeit* | bearbeitungszeit | wie schnell | wann bekomme ich eine antwort
        3: bis sich jemand meldet | bis jemand antwortet | eingangsbestatigung | wie lange warten | beantwortet
        3: bis ein ticket | bearbeitet wird
        2: sla
        3: wie lange muss ich warten | wann meldet sich | wann antwortet | wann wird mein ticket
        2: antwort* | reaktion* | melden | meldet | zugesichert* | garantiert*
        3: reagiert ihr | reagieren sie | antwortet ihr | wie schnell reagiert | bis ich eine antwort
        3: erste antwort | die erste antwort | bis zur ersten antwort
        -2: antwortet nicht | antworten nicht | antwortet nicht mehr
        5: wie lange ... antwort* | wie lange ... reagier* | wie lange ... melde* | wie lange ... bearbeit* | bis ... antwort* | bis ... reagier* | bis ... meldet
    """,
    "faq.contact": """
        3: e mail adresse | mailadresse | emailadresse | telefonnummer | wie erreiche ich | wie kann ich sie erreichen
        3: wie kontaktiere | support kontaktieren | kontakt aufnehmen | hotline | chat rund um die uhr | chat 24
        3: ausser dem chat | ausser uber den chat | welche kanale | telefonisch erreichbar
        2: kontakt* | erreichen | kanal* | e mail | email | telefon
        3: kann ich ~ anrufen | telefonisch erreichen | e mail schreiben | per e mail erreichen
        2.5: nur per | nur uber | nur den chat
        5: chat ... besetzt | chat ... wochenende | chat ... nachts | chat ... rund um die uhr | chat ... erreichbar
    """,
    "faq.hours": """
        3: offnungszeit* | arbeitszeit* | geschaftszeit* | servicezeit* | bis wann | ab wann | um wie viel uhr
        3: ist ~ erreichbar | sind ~ erreichbar | am wochenende | samstags | sonntags | feiertag* | besetzt
        3: wann ist | wann sind | jetzt erreichbar | gerade erreichbar | heute erreichbar
        2: erreichbar | geoffnet | buchhaltung | rechnungsfragen | wochenende
        -4: nicht erreichbar | nicht mehr erreichbar | nicht ~ erreichbar | unerreichbar
        2.5: samstags | sonntags | feiertags | geoffnet
        2: abends | nachts
        3: zu welchen zeiten | welchen zeiten | schliesst | schliessen
        1: montag | dienstag | mittwoch | donnerstag | freitag | samstag | sonntag
        2.5: montags | dienstags | mittwochs | donnerstags | freitags | werktags | wochentags | unter der woche
        3: bis wie viel uhr | bis wieviel uhr | wie lange arbeiten | arbeiten ~ heute
        2: arbeiten | arbeitet
    """,
    "faq.escalation": """
        3: eskaliert | eskalation* | eskalier* | weitergeleitet an | an ein anderes team | muss ich erneut
        3: muss ich ~ neu | neues ticket aufmachen | zweite ebene | second level | level 2 | was bedeutet
        2: weitergeleitet | weitergegeben | ubergeben
        3: abgegeben an
        2: anderes team | andere abteilung | neues ticket | ticket neu | nochmal ~ ticket
        2.5: abgegeben | weitergegeben
        3: muss ich ~ neues | ein neues aufmachen | ein neues ticket
    """,
    "faq.resolution_time": """
        3: wie lange dauert | wie lange braucht | dauert es | dauert das | wie lange benotigt | losungszeit
        3: behebungszeit | reparaturzeit | bis ~ getauscht ist | bis ~ behoben ist | bis ~ repariert ist
        2: erfahrungsgemass | normalerweise | ublicherweise | in der regel | dauer
        3: wie schnell ~ getauscht | wie schnell ~ repariert | wie schnell ~ behoben
        3: wie lange
        5: wie schnell ... getauscht | wie schnell ... ausgetauscht | wie schnell ... ersetzt | wie schnell ... repariert | wie schnell ... behoben | wie lange ... getauscht | wie lange ... ersetzt | wie lange ... repariert | wie lange ... behoben | bis ... getauscht | bis ... behoben | bis ... repariert
        5: wie schnell ... tausch* | wie schnell ... ersetz* | wie lange ... tausch* | wie lange ... beheb* | wie lange ... reparier* | wie lange ... gelost | wie lange ... geklart | bearbeitungsdauer | dauert es in der regel
    """,
    "faq.notifications": """
        3: benachrichtigung* | wartungsankundigung* | wartungsinfo*
        2.5: wartungsarbeit* | wartungsfenster
        3: statusseite | status seite | informiert werden | hinweise zu | ankundigung* | benachrichtigt
        2: wartung* | benachrichtigungsadresse | mitteilung*
        3: wohin ... benachrichtigung* | wohin werden | infos zu wartung* | info* zur wartung | wartungsinfos
    """,
    "faq.ticket": """
        3: ticket eroffnen | ticket erstellen | ticket aufmachen | welche abteilung | welche prioritat | welche kategorie
        3: welcher abteilung | melde ich
        3: wahle ich | wahlen ich | auswahlen | was wahle | wie eroffne | wie erstelle
        2: abteilung | prioritat | kategorie | auswahl
        3: wo ... ticket | wo kann ich ~ ticket | wie mache ich ein ticket | ticket anlegen | ticket aufgeben
        2.5: ticket ~ auf
        2: ticket ~ aufmachen | ticket ~ erstellen | ticket ~ eroffnen
    """,
    "faq.incident_info": """
        3: welche informationen | welche angaben | was muss ich angeben | was soll ich angeben | welche daten
        3: was gehort in | was sollte ~ enthalten | welche details | was sollte ich ~ angeben | angeben
        2: storungsmeldung
        2: storung melden | ausfall melden | im falle eines | bei einem ausfall | kritisch*
        2: ausfall meld* | storung meld*
        3: welche infos | was braucht ihr | braucht ihr von | brauchen sie von | was muss ich ~ mitteilen | was soll ich ~ schicken | was soll ich ~ mitteilen | was muss ins ticket | was gehort ins ticket
    """,
    "billing.charge": """
        3: doppelt abgebucht | doppelt berechnet | zweimal abgebucht | zwei rechnungen | doppelte rechnung
        3: falscher betrag | falsche rechnung | zu viel berechnet | mwst | ust | umsatzsteuer | rechnungskorrektur
        3: zahlung nicht verbucht | zahlung ~ nicht angekommen | nicht gutgeschrieben | ust id | reverse charge
        1.5: rechnung* | abbuchung* | abgebucht | betrag | lastschrift | berechnet | zahlung
        3: rechnung ~ falsch | keine rechnung erhalten | fehler in der rechnung | zu viel abgebucht
        3: bereits bezahlt | schon bezahlt | habe ~ bezahlt | haben ~ bezahlt | uberwiesen | nicht verbucht | unbezahlt | wegen nichtzahlung | trotz zahlung | trotz bezahlung | steht ~ auf offen | als offen
        2: auf der rechnung
        3: rechnungsadresse | firmenname | rechnung korrigieren | korrigieren sie die rechnung | ust id
        2: uberweisung | per uberweisung
    """,
    "billing.refund": """
        3: erstattung | ruckerstattung | erstatten | geld zuruck | zahlung fehlgeschlagen | zahlungsvorgang
        3: bricht ~ ab | zahlung funktioniert nicht | kann nicht bezahlen | zahlung abgelehnt | bezahlen
        3: schlagt ~ fehl | fehlgeschlagen | klappt nicht | wird abgelehnt
        2: stornier* | kundig* | widerruf
        3: zahlung geht nicht durch | kann nicht zahlen | geld zuruck | ruckzahlung
        3: geld ~ zuruck
        3: uberweisen ~ zuruck | zuruckuberweisen | zuruckzahlen | zu viel gezahlt*
        3: abgebrochen | wird abgebrochen | bezahlung ~ fehlermeldung
        2: fehlermeldung | bezahlung
        2: paypal | stripe | 3ds | 3d secure
        3: bricht ... ab | differenz erstatten | zuruckerstatten | ruckerstatt* | karte ~ abgelehnt | zahlung ... fehler
    """,
    "billing.credit": """
        3: gutschrift | entschadigung | kulanz* | ausnahme* | zahlungsaufschub | stundung | nicht sperren
        3: nicht zu sperren | sperrung | aussetzen | zahlungsziel | genehmigung | sonderregelung
        3: ausnahmsweise | gemass sla | laut sla
        2.5: wegen des ausfalls | aufgrund des ausfalls | fur den ausfall | wegen der storung
        2: rabatt | nachlass | sonderwunsch
        -2: kreditkarte
        -2: wegen nichtzahlung | trotz zahlung
        3: erlassen | erlass | verzichten | mahngebuhr* | saumniszuschlag | einrichtungsgebuhr* | einrichtungskosten | setupgebuhr* | gebuhr ~ streichen
    """,
    "outage": """
        3: nicht erreichbar | nicht mehr erreichbar | unerreichbar | komplett weg | offline | server ist ausgefallen
        3: totalausfall | kompletter ausfall | startet nicht | bootet nicht | fahrt nicht hoch | kein ping
        3: keine verbindung | kein zugriff | nichts geht | geht gar nichts | alles down | komplett down | tot
        2.5: down | funktioniert nicht | geht nicht | lauft nicht | antwortet nicht | reagiert nicht | gehen nicht mehr
        2.5: antwortet ~ nicht | reagiert ~ nicht
        1.5: komplett | vollstandig | samtliche dienste | alle dienste | unsere kunden
        -3: nicht komplett | nicht ganz | zeitweise | sporadisch | ab und zu | manchmal
        3: geht nichts mehr | nichts geht mehr | keine verbindung mehr | seite ist weg | server ist weg
        3: per ssh | uber ssh | kein lebenszeichen | keine lebenszeichen
        3: geht nicht mehr an | lasst sich nicht einschalten | ist ausgeschaltet | hat sich ausgeschaltet | kein strom | startet neu in schleife | bootet in schleife
        -3: server lauft normal | lauft normal | lauft weiter | server selbst lauft | ansonsten lauft | funktioniert normal | server ist erreichbar | ist sonst erreichbar
        3: server ~ tot | server ~ abgesturzt | kiste ~ tot | kiste ~ down | server ~ abgeraucht
        3: hangt komplett | keine reaktion | reagiert gar nicht | antwortet gar nicht | ist weg
    """,
    "failed": """
        2.5: ausgefallen | ausfall | tot | kaputt | abgesturzt | abgeraucht
    """,
    "hypothetical": """
        1: wenn | falls | im falle | bei einem ausfall | sollte ~ ausfallen
    """,
    "past": """
        1: letzte woche | letzten woche | letzten monat | letzten monats | vergangene woche | vergangenen woche | vergangenen monat
    """,
    "tech.outage": """
        2: dringend | notfall | stoerung | storung | kritisch
        0.5: hilfe
    """,
    "tech.performance": """
        3: langsam | latenz | paketverlust* | verzogerung* | ruckelt | lahm | hohe antwortzeiten | schlechte performance
        3: hoher ping | bandbreite | durchsatz | extrem langsam | sehr langsam | trage
        2: iowait | cpu last | auslastung | performance | timeout* | leistung
        3: trage | ladezeiten | ladt ewig | dauert ewig | sehr langsam
        3: so lange wie sonst | langer als sonst | langsamer als sonst | dauern ~ lange
        3: schreibrate | leserate | datenrate | ubertragungsrate | transferrate | schreibgeschwindigkeit | lesegeschwindigkeit | eingebrochen | bricht ein
        2.5: statt der ublichen | statt der sonst | statt der normalen | nur noch ~ mb | langsamer als | langsamer geworden
        3: wie eine schnecke | schneckentempo | kriecht | ewig
    """,
    "tech.config": """
        3: konfigurier* | einrichten | einrichtung | konfiguration | firewall* | regel* | reverse dns | rdns | ptr
        3: port freischalten | port offnen | port ~ freigeben | installier* | vlan | zusatzliche ip | individuell*
        3: sonderkonfiguration | anpassen | anpassung | eintragen | umstellen
        2: port* | neuinstallation | subnetz | routing | proxy
        3: richtet | richten sie | richtet ~ ein | zusatzliche ip* | ipv6
        3: bei auslieferung | bei der bereitstellung | bei ubergabe | raid einrichten | raid konfigurieren | raid ~ aufsetzen
    """,
    "tech.hardware": """
        3: kvm zugang | ipmi zugang | zugang zu kvm | zugang zum ipmi | zugang zur kvm | brauche kvm | kvm anschliessen
        3: festplatte* | platte* | raid* | arbeitsspeicher | ram | riegel | netzteil* | austausch* | tauschen
        3: ersetzen | getauscht | vor ort | techniker | kvm | ipmi | idrac | kabel* | verkabel* | netzwerkkarte
        3: mainboard | lufter | hardware | defekt*
        2: rack | einbau* | einbauen
        3: aufrusten | erweitern | festplatte hinzufugen | zusatzliche festplatte | hardwaredefekt
        2.5: gerausch* | larm | piept | klackert | rattert
    """,
    "account.access": """
        3: kundenkonto | kundenbereich | kundenportal | einloggen | anmelden | anmeldung | login | passwort
        3: zurucksetzen | 2fa | zwei faktor | authentifizierung | bestatigungscode | konto gesperrt
        3: komm nicht ins | komme nicht ins | komme nicht in mein | zugang zum konto
        2: konto | zugang | code | link ~ abgelaufen
        3: passwort vergessen | zugang gesperrt | kann mich nicht anmelden | kann mich nicht einloggen
        3: anmeldedaten | zugangsdaten | logindaten | login daten | komme nicht rein | komm nicht rein | lasst mich nicht rein | einloggen ~ nicht
    """,
    "other": """
        2: ubertrag* | umziehen | verschieben
        2.5: bieten sie | bietet ihr | haben sie auch | gibt es bei ihnen | angebot | zertifikat* | zertifizierung*
        2.5: partnerprogramm | colocation | housing | audit | vertrag* | verfugbarkeit | kostenvoranschlag
        2: preis* | tarif* | dsgvo | iso | avv
        3: angebot fur | angebot erstellen | ein angebot | dienste ~ ubertragen | auf ein anderes konto | anderes kundenkonto | inhaberwechsel | vertragsubernahme | konten zusammenlegen
        3: was kostet | wie viel kostet | wieviel kostet | was kosten | preis fur | preis eines | preis einer
    """,
    "component": """
        1: konsole | kvm zugang | ipmi zugang
    """,
    "part": """
        1: festplatte* | platte* | arbeitsspeicher | ram modul* | riegel | netzteil* | mainboard | lufter | controller | netzwerkkarte
    """,
    "fault": """
        1: defekt* | kaputt | ausgefallen | ausfall | fehler* | fehlerhaft | machine check | tot | degraded | degradiert
    """,
    "channel": """
        1: chat | live chat | hotline | telefon* | telefonsupport
    """,
    "team": """
        1: buchhaltung | abrechnung | administrator* | admins | techniker | rechenzentrum* | team | abteilung | sysadmin*
    """,
    "purchase": """
        1: angebot | kostenvoranschlag | preis* | kaufen | bestellen
        1: kostet | kosten | preis
    """,
}
