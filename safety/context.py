"""What around a word of danger says it is not now: time, habit, care, negation, wish, "si".

And what says it is now ("ce matin", "vient de", "encore"). The reader
(safety/reading.py) weighs the nearest of these to each word of danger.
Figurative phrases ("coups de fil", "perdue dans les papiers", "APA d'urgence")
are removed before any word of danger is looked for.
"""

from __future__ import annotations

import re
from enum import Enum

from safety.triggers import NUM


class Marker(str, Enum):
    NOW = "now"  # "ce matin", "vient de", "depuis hier", "encore"
    PAST = "past"  # "il y a deux ans", "l'an dernier", "en 2019", "autrefois"
    SINCE = "since"  # "depuis son AVC", "suite à sa chute": an event told as the past of now
    DECEASED = "deceased"  # "décédé", "mon défunt mari", "veuve": the person is no longer there
    CHRONIC = "chronic"  # "depuis des années", "souvent", "deux fois ce mois-ci"
    CARE = "care"  # "elle est à l'hôpital", "les pompiers l'ont emmenée"
    HYPOTHETICAL = "hypothetical"  # "si elle tombe", "en cas de chute", "au cas où"
    ALARM = "alarm"  # "vite", "urgent", "au secours", "venez": now, and even a fall is danger
    ACCIDENT = "accident"  # "par erreur", "en croyant": pills taken by mistake, not an act
    PERFECT = "perfect"  # "a fait un AVC", "a eu un malaise": done, time not said


def _words(pattern: str) -> re.Pattern[str]:
    return re.compile(rf"\b(?:{pattern})\b")


_UNITS_LONG = r"(?:ans?|annees?|mois|semaines?)"
_UNITS_SHORT = r"(?:minutes?|min|mn|heures?|h)"
_DAYS = r"(?:lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche)"
_EVENTS = (
    r"(?:avc|chute|chutes|malaise|malaises|infarctus|accident|operation|hospitalisation|fracture"
    r"|crise|attaque|agression|incendie|cambriolage|tentative|deces|disparition|hemorragie"
    r"|embolie|coma|arret|sortie|depart|veuvage|divorce|cancer|maladie|alzheimer|parkinson"
    r"|diagnostic|pneumonie|covid|demenagement|entree)"
)

