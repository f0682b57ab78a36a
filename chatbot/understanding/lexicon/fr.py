"""French. Weights: 3 decides on its own, 2 strong, 1 supporting. Format: see lexicon/__init__.py."""

LEXICON = {
    "greeting": """
        2: bonjour | bonsoir | salut | coucou | bonjour a tous | rebonjour | re bonjour | allo
        2: il y a quelqu un | vous etes la | quelqu un est la | y a quelqu un
        1: hello | hey
    """,
    "thanks": """
        2.5: merci | merci beaucoup | merci bien | mille merci* | je vous remercie | remerci*
        2: parfait | c est bon | c est regle | c est resolu | ca remarche | ca marche de nouveau | au revoir
        2: bonne journee | bonne soiree | bonne fin de journee | a bientot | c est tout | rien d autre | nickel
        1.5: ok | d accord | super | genial | top | ca fonctionne | tout fonctionne | tout est rentre dans l ordre
        2: impeccable | tout est ok | c est parfait | ca marche merci | top merci | c est tout bon | probleme resolu
    """,
    "human": """
        3: parler a un humain | parler a une personne | un vrai humain | une vraie personne | un conseiller
        3: une conseillere | un operateur | un agent | pas un robot | pas un bot | pas a un robot | pas a un bot
        3: etre rappele | me rappeler | rappelez moi | me rappeliez | rappel telephonique | joindre un humain
        2.5: parler a quelqu un | parler avec quelqu un | quelqu un du support | un technicien au telephone
        3: quelqu un au telephone | au telephone
        2: humain | interlocuteur | transferer ~ conversation
        3: mettre en relation | mis en relation | un vrai conseiller | une personne reelle | un humain | joindre un conseiller
        2.5: parler a quelqu un | avoir quelqu un
        3: etre contacte | me contacter par telephone | membre de votre equipe | un membre de l equipe
        3: humain | mis en contact | mettre en contact | technicien humain
        3: quelqu un de vrai | quelqu un de reel | une personne de vrai | personne physique
    """,
    "faq.response_time": """
        3: delai de reponse | delais de reponse | temps de reponse du support | delai de prise en charge
        3: prend en charge | prise en charge | accuse de reception | quand aurai je une reponse | sous combien de temps
        3: combien de temps pour avoir une reponse | combien de temps pour une reponse | repondre a mon ticket
        2.5: en combien de temps | reponse rapide | repondez vous | vous repondez | temps de reaction
        2: sla
        3: me reponde* | vous repond* | qu on me reponde | avoir une reponse
        1.5: delai* | premiere reponse | garanti* | rapidement | reponse
        3: sous quel delai | quand vais je avoir une reponse | repondre a ma demande | traite* mon ticket
        2: reponse sous | repondre
        3: a repondre | repondre a | mettez combien de temps a repondre
        -3: arrete de repondre | cesse de repondre
        5: combien de temps ... repond* | combien de temps ... reponse | en combien de temps ... repond* | delai ... reponse | combien de temps ... prise en charge
    """,
    "faq.contact": """
        3: adresse mail | adresse e mail | adresse email | numero de telephone | joindre le support | quelle adresse
        3: par mail | par e mail | par email | ecrire par | vous ecrire
        3: contacter le support | vous contacter | vous joindre | comment contacter | comment vous ecrire | 24h 24
        3: par telephone | chat 24 | tchat 24 | chat est il | le chat est | ligne telephonique | hotline
        2: a part le chat | autre moyen | canaux | canal | contacter | joindre
        3: numero de support | un numero | joindre par telephone | vous appeler | peut on vous appeler | standard telephonique
        3: par ecrit | uniquement par | joignables par telephone
        5: chat ... nuit | chat ... week end | chat ... ouvert | chat ... dispo* | tchat ... nuit | tchat ... week end
    """,
    "faq.hours": """
        3: horaires | heures d ouverture | jusqu a quelle heure | a quelle heure ouvre | a partir de quelle heure
        3: est ouvert | sont ouverts | ouvert le | ouverte le | disponible le week end | le week end | le samedi
        3: quelles heures | quels jours | en ce moment | joignable quand | est joignable | sont joignables
        2: disponibles | disponible | ouvert | ouverte | ferme | service facturation | service comptabilite
        1: week end | samedi | dimanche | jours feries | la nuit
        3: ouvert jusqu a | jours ouvres | heures ouvrees | a partir de quelle heure | de quelle heure a quelle heure
        2: le soir | fermes | ferme le
        2.5: ferme a | ferme le | le lundi | le mardi | le mercredi | le jeudi | le vendredi | le dimanche | en semaine
        1: lundi | mardi | mercredi | jeudi | vendredi | samedi | dimanche
    """,
    "faq.escalation": """
        3: escalad* | escalat* | transmis a une autre equipe | transfere a | transfere vers
        3: dois je refaire | dois je renvoyer | faut il recreer | refaire une demande | niveau 2 | niveau superieur
        2: transfere | transmis | pourquoi ma demande | je dois faire quelque chose
        3: transmise a | transferee a | passee a | refaire un ticket | refaire une demande | rouvrir un ticket
        2: une autre equipe | un autre service | nouveau ticket
    """,
    "faq.resolution_time": """
        3: combien de temps pour remplacer | combien de temps pour reparer | combien de temps pour resoudre
        3: delai de resolution | delai de remplacement | delai d intervention | temps de resolution
        3: combien de temps faut il | combien de temps prend | combien de temps dure | en general combien
        3: combien de temps ~ remplacement | combien de temps ~ reparation | ca prend combien
        3: c est long | ca prend du temps | ca dure combien
        2: combien de temps | duree | en moyenne | generalement | d habitude | en general
        3: en combien de temps ~ repare | en combien de temps ~ remplace | delai pour remplacer | delai pour reparer
        3: combien de temps
        3: faut combien de temps | faut il combien de temps
        3: delai habituel | delai ~ pour le remplacement | delai pour le remplacement | delai de reparation
        5: combien de temps ... remplac* | combien de temps ... repar* | combien de temps ... regl* | combien de temps ... resoudre | combien de temps ... resolu* | il faut compter | faut compter | temps moyen | delai moyen
    """,
    "faq.notifications": """
        3: notification* | avis de maintenance | alertes de maintenance | page de statut | page status | prevenu*
        3: etre informe* | etre averti*
        2.5: les maintenances | maintenance planifiee | maintenances programmees | maintenances planifiees
        3: etat de vos services | etat des services | statut des services | panne generale
        2: maintenance* | informes | avertis | adresse de contact technique | recevoir les avis | destinataires
        3: avant chaque maintenance | avant une maintenance | envoyez un mail avant
        3: infos sur les maintenances | info* de maintenance | ou arrivent | ou sont envoyes | ou recoit on
    """,
    "faq.ticket": """
        3: ouvrir un ticket | creer un ticket | ouvre un ticket | quel service choisir | quel departement
        3: quelle priorite | quel niveau de priorite | quelle categorie | quel service dois je | choisir ~ priorite
        3: dans quel service | a quel service | comment ouvrir | comment creer | comment signaler
        2: priorite | departement | categorie | choisir | je choisis
        3: quel type de ticket | quelle equipe choisir | dans quelle categorie
        3: ou ... ticket | ou ... creer ~ demande | ou ... ouvrir ~ demande | comment ... ouvrir ~ ticket | ou se trouve le bouton
        2: cree* ~ ticket | ouvrir ~ ticket | bouton ~ ticket
        -3: ou en est
    """,
    "faq.incident_info": """
        3: quelles informations | quels elements | quelles infos | que dois je fournir | que faut il fournir
        3: que faut il indiquer | que dois je indiquer | quoi indiquer | quelles donnees | que faut il communiquer
        3: elements a fournir | a fournir | signalement d un incident | incident critique | infos pour
        2: signaler une panne | signaler un incident | en cas de panne | en cas d incident | accelerer le diagnostic
        1: informations | diagnostic | critique
        3: que dois je preciser | quoi preciser | dois je preciser | preciser
        3: quoi comme info* | quelles infos | je dois vous donner quoi | vous donner quoi | donner quoi | dois je vous donner | faut il vous donner | quoi mettre | que mettre dans | mettre dans le ticket | quoi vous envoyer | quoi vous transmettre
    """,
    "billing.charge": """
        3: deux factures | facture en double | facture* deux fois | doublon | double prelevement | preleve deux fois
        3: debite deux fois | montant incorrect | mauvais montant | erreur de facturation | erreur sur ma facture
        3: paiement n apparait pas | paiement non pris en compte | pas pris en compte | tva | trop preleve
        3: duplicata | copie de la facture | facture ~ n apparait pas
        1.5: facture* | prelev* | debite* | debiter | montant | facturation | paiement | regle ma facture | pas encore valide
        1: tarif | prix | euros | eur
        3: erreur sur la facture | double facturation | trop paye | pas recu la facture | pas recu ma facture | facture incorrecte
        3: impayee | impayees | toujours pas ~ regle | virement ~ n apparait pas
        2: virement | n apparait pas
        3: impaye* | toujours impayee | marquee impayee | deja paye | deja regle
        2: j ai paye | j ai regle | nous avons paye | nous avons regle | sur ma facture | sur la facture
        3: suspendu pour impaye | suspendu malgre | malgre le paiement | malgre paiement | malgre le reglement | pour defaut de paiement
        3: ma facture indique | la facture indique | facture* ... indique* | facture* ... alors que | adresse de facturation | raison sociale | corriger la facture | numero de tva
        2: virement | par virement
    """,
    "billing.refund": """
        3: rembours* | paiement refuse | paiement echoue | echec de paiement | echec du paiement | erreur de paiement
        3: paiement ne passe pas | le paiement ne fonctionne pas | impossible de payer | passerelle de paiement
        3: paiement ~ echou* | paiement ~ refuse* | carte ~ refusee | echec*
        2: annuler ma commande | resilier | resiliation | retractation | payer ma commande
        3: carte refusee | impossible de regler | ne peux pas payer | paiement ~ bloque | etre rembourse
        2: paypal | stripe | 3ds | 3d secure
        3: transaction refusee | transaction declined | transaction echouee | rembourser la difference | me rembourser
        3: recuperer mon argent | recuperer l argent | recuperer ~ argent | rendre mon argent | me rendre ~ argent | recuperer ~ sous
    """,
    "billing.credit": """
        3: geste commercial | un avoir | d un avoir | compensation | dedommag* | indemnis* | exception | exceptionnel*
        3: delai de paiement | report de paiement | ne pas suspendre | pas suspendre | suspension | reporter le paiement
        3: conformement a votre sla | selon votre sla | selon le sla | au titre du sla | penalites sla
        2.5: suite a la panne | suite a l incident | pour la panne | pour l interruption | a cause de la panne
        2: remise | reduction | credit | accord de la direction | derogation | suspend*
        -2: carte de credit
        3: echelonn* | en plusieurs fois | en trois fois | en deux fois | paiement en plusieurs
        -2: suspendu pour impaye | suspendu malgre
        3: annuler les frais | supprimer les frais | exonerer | exoneration | offrir les frais | renoncer aux frais | geste sur les frais | frais de retard | penalites de retard | frais de mise en service | frais d installation
    """,
    "outage": """
        -3: tombe* a ~ mo | tombe* a ~ mb | tombe* a ~ go | tombe* a ~ ko | tombe* a ~ ms
        3: ne repond plus | ne repond pas | ne repond ~ plus | inaccessible | injoignable | hors ligne | hors service
        3: plus rien ne repond | plus rien ne marche | plus rien ne fonctionne | tout est down | completement down
        3: est down | sont down | est tombe | est tombee | plus de ping | plus d acces | plus accessible | n est plus accessible
        3: ne demarre plus | ne demarre pas | ne boot plus | ne boote plus | completement plante | totalement
        2.5: plus acces | aucun acces | down | coupe | ne fonctionne plus | ne marche plus | a l arret | ne ping plus
        2: ne fonctionne pas | ne marche pas | ne charge plus | impossible d acceder | impossible de joindre
        1.5: completement | plus rien | aucun service | tous nos sites | nos clients ne peuvent plus
        -3: pas completement | pas totalement | par moments | de temps en temps | intermittent*
        3: ne fonctionne plus du tout | site ne s affiche plus | plus aucun acces | plus de connexion | aucune reponse
        3: ne donne plus signe de vie | aucun signe de vie | par ssh | en ssh | se connecter en ssh
        3: ne s allume plus | ne s allume pas | est eteint | s est eteint | hors tension | plus de courant | ne redemarre plus | redemarre en boucle
        -3: le serveur lui meme tourne | tourne normalement | fonctionne normalement | le serveur fonctionne | le serveur tourne | reste joignable | est toujours joignable | le reste fonctionne
        3: serveur ~ hs | serveur ~ mort | serveur ~ plante | serveur ~ tombe | completement hs | totalement hs | dedie ~ hs | vps ~ hs
        3: est ko | tout est ko | completement ko | ko total | ping ko | en carafe | ne revient pas | ne repond rien
    """,
    "failed": """
        2.5: en panne | plante | mort | hs | tombe | tombee | crashe | grille | lache
    """,
    "hypothetical": """
        1: si mon | si le serveur | si un serveur | si nos | en cas de | en cas d | lorsque | quand un serveur
    """,
    "past": """
        1: la semaine derniere | la semaine passee | le mois dernier | mardi dernier | lundi dernier | mercredi dernier | jeudi dernier | vendredi dernier | samedi dernier | dimanche dernier
    """,
    "tech.outage": """
        2: panne | crash | hors d usage | urgence | urgent
        1: incident
    """,
    "tech.performance": """
        3: tombe* a ~ mo | tombe* a ~ mb | tombe* a ~ ko
        3: lent | lente | lenteur* | ralenti* | latence | perte de paquets | pertes de paquets | tres lent
        3: temps de chargement | ping eleve | debit faible | bande passante | saccade | rame | ca rame
        2: iowait | charge cpu | cpu a 100 | performance* | timeout* | coupures
        3: lentement | ralentissement* | tres long a charger | met du temps a charger | temps de reponse ~ eleve | latences
        2.5: debit | ridicule
        3: vitesse d ecriture | vitesse de lecture | taux de transfert | vitesse de transfert | a chute | chute de debit | chute des performances | degrade* | plus lent* | beaucoup plus lent*
        2.5: au lieu des ~ habituel* | au lieu de ~ habituel* | seulement ~ mo s | plus que ~ mo s
        3: une eternite | met des plombes | met un temps fou | rame | comme une tortue | escargot
        2.5: a charger
    """,
    "tech.config": """
        3: configurer | configuration | parametrer | pare feu | firewall | regles | regle de | reverse dns | dns inverse | rdns
        3: ouvrir le port | ouvrir un port | debloquer le port | installer | installation | vlan | ip supplementaire
        3: ip failover | personnalis* | sur mesure | mise en place | mettre en place | enregistrement ptr | ptr
        3: monter un raid | configurer un raid | a la livraison | nouveau serveur
        2.5: activer | desactiver | ipv6 | ajouter une ip
        2: port | reinstall* | sous reseau | routage | proxy | perso | specifique
        3: install* | mettre en place | deployer
        3: a la mise en service | avant livraison | mettre en raid | faire un raid
    """,
    "tech.hardware": """
        3: acces kvm | acces ipmi | acces a l ipmi | acces au kvm | besoin d un kvm | besoin de l ipmi | brancher un kvm
        3: disque* | ssd defectueux | hdd | raid | barrette* | ram | memoire | alimentation | bloc d alimentation
        3: remplacer | remplacement | changer le disque | intervention sur site | sur place | technicien sur site
        3: kvm | ipmi | idrac | ilo | cable* | carte reseau | carte mere | ventilateur | materiel | hardware
        2: defectueux | defaillant | hs | baie | rack | brancher
        3: disque dur | defaillance materielle | ajout de ram | ajouter de la ram | changer la ram | upgrade | ajouter un disque
        2.5: ventilo* | bruit* | vibration*
    """,
    "account.access": """
        3: espace client | compte client | mot de passe | reinitialis* | identifiant* | me connecter | se connecter
        3: double authentification | 2fa | code de verification | code a usage unique | compte bloque | acces au compte
        3: acces a mon compte | perdu l acces | acceder a mon compte
        2: connexion | lien ~ expire | mon compte | acceder a mon espace | authentification | login
        3: mot de passe oublie | recuperer mon compte | pas acces a mon compte | n arrive pas a me connecter
        3: identifiants refuses | impossible de me connecter | ne peux pas me connecter | je n arrive plus a me connecter | me laisse pas entrer
    """,
    "other": """
        2.5: proposez vous | vous proposez | offrez vous | avez vous des | est il possible de commander | devis
        2.5: certificat* | certification* | partenariat | programme partenaire | parrainage | audit | colocation
        2: disponibilite | tarif* | offre* | contrat | conformite | rgpd | iso
        3: un devis pour | envoyer un devis | nous envoyer une offre | transferer mes services | deplacer mes services | vers un autre compte | changer de titulaire | changement de titulaire | fusionner ~ comptes
        3: combien coute | combien ca coute | quel est le prix | prix d un | prix de l | tarif d un | tarif pour
    """,
    "component": """
        1: console | acces ipmi | interface ipmi
    """,
    "part": """
        1: disque* | barrette* | memoire | alimentation | bloc* d alimentation | carte mere | ventilateur* | controleur* | carte reseau
        1: ventilo*
    """,
    "fault": """
        1: defaillan* | defectueu* | hs | mort | morte | grille* | erreur* | error | en panne | lache | en defaut | failure | fault | degrade* | secteurs realloues
    """,
    "channel": """
        1: chat | tchat | hotline | standard | ligne telephonique
    """,
    "team": """
        1: facturation | comptabilite | administrateurs | admins | technicien* | datacenter | equipe | service | techs
    """,
    "purchase": """
        1: devis | offre | tarif* | acheter | commander
        1: combien coute | prix
    """,
}