MARKERS: tuple[tuple[Marker, re.Pattern[str]], ...] = (
    (
        Marker.NOW,
        _words(
            r"en ce moment|actuellement|maintenant|la maintenant|tout de suite|a l instant"
            r"|a l heure (?:actuelle|ou je)|ce (?:matin|soir|midi|jour)|cet (?:apres midi|aprem)"
            r"|cette (?:nuit|apres midi|fois ci|fois)|aujourd hui|tout a l heure|hier|avant hier"
            rf"|depuis (?:ce matin|cette nuit|hier|avant hier|tout a l heure|midi|{NUM} "
            rf"(?:{_UNITS_SHORT}|jours?|nuits?)|une (?:heure|demi heure|minute)|le debut de"
            rf" (?:la|l) (?:matinee|apres midi|soiree|nuit)|{_DAYS}|ce week end|quelques jours)"
            rf"|il y a (?:{NUM}|une|un|quelques|dix|vingt) {_UNITS_SHORT}|vient de|viens de"
            r"|venons de|viennent de|venez de|est en train de|sont en train de|suis en train de"
            r"|tout a coup|tout d un coup|d un coup|soudain|soudainement|subitement|brusquement"
            r"|en train de|(?:j ai|on a) (?:tres |trop )?peur(?! qu| de (?:rester|sortir|tomber"
            r"|ne pas|ne plus|vivre|l avenir|y aller|conduire|la laisser|le laisser|les laisser"
            r"|faire|mourir))|peur pour (?:sa|ma|leur) vie"
            r"|ce soir|la nuit derniere"
            r"|cette semaine|est la|il est rentre|toujours pas rentre|toujours pas revenue?"
        ),
    ),
    (
        Marker.PAST,
        _words(
            rf"il y a (?:{NUM}|plus de {NUM}|pres de {NUM}|environ {NUM}) {_UNITS_LONG}"
            r"|il y a (?:longtemps|bien longtemps|des annees|quelque temps|un bail)"
            r"|l an (?:dernier|passe)|l annee (?:derniere|passee|d avant)|(?:le mois"
            r"|la semaine|l hiver"
            r"|l ete|le printemps|l automne|noel) (?:dernier|derniere|passe|passee|d avant)"
            r"|(?:en|courant|fin|debut|vers|jusqu en) (?:19|20)\d\d|autrefois|jadis"
            r"|dans le passe|par le passe|(?:a|dans) l epoque|a une epoque|dans (?:sa|ma"
            r"|leur) jeunesse"
            r"|quand (?:j etais|il etait|elle etait|nous etions|on etait|j avais|il avait"
            r"|elle avait"
            r"|ils etaient)|(?:ancien|vieil|vieux) (?:avc|infarctus)|(?:deja|a deja|avait deja"
            r"|ont deja|avaient deja) (?:fait|eu|ete|subi)|plus jamais (?:depuis|eu)"
            r"|etait violente?"
            r"|c etait il y a|c est du passe|c est loin|mais c est passe|ca va mieux"
            r"|au printemps|a l automne|en hiver|cet hiver|l ete dernier"
            r"|ca va bien maintenant|en (?:janvier|fevrier|mars|avril|mai|juin|juillet|aout"
            r"|septembre|octobre|novembre|decembre)|a noel|cet (?:ete|hiver|automne)|ce printemps"
            r"|il y a peu|recemment|plus de (?:nouvelles? )?(?:crise|probleme)s? depuis"
        ),
    ),
    (
        Marker.SINCE,
        _words(
            rf"(?:depuis|suite a|apres|a cause de|avec les sequelles de|sequelles? de|suites? de"
            rf"|consequences? de|depuis le jour de|a la suite de|lors de) (?:son|sa|ses|mon|ma"
            rf"|mes|le"
            rf"|la|l|les|un|une|cet|cette|leur) (?:\w+ )?{_EVENTS}|post avc"
            r"|(?:avant|depuis) (?:son|sa|mon|ma|leur) (?:deces|mort|divorce|veuvage)"
            r"|elle va bien|il va bien|elle va mieux|il va mieux|remise?|retablie?|gueri\w*"
        ),
    ),
    (
        Marker.DECEASED,
        _words(
            r"decede\w*|defunt\w*|feu (?:mon|ma)|veuve|veuf|ex mari|ex femme|ex compagnon|mon ex"
            r"|son ex|quand il vivait|de son vivant|depuis que (?:\w+ ){0,3}(?:a disparu|est parti"
            r"|est partie|nous a quittes?|est decedee?|est mort|est morte)|nous a quittes?"
            r"|s est eteinte?|est mort|est morte|mort d|morte d|(?:sa|la|son) disparition"
        ),
    ),
    (
        Marker.ACCIDENT,
        _words(
            r"par erreur|par megarde|en croyant|s est trompee?|me suis trompee?|a la place (?:de"
            r"|du|des)"
            r"|sans faire expres|sans le vouloir|confondu|confondus|melange (?:ses|les|mes)"
        ),
    ),
    (
        Marker.ALARM,
        _words(
            r"vite|urgent|urgence|au secours|venez|aidez moi|aidez nous|sos|a l aide|au plus vite"
            r"|tout de suite"
        ),
    ),
    (
        Marker.CHRONIC,
        _words(
            r"encore|de nouveau|a nouveau|recommence|une fois de plus|ces dernieres annees"
            r"|ces derniers mois|ces dernieres semaines|(?:deux|trois|plusieurs|quelques|des|2|3)"
            r" (?:petits |legers |gros )?(?:avc|chutes|malaises|infarctus|attaques)|"
            rf"depuis (?:{NUM}|de nombreuses|des|plusieurs|quelques|plus de {NUM}) {_UNITS_LONG}"
            r"|depuis (?:longtemps|toujours|des lustres|sa naissance|l enfance|la retraite|le covid"
            r"|tres longtemps|un bon moment)|chronique|chroniquement|bpco|asthme|asthmatique"
            r"|emphyseme|insuffisance (?:respiratoire|cardiaque|renale)|sous oxygene|oxygene"
            r"|apnee du sommeil|souvent|regulierement|de temps en temps|de temps a autre|parfois"
            r"|plusieurs fois|(?:deux|trois|quatre|cinq|2|3|4|5) fois (?:ce mois|cette annee|par|en"
            r"|depuis|cette semaine|le mois|dans|l an)|a chaque fois|chaque (?:fois|nuit|jour|matin"
            r"|soir|semaine|mois)|tous les (?:jours|matins|soirs|mois)|toutes les nuits|de plus en"
            r" plus|a l effort|en marchant|en montant|quand (?:il|elle|je|on) (?:marche|monte"
            r"|se leve|fait un effort|tombe|chute|fait ses courses|se baisse)|a force de"
            r"|habituellement|d habitude|comme d habitude|frequemment|frequentes?|a repetition"
            r"|suivie? par (?:son|un|le|une|sa) (?:medecin|cardiologue|pneumologue|neurologue"
            r"|specialiste)|(?:son|le|un|mon|sa) (?:traitement|medecin|kine|infirmiere) (?:\w+ )"
            r"{0,3}(?:suit|gere|sait|connait|passe)|elle est suivie|il est suivi|sous traitement"
            r"|handicap\w*|en fauteuil|fauteuil roulant|hemiplegi\w*|sequelles?"
        ),
    ),
    (
        Marker.CARE,
        _words(
            r"(?:est|sont|etait|a ete|ont ete|se trouve|est actuellement|est toujours|est encore"
            r"|reste|restee) (?:\w+ ){0,2}(?:a l hopital|aux urgences|hospitalisee?|en reanimation"
            r"|au chu|en soins|en clinique|en reeducation|en ssr|en convalescence"
            r"|en soins intensifs"
            r"|en observation)|hospitalisee?|(?:les pompiers|le samu|l ambulance|les secours"
            r"|le medecin|son medecin|le docteur|sos medecins?|le 15|le 18) (?:\w+ ){0,3}(?:sont"
            r" venus|est venu|est passe|l ont emmenee?|l a emmenee?|sont passes|sont arrives"
            r"|est arrive|l ont pris en charge|l a vue?|l a examinee?|l a soignee?|l ont soignee?"
            r"|ont ete appeles|a ete appele|arrivent|arrive)|(?:sortie?|sortira|revenue?|rentree?"
            r"|rentre|revient) (?:\w+ ){0,3}(?:de l hopital|de clinique|des urgences|de reeducation"
            r"|de reanimation)|retour (?:a domicile|de l hopital|d hospitalisation|a la maison)"
            r"|apres (?:son|sa|une) (?:hospitalisation|sejour)|ardh|j ai appele le (?:15|samu|18)"
            r"|on a appele (?:le 15|le samu|les pompiers|le 18)|les pompiers l ont relevee?"
            r"|(?:ont|a) pu (?:la|le) relever|s est relevee?|a reussi a se relever|se releve seule?"
        ),
    ),
    (
        Marker.HYPOTHETICAL,
        _words(
            r"si (?:jamais|un jour|elle|il|je|on|ma|mon|maman|papa|nous|vous|ca|cela|cette|ce|une"
            r"|un|quelqu un|la|le|l|les|mes|ses)|au cas ou|en cas de|dans le cas ou|que faire (?:si"
            r"|quand|en cas|lorsque)|comment (?:reagir|faire|faut il faire|prevenir|eviter|se passe"
            r"|ca se passe|signaler|reconnaitre|reperer|savoir) (?:si|quand|en cas|lorsque|pour|une"
            r"|un|la|le|les)?|pour (?:eviter|prevenir|limiter|detecter) (?:les|une|qu|la|le|des)"
            r"|prevention|prevenir (?:les|une|des)|risque(?:s)? de|peur qu (?:il|elle) (?:ne )?"
            r"(?:tombe|fasse|chute|se perde|parte|se blesse)|(?:crains|craint|craignons|redoute"
            r"|redoutons|angoisse|m inquiete|inquiete) (?:qu|que|a l idee)|pourrait|pourraient"
            r"|finira par|va finir par|risquerait|un jour ou l autre|imaginons|supposons"
            r"|qu est ce qui se passe (?:si|quand)|detecteur de chute|detection de chute|qu un jour"
            r"|bracelet (?:d alerte|d appel|anti chute)|capteurs? de chute|au moindre probleme"
            r"|en prevision|par precaution|se prevenir|etre alerte|soit alerte|alerter (?:quelqu"
            r"|les secours) (?:si|en cas)|en general|de maniere generale|generalement|qu est ce que"
            r" la|c est quoi la|definition"
        ),
    ),
    (
        Marker.PERFECT,
        _words(
            r"(?:a|avait|ont|avaient|as|ai) (?:\w+ )?(?:fait|eu|subi|fait une|eu une) (?:un "
            r"|une |des"
            r" |deux |plusieurs |son |sa )?(?:petit |leger |gros |grave |nouvel |nouveau )?"
            r"(?:avc|accident vasculaire|infarctus|crise cardiaque|malaise|malaises|attaque|chute"
            r"|fausse route"
            r"|chutes|crise|hemorragie|embolie)|(?:est|etait) tombee?|(?:a|avait) chute"
            r"|(?:s est|s etait) (?:\w+ )?(?:cogne|cognee|blesse|blessee|casse|cassee|brule|brulee)"
        ),
    ),
)

FIGURATIVE = re.compile(
    r"\b(?:coups? de (?:fil|telephone|main|pouce|coeur|blues|vieux|pompe|fatigue|stress|chaud"
    r"|froid|soleil|vent|tete|foudre|theatre|bol|gueule|poker|massue|balai|sang|frein|projecteur"
    r"|crayon|volant|chance|genie|cafard|mou|boost|speed|nerfs|gueule)|coup dur|coups durs"
    r"|du coup|apres coup|a coup sur|sur le coup"
    r"|un coup d oeil|valoir le coup|vaut le coup|tenir le coup|tient le coup|tiens le coup"
    r"|le coup de|(?:mort|morte|morts|mortes|mourir|meurt|meurs|creve|crevee) de"
    r" (?:fatigue|rire|peur|inquietude|honte|faim|froid|chaud|ennui|soif)|ca me tue|ca (?:la|le"
    r"|nous|les|m) tue|(?:me|se|te) tue a la tache|tuer le temps|(?:je suis |suis |on est |je me"
    r" sens |elle est |il est )?(?:completement |totalement |un peu |tres |vraiment )?"
    r"(?:perdue?s?|paumee?s?|noyee?s?|submergee?s?|depassee?s?) (?:dans|avec|face a|face aux"
    r"|sous|par|devant|au milieu de) (?:les|ces|mes|tous ces|toutes ces|la|le|cette|l|tout|toute"
    r"|ce|leurs|vos|des) (?:\w+ ){0,2}(?:papiers|paperasse|demarches|dossiers?|formulaires?"
    r"|sigles|administration|aides|procedures|informations|infos|courriers|documents|termes"
    r"|mots|acronymes|calculs|comptes|factures|droits)|je suis perdue?$|je suis perdue? (?:je|j"
    r"|et|,|pouvez|vous|svp|s il)|(?:on|nous) (?:est|sommes) perdus?|perdue? (?:la dedans"
    r"|dans tout ca|dans tout cela)|perdu (?:mon|ma|mes|son|sa|ses|leur) (?:\w+ )?(?:papiers"
    r"|carte|cartes|lunettes|cles|mari|femme|epoux|epouse|pere|mere|fils|fille|emploi|travail"
    r"|autonomie|temps|dossier|appetit|memoire|poids|vue|audition|equilibre|permis|logement"
    r"|conjoint|compagnon|compagne|frere|soeur|ami|amie|chien|chat)|perte d autonomie|perdre"
    r" (?:son|sa|l|ses) (?:autonomie|equilibre|memoire|reperes)|(?:perd|perdu) la tete"
    r"|(?:perd|perdu|perdre) la memoire|j en peux plus de (?:ces|les|la|cette) (?:\w+ )?"
    r"(?:papiers|demarches|attente)|(?:violent|violente|violents|violentes) (?:mal|maux"
    r"|douleur|douleurs|migraine|rhume|grippe|orage|vent|contraste|choc emotionnel)"
    r"|(?:mal|maux|douleur|douleurs|migraine) (?:\w+ )?(?:violent|violente|violents|violentes)"
    r"|(?:je me bats|tu te bats|il se bat|elle se bat|on se bat|nous nous battons|vous vous battez"
    r"|ils se battent|elles se battent|se battre|me battre|nous battre|s est battue?"
    r"|me suis battue?)"
    r"|bataille|combat contre|combat pour|frappe a la porte|frapper a la porte|frappe a (?:toutes"
    r"|plusieurs) les portes|frapper a (?:toutes|plusieurs) les portes|frappe (?:chez|aux portes)"
    r"|tape sur les nerfs|(?:bip|sonnette|bracelet|collier|medaillon|bouton|boitier|montre"
    r"|pendentif)"
    r" (?:d |de )?(?:alerte|urgence|appel)|apa (?:d |en )?urgence|en urgence|d urgence|urgences?"
    r" (?:administratives?|sociales?)|numeros? d urgence|procedure d urgence|aux urgences"
    r"|service des urgences|la crise (?:du|de la|des)|crise (?:de nerfs|de larmes|d angoisse"
    r"|du logement|sanitaire|de la quarantaine)|(?:a|au|a bout|arriere|derniere) bout"
    r"|sans voix|sang froid|bon sang|mon sang n a fait qu|prise de sang|prises de sang"
    r"|analyses? de sang|(?:un|le|sa|son|leur) (?:\w+ )?(?:coeur|poitrine) (?:\w+ ){0,2}"
    r"(?:d or|en or|gros comme|sur la main)|le coeur (?:gros|lourd|brise|serre)"
    r"|menaces? (?:d expulsion|de coupure|de saisie|de fermeture|de poursuites|d huissier)"
    r"|(?:la |une )?menace (?:de|d) (?:hausse|fermeture|coupure|expulsion|saisie)"
    r"|mourir (?:de|d) (?:envie|impatience)|je meurs d envie|plus mort que vif"
    r"|mort de rire|mdr|a mourir d ennui|mourir a petit feu de solitude"
    r"|(?:quelle|quelles|quel|la bonne|aucune|toutes les) portes? (?:\w+ )?frapper"
    r"|frapper a (?:quelle|la bonne|toutes les) portes?|tombe malade|tomber malade|tombee malade"
    r"|tomber d accord|(?:tombe|tombent|tombait) (?:en meme temps|le meme jour|bien|mal|a pic"
    r"|a point|pendant|un (?:lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche))"
    r"|(?:ai |a |avons )?failli (?:\w+ ){0,2}(?:crise cardiaque|infarctus|avc|attaque|mourir"
    r"|tomber dans les pommes)|(?:dossier|papiers?|courrier|documents?|cartes?|cles|chequier"
    r"|lunettes|formulaire|demande|facture|colis|portefeuille|telephone) (?:\w+ ){0,6}(?:a|ont"
    r"|est|sont) (?:\w+ )?(?:disparu|disparus|disparue|disparues|introuvables?|perdue?s?)"
    r"|laisse[rz]? tomber|laissons tomber|laisse tombe|tout a brule|prendre sa retraite"
    r"|prend sa retraite|pris sa retraite|depart a la retraite|(?:detect\w*|alarme|capteurs?"
    r"|prevention|risques?|peur) (?:\w+ )?(?:de |des |les |d |la |aux )?chutes?"
    r"|chutes? (?:a repetition|frequentes|repetees)|bracelet\w*|medaillon\w*|teleassistance)\b"
)

WISH = re.compile(
    r"\b(?:(?:mourir|finir|partir|deceder|s eteindre|m eteindre|rester|vivre|terminer"
    r"|finir sa vie|finir ma vie|veut mourir|mourra) (?:\w+ ){0,3}(?:chez (?:moi|elle|lui|soi|nous"
    r"|eux)|a la maison|a domicile|dans (?:son|mon|sa|ma|leur) (?:lit|maison|village|chez)"
    r"|dans la dignite|dignement|en paix|paisiblement|tranquillement|entouree?|sans souffrir"
    r"|dans (?:sa|son|ma|mon) (?:ferme|appartement|chambre|region|pays|coin|jardin)"
    r"|sans souffrance|pres de (?:\w+ ){0,2}(?:siens|famille|enfants|proches)|jusqu au bout"
    r"|le plus tard possible)|finir (?:mes|ses|nos|leurs|tes|vos) jours|fin de vie|fin de sa vie"
    r"|fin de ma vie|directives anticipees|soins palliatifs|personne de confiance|(?:avant|apres)"
    r" (?:de mourir|ma mort|sa mort|mon deces|son deces|leur deces|que je meure|qu il meure"
    r"|qu elle meure|mon depart|son depart)|quand (?:je|il|elle|nous) (?:serai|sera|serons"
    r"|seront) (?:mort|morte|morts|parti|partie|plus la)|quand (?:je|il|elle) (?:mourrai|mourra"
    r"|partirai|partira|ne serai plus|ne sera plus|decedera)|le jour ou (?:je|il|elle) (?:\w+ )?"
    r"(?:mourrai|mourra|partira|partirai|ne sera plus|ne serai plus|decede|deceder)|obseques"
    r"|testament|succession|heritage|heritiers|recuperation|recupere sur|aide active a mourir"
    r"|euthanasie|assurance (?:deces|obseques)|prevoyance|peur de mourir seule?|peur de la mort"
    r"|mourir a l hopital|mourir en ehpad|mourir dans un ehpad|quand ce sera l heure"
    r"|quand (?:son|mon|leur) heure (?:sera|viendra))\b"
)

# Said anywhere in the message, it answers "is it now?" for a medical word ("elle va bien").
RESOLVED = re.compile(
    r"\b(?:(?:elle|il|je|on|tout le monde) (?:va|vais|vont) (?:bien|mieux)|ca va (?:bien|mieux)"
    r"|plus de peur que de mal|rien de casse|rien de grave|sans gravite|pas grave|pas de bobo"
    r"|s est relevee? (?:seule?|tout seul|toute seule)|(?:ont|a) pu (?:la|le) relever"
    r"|tout est rentre dans l ordre|c est passe)\b"
)

# Who a message is about, as the subject of "… est par terre".
_PERSON = (
    r"(?:il|elle|papa|maman|mamie|mami|mamy|papi|papy|pepe|meme|(?:mon|ma|son|sa|notre|leur|le|la)"
    r" (?:pere|mere|mari|femme|epoux|epouse|grand mere|grand pere|tante|oncle|voisine?|frere"
    r"|soeur|fils|fille|beau pere|belle mere|compagnon|compagne|conjointe?|patiente?"
    r"|residente?))"
)
# Where or how a person is when someone is with them (any named subject).
_LYING = (
    r"par terre|au sol|a terre|sur le sol|sur le carrelage|allongee?|etendue?|inanimee?"
    r"|inconsciente?|sans connaissance|dans (?:son|sa|le|la|leur) (?:lit|fauteuil|canape"
    r"|baignoire|douche|cuisine|salon|chambre|salle de bain|salle d eau|toilettes|wc|jardin"
    r"|couloir|entree|escalier)"
)
# Where a person is, said of "il" or "elle" only ("mon mari est avec moi" is someone else).
_WITH_ME = (
    r"avec (?:moi|nous)|a cote de moi|pres de moi|devant moi|dans mes bras|chez (?:moi|nous)"
    r"|ici|de retour|sain et sauf|saine et sauve"
    r"|la(?= (?:il|elle|je|j|on|et|mais|a cote|avec|devant|dans|par|allongee?|assise?"
    r"|couchee?)\b|$)"
)
_JUST = r"(?:enfin |finalement |heureusement |bien |vite |deja |tout de suite |juste )?"
_NOT = r"(?<!\bne )(?<!\bn )"  # "personne ne l'a retrouvée" is not found

# The person is found, or is there: whatever said they were missing is the story of how
# they were found ("il ne répond plus depuis ce matin, je suis passée, il est par terre").
# Present or just done: "l'avait retrouvée" (an earlier time) or "elle était dans son lit"
# (before she left) are not.
FOUND = re.compile(
    # found: "je l'ai retrouvée", "un voisin l'a ramené", "on vient de le trouver"
    rf"\b(?:{_NOT}(?:l|la|le) (?:ai|a|avons|ont|avez) {_JUST}(?:retrouvee?|ramenee?|recuperee?"
    r"|raccompagnee?)"
    # "trouvée" where or how ("je l'ai trouvée par terre"), not an opinion ("trouvée fatiguée")
    rf"|{_NOT}(?:l|la|le) (?:ai|a|avons|ont|avez) {_JUST}(?:trouvee?|decouverte?)"
    rf"(?= (?:{_LYING}|assise?|couchee?|endormie?|dehors|devant|derriere|chez|sur|en bas"
    r"|au (?:pied|fond|bord)|comme ca|il|elle|et)\b|$)"
    # SMS without the apostrophe: "on la retrouvee" (not "pour la retrouvée", an infinitive)
    r"|(?<!\bqu )\b(?:on|je|ils|elles|nous|il|elle|qui|pompiers|gendarmes|police|voisin"
    r"|voisine) la (?:retrouvee|ramenee|recuperee)(?! (?:pas|plus|jamais)\b)"
    r"|(?:viens|vient|venons|venez|viennent) de (?:la |le |l )(?:re)?trouver"
    r"|(?:a|ont) ete (?:re)?trouvee?s?|(?:a|ont) ete ramenee?s?"
    # there: "il est par terre", "papa est tombé", "elle est à côté de moi"
    rf"|{_PERSON} est (?:encore |toujours |maintenant |la )?(?:{_LYING})"
    rf"|{_PERSON} est tombee?(?! (?:en panne|d accord))"
    rf"|(?:il|elle) est (?:bien |encore |toujours |maintenant )?(?:{_WITH_ME})"
    r"|(?:je suis|on est|nous sommes|je reste|je suis restee?) (?:(?!pas |plus |jamais )\w+ )?"
    r"(?:avec|aupres de|aupres d|a cote de|a cote d|pres de|pres d) (?:lui|elle)"
    r"|(?:je|on|nous) (?:l|la|le) (?:entends|entend|entendons|vois|voit|voyons)"
    r" (?:gemir|crier|appeler|pleurer|respirer|tousser|bouger|remuer|par la fenetre"
    r"|derriere la porte|allongee?|par terre|au sol)"
    # help is with them (not the police: they may be searching)
    r"|(?:les pompiers|le samu|les secours|l ambulance|le medecin|sos medecins?|le 15|le 18)"
    r" (?:est|sont) (?:deja |enfin )?(?:la|ici|sur place|arrivee?s?|avec (?:lui|elle|nous|moi))"
    r")\b"
)
# Said after the finding, these say the person is missing again, or still.
GONE_AGAIN = re.compile(
    r"\b(?:repartie?|ressortie?|redisparue?|(?:encore|de nouveau|a nouveau) (?:\w+ )?(?:disparue?"
    r"|partie?|sortie?|fugue|perdue?)|(?:la|le|l) (?:cherche|cherchent|cherchons|cherchez)"
    r"|toujours pas (?:de nouvelles|retrouvee?|trouvee?|rentree?|revenue?|la)|introuvable)\b"
)
# Just before a "found", these make it a question or a condition ("je ne sais pas si elle est là").
ASKED = re.compile(r"\b(?:est ce qu|si|savoir si|ou)$")

NEGATION_BEFORE = re.compile(
    r"\b(?:jamais|aucune?|nullement|pas de|pas d|sans|ni|non|pas un|personne)\b"
)
NE = re.compile(r"\b(?:ne|n)\b")
# A negated state right before the words: "n'est pas", "n'a jamais été", "ne sont plus".
NEGATED_STATE = re.compile(
    r"\b(?:ne|n) (?:est|etait|sont|suis|a|ai|avait|ont|semble|devient|parait)"
    r" (?:pas|plus|jamais|point)(?: ete)? $"
)
NOT_AFTER_NE = re.compile(r"\b(?:pas|plus|jamais|point|pa)\b")


def markers_in(clause: str) -> list[tuple[Marker, int, int]]:
    """Every context marker of a clause: its kind, start and end (character offsets)."""
    found: list[tuple[Marker, int, int]] = []
    for marker, pattern in MARKERS:
        found.extend((marker, m.start(), m.end()) for m in pattern.finditer(clause))
    return found


def without_figures(clause: str) -> str:
    """The clause with its figurative phrases blanked out (offsets unchanged)."""
    return FIGURATIVE.sub(lambda m: " " * len(m.group(0)), clause)
