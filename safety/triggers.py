"""Words of danger, by kind, as the reader looks for them in plain words (safety/text.py).

Each trigger says how much it weighs alone:

- ``strong``: danger now unless the context calms it ("ne respire plus");
- weak (``strong=False``): alone it is unclear ("elle saigne", "il a fait un AVC");
  a word of now ("ce matin", "vient de") makes it danger;
- ``ceiling=UNCLEAR``: never more than unclear alone (a fall: the question is
  whether the person can get up, which other triggers read);
- ``acute``: a medical event, which a past time, a chronic condition or care
  already given calm; an ongoing danger (violence, abuse, suicidal thoughts, a
  missing person) is calmed only by an explicit past ("il y a dix ans");
- ``negative``: the pattern holds its own negation ("ne se réveille pas"),
  so a "ne … pas" around it does not calm it.

Patterns are written on plain words: lowercase, no accents, apostrophes as
spaces ("l a frappee"), SMS spellings written out ("pu" → "plus").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from safety.classes import Danger, Level

NUM = (
    r"(?:\d+|un|une|deux|trois|quatre|cinq|six|sept|huit|neuf|dix|onze|douze|quinze|vingt"
    r"|trente|quarante|cinquante|soixante|quelques|plusieurs|des|de nombreuses|nombreuses)"
)
W = r"(?:\w+ )"  # one word and its space, for "{0,3}" gaps
OBJ = r"(?:me|m|te|t|nous|vous|la|le|l|les|lui|leur)"
NEG = r"(?:pas|plus|pa|jamais)"
CAN = (
    r"(?:peu[xt]?|peuvent|pouvons|pouvez|arrive|arrives|arrivent|arrivons|arrivez|parvient"
    r"|parviens|parviennent|reussi[st]?|reussissons|reussissent|sait|sais)"
)
PILLS = r"(?:medicaments|medocs|cachets|comprimes|pilules|somniferes|calmants|anxiolytiques)"
SPOUSE = (
    r"(?:mari|femme|epoux|epouse|conjoint|conjointe|compagnon|compagne|concubin|concubine"
    r"|ex mari|ex femme|ex|copain|copine|ami|amie)"
)
PAPERWORK = (
    r"(?:papiers|paperasse|demarches?|dossiers?|formulaires?|histoire|attente|administration"
    r"|situation|problemes?|galere|factures|travaux|procedures?|maison|vente|succession|cartons"
    r"|impots|banque|caf|mdph|question)"
)
EN_FINIR = rf"en finir(?! (?:avec|une bonne fois (?:pour toutes )?avec) (?:\w+ ){{0,2}}{PAPERWORK})"
CARE_PLACE = re.compile(
    r"\b(?:ehpad|maison de retraite|residence|foyer|clinique|hopital|soignants?|aide soignante?"
    r"|aides? a domicile|auxiliaires?(?: de vie)?|infirmiere?s?|personnel|aide menagere|curat\w*"
    r"|tut(?:eur|rice)|usld|unite)\b"
)
ADMIN = (
    r"(?:caf|cpam|mdph|carsat|msa|departement|mairie|ccas|clic|service|services|administration"
    r"|secretariat|standard|agence|caisse|banque|notaire|mutuelle|assistante sociale|conseil"
    r"|personne|ils|on|dossier|site|ehpad|residence|maison de retraite|plateforme|numero)"
)


@dataclass(frozen=True)
class Trigger:
    """A way of saying one kind of danger."""

    danger: Danger
    pattern: re.Pattern[str]
    strong: bool = True
    acute: bool = True
    negative: bool = False
    ceiling: Level = Level.DANGER
    # Ignored when one of these words comes just before ("la caf ne répond plus").
    not_after: re.Pattern[str] | None = None
    # False: a sign that counts only with another sign of its kind ("le frigo est vide").
    alone: bool = True


def _t(danger: Danger, pattern: str, **options: object) -> Trigger:
    return Trigger(danger, re.compile(rf"\b(?:{pattern})\b"), **options)  # type: ignore[arg-type]


M, S, P = Danger.MEDICAL, Danger.SUICIDE, Danger.SUICIDE_PLAN
V, MT, MS, G = Danger.VIOLENCE, Danger.MALTREATMENT, Danger.MISSING, Danger.GENERAL
_ADMIN_BEFORE = re.compile(rf"\b{ADMIN}\b")

TRIGGERS: tuple[Trigger, ...] = (
    # --- medical: on the floor and cannot get up -----------------------------------------
    _t(
        M,
        rf"(?:ne |n )?{CAN} {NEG} (?:a )?(?:se |me |te |la |le |l |les |nous |vous )?"
        r"(?:relever|remettre debout|redresser)"
        # lifting someone out of a chair or a bed is a difficulty of every day, not a fall
        r"(?! (?:du|de son|de sa|de leur|de ce|de la|de mon|de ma) (?:fauteuil|lit|canape|chaise"
        r"|siege|toilettes|wc|cuvette))",
        negative=True,
    ),
    _t(
        M,
        r"impossible de (?:se |me |la |le |l |les |nous )?(?:relever|remettre debout|bouger)"
        r"|(?:incapable|pas capable|plus capable) de (?:se |me )?(?:relever|lever|bouger)",
    ),
    _t(
        M,
        r"(?:est|suis|sont|etait|reste|restee|coince|coincee|bloque|bloquee|allonge|allongee"
        r"|etendu|etendue|gisait|git) (?:\w+ ){0,2}(?:par terre|au sol|a terre|sur le sol"
        r"|sur le carrelage|dans la baignoire|au fond de la baignoire|entre le lit et le mur)",
    ),
    _t(
        M,
        rf"(?:par terre|au sol|a terre) (?:{W}{{0,6}})(?:{CAN} {NEG}|ne bouge|bouge {NEG}"
        r"|depuis(?! (?:son|sa|ses|le|la|l|un|une|qu|que) )"
        r"|toute la nuit|froide?|impossible|inerte|glacee?)",
    ),
    _t(
        M,
        r"(?:trouve|trouvee|retrouve|retrouvee|decouvert|decouverte) (?:\w+ ){0,3}(?:par terre"
        r"|au sol"
        r"|a terre|inanimee?|inconsciente?|sans reaction|allongee? (?:par terre|au sol))",
    ),
    _t(
        M,
        rf"(?:ne |n )?{CAN} {NEG} (?:a )?(?:se |me |la |le |l )?(?:lever|bouger)"
        r"(?= (?:du sol|de terre|de par terre|seule? du sol))",
        negative=True,
    ),
    _t(
        M,
        r"(?:coince|coincee|bloque|bloquee|enferme|enfermee) (?:\w+ ){0,2}(?:dans|au fond de)"
        r" (?:la|ma|sa|une) (?:baignoire|douche)|(?:ne )?(?:peu[xt]?|arrive|arrivent) (?:pas|plus)"
        r" (?:a )?(?:sortir|m extraire|la sortir|le sortir) de (?:la|ma|sa) (?:baignoire|douche)",
    ),
    _t(
        M,
        rf"(?:ne |n )?{CAN} (?:pas|plus|pa) (?:a )?(?:se |me |la |le )?(?:bouger"
        # "lever les volets" is not "se lever"; "lever le bras" still is a sign
        r"|lever(?! (?:les|le|la|l|des|ses|son|sa|un|une|mes|mon|ma) (?!(?:bras|jambes?|mains?"
        r"|tete|pieds?|genoux?)\b))"
        r"|se mettre debout|remuer)|crie de douleur|hurle de douleur|gemit|(?:a|ai) (?:tres"
        r"|super|trop|tellement|horriblement) mal|douleur (?:atroce|insupportable|terrible)"
        r"|(?:n a|ne|n) (?:rien|plus|pas) (?:mange|bu|boit|mangee) depuis (?:\w+ ){0,2}(?:jours"
        r"|hier|deux|trois|plusieurs)|(?:ne )?(?:me |nous |lui )?repond (?:plus|pas)"
        r"(?: du tout| rien)?$",
        strong=False,
        negative=True,
        not_after=_ADMIN_BEFORE,
    ),
    # --- medical: unconscious, not reacting ------------------------------------------------
    _t(
        M,
        r"inconscient|inconsciente|evanoui|evanouie|s est evanoui\w*|perdu connaissance"
        r"|perd connaissance|sans connaissance|dans le coma|yeux revulses"
        r"|(?:se |me )?reveille (?:pas|plus|pa)|reagit (?:plus|pas|pa)"
        r"|ne bouge (?:plus|pas|pa)(?! (?:beaucoup|trop|guere|bien|de |du |des |sans|tellement"
        r"|assez|souvent|sauf|la nuit|le jour|le matin|de la journee))"
        r"|(?:ne )?(?:me |nous )?repond (?:plus|pas|pa) quand (?:je|on) (?:lui )?(?:parle|l appelle"
        r"|la secoue|le secoue|le touche|la touche)|ne repond (?:plus|pas) (?:du tout )?"
        r"(?:et|il|elle) (?:ne )?(?:respire|bouge|reagit)",
        negative=True,
    ),
    _t(
        M,
        r"(?:il|elle|mon pere|ma mere|mon mari|ma femme) (?:\w+ )?(?:ne )?(?:me |nous )?"
        r"repond (?:plus|pas)(?! (?:au telephone|aux appels|a mes messages|a mes appels"
        r"|au tel|aux messages|a la porte|depuis))(?: du tout| rien)?$",
        strong=False,
        negative=True,
    ),
    # --- medical: breathing -------------------------------------------------------------------
    _t(
        M,
        r"(?:ne )?respire (?:plus|pas|pa|presque plus|mal|tres mal|difficilement|avec difficulte"
        r"|bizarrement|tres fort|par a coups)|(?:du mal|de la peine|des difficultes|difficulte"
        r"|n arrive (?:pas|plus)|arrive (?:pas|plus)|plus) a respirer|s etouffe|etouffe\b"
        r"|s etrangle|suffoque|suffoquer|cherche (?:son|sa) (?:air|souffle|respiration)"
        r"|manque d air|(?:fait|a fait) une fausse route|levres (?:bleues|violettes)"
        r"|devient (?:tout )?(?:bleu|bleue)|rale|halete",
        negative=True,
    ),
    # --- medical: heart -----------------------------------------------------------------------
    _t(
        M,
        r"(?:mal|douleur|douleurs|serrement|oppression|pression|poids|brulure|barre|point)"
        r" (?:\w+ ){0,2}(?:a|dans|sur|au niveau de|en) (?:la |sa |ma )?poitrine"
        r"|poitrine (?:qui )?(?:serre|me serre|lui serre|brule|oppressee|comprimee|fait mal)"
        r"|serre (?:dans|a) la poitrine|(?:mal|douleur|douleurs|fourmillement\w*|engourdi\w*)"
        r" (?:\w+ ){0,2}(?:dans|au|a) (?:le |son |mon |sa |ma )?bras gauche"
        r"|bras gauche (?:qui )?(?:fait mal|engourdi|lourd|ne repond plus)"
        r"|(?:mal|douleur) (?:\w+ ){0,2}(?:a|dans) la machoire"
        r"|crise cardiaque|infarctus|arret cardiaque|attaque cardiaque"
        r"|coeur (?:qui )?(?:s emballe|bat (?:tres )?(?:vite|fort|n importe comment)|s arrete"
        r"|lache)",
    ),
    # --- medical: stroke ---------------------------------------------------------------------
    _t(
        M,
        r"(?:bouche|visage|levre|figure|joue|oeil|paupiere) (?:\w+ ){0,2}(?:de travers|tordue?"
        r"|deformee?|paralysee?|qui tombe|tombe d un cote|affaissee?|pend|pendante)"
        r"|(?:fait|fais|faire|faisait|en train de faire) (?:un |une )?(?:avc|accident vasculaire"
        r"|attaque cerebrale|ait)|avc en cours|signes? d (?:un )?avc"
        r"|(?:c est|je crois que c est|on dirait|ca ressemble a) (?:un |une )?(?:avc|attaque)",
    ),
    _t(
        M,
        rf"(?:{CAN}|ne {CAN}) (?:plus|pas) (?:a )?(?:parler(?! (?:a|au|aux|avec|de|en|d)\b)"
        r"|articuler|sortir (?:un|ses) mots?"
        r"|trouver ses mots)|parle (?:bizarrement|de travers|n importe comment|plus du tout"
        r"|avec la bouche)|(?:sa |la )?parole (?:brouillee|confuse|pateuse)"
        r"|mots (?:melanges|incoherents|sans queue)|incoherent|incoherente"
        r"|(?:bras|jambe|main|cote) (?:\w+ ){0,2}(?:ne repond plus|inerte|paralyse|paralysee"
        r"|sans force|tout mou|toute molle|engourdi|engourdie|lourd d un coup|lache)"
        r"|avc|accident vasculaire|attaque cerebrale",
        strong=False,
        negative=True,
    ),
    # --- medical: poisoning, overdose, gas, fire ---------------------------------------------
    _t(
        M,
        rf"(?:avale|a pris|ai pris|avons pris|vient de prendre|s est trompe\w*|a avale"
        rf"|ai avale) (?:\w+ ){{0,3}}(?:toute la boite|toute une boite|toute sa boite"
        rf"|toute ma boite|tou[st]? (?:ses|mes|les) {PILLS}|trop de {PILLS}|trop de doliprane"
        rf"|(?:\d+|trente|vingt|quarante|cinquante|une dizaine de|une vingtaine de) {PILLS}"
        rf"|(?:deux|2|trois|3|plusieurs) fois (?:son|ses|mon|mes) (?:traitement|{PILLS})"
        rf"|la boite entiere|une plaquette entiere|la plaquette|une boite entiere)"
        r"|intoxique\w*|intoxication|empoisonn\w*|overdose|surdosage"
        r"|(?:bu|avale|boire|avaler) (?:\w+ ){0,3}(?:javel|produit menager|produit vaisselle"
        r"|detergent"
        r"|desherbant|white spirit|insecticide|alcool a bruler|destop)"
        r"|odeur de gaz|sent le gaz|fuite de gaz|monoxyde",
    ),
    _t(
        M,
        r"au feu|incendie|il y a le feu|le feu (?:a|dans|a pris)|fumee (?:partout|dans|noire"
        r"|qui sort)|ca brule dans|maison (?:qui )?brule|en feu",
    ),
    # --- medical: injuries, bleeding, other ---------------------------------------------------
    _t(
        M,
        r"saigne (?:beaucoup|enormement|abondamment|sans arret|de partout|a flot|fort|toujours"
        r"|encore|de la tete)|ne s arrete (?:pas|plus) de saigner|n arrete pas de saigner"
        r"|saignement qui ne s arrete|perd (?:beaucoup|enormement) de sang|hemorragie"
        r"|(?:mare|flaque|plein) de sang|sang (?:partout|qui coule|qui gicle)|pisse le sang"
        r"|vomit du sang|crache du sang",
        negative=True,
    ),
    _t(
        M,
        r"saigne|saignement|sang|(?:cogne|tape|heurte|ouvert|blesse|blessee) (?:\w+ ){0,2}la tete"
        r"|(?:plaie|blessure|bosse|coupure|entaille) (?:\w+ ){0,3}(?:a la|sur la|de la|au) "
        r"(?:tete|front|crane)|traumatisme cranien|fracture|casse (?:le|la) (?:col|hanche|jambe"
        r"|bras|poignet)|brulure grave|grave brulure|convulse|convulsions|crise d epilepsie"
        r"|hypoglycemie|en hypo|tres forte fievre|fievre de cheval|(?:40|quarante) de fievre"
        r"|delire|delirer|confuse? d un coup|vomit sans arret|ne se reveille"
        r"|somnolente?|n arrive pas a (?:la|le) reveiller|desorientee?"
        r"|deshydratee?|(?:ne )?parle (?:plus|pas)(?! (?:a|au|aux|avec|de|d|francais|bien|beaucoup"
        r"|trop|souvent|fort|plus|du|des))",
        strong=False,
    ),
    _t(
        M,
        r"malaise|fait un malaise|perte de connaissance|tombe|tombee|tombes|tombees|tomber"
        r"|chute|chuter|chutes",
        strong=False,
        ceiling=Level.UNCLEAR,
    ),
    _t(
        M,
        r"(?:faut il|dois je|je dois|on doit|faut|est ce qu il faut) (?:\w+ ){0,2}(?:appeler"
        r"|prevenir) (?:le 15|le samu|les pompiers|le 18|le 112|une ambulance|les secours)",
        strong=False,
    ),
    # --- a call for help, no kind said ---------------------------------------------------------
    _t(
        G,
        r"au secours|a l aide(?! (?:de|d|du|des|a|pour|sociale|sociales|menagere|financiere"
        r"|personnalisee|au|aux|la|le|les|pour|si|en cas))|aidez moi vite|aidez nous vite|sos"
        r"(?! medecins?)|venez vite|vite vite|urgence vitale|appelez (?:les secours|le samu"
        r"|les pompiers|une ambulance)|c est une urgence vitale|il y a une urgence",
        acute=False,
    ),
    _t(
        G,
        r"^(?:urgence|urgent|c est urgent|tres urgent|urgence urgence|alerte|danger)$",
        strong=False,
        acute=False,
    ),
    # --- suicide ------------------------------------------------------------------------------
    _t(
        S,
        r"(?:envie de|veux|veut|voudrais|voudrait|aimerais|aimerait|souhaite|souhaiterais"
        r"|prefere|prefererais|pense a|songe a|reve de|besoin de|prete? a|decide de|decidee? a)"
        rf" (?:\w+ ){{0,2}}?(?:{EN_FINIR}|me tuer|se tuer|me suicider|se suicider"
        r"|mettre fin a (?:mes|ses|tes) jours|me foutre en l air|se foutre en l air|me jeter"
        r"|se jeter|me pendre|se pendre|partir pour de bon|ne plus me reveiller"
        r"|ne plus se reveiller|disparaitre|m en aller pour de bon)"
        r"|(?:envie de|veux|veut|voudrais|voudrait|aimerais|aimerait|souhaite|pense a|songe a"
        r"|reve de|besoin de|prete? a) (?:\w+ ){0,1}?mourir"
        rf"|(?:vais|va|vas|allais|allait) (?:\w+ ){{0,1}}?(?:{EN_FINIR}|me tuer|se tuer"
        r"|me suicider|se suicider|mettre fin a (?:mes|ses|tes) jours|me foutre en l air"
        r"|se foutre en l air|me jeter|se jeter|me pendre|se pendre)",
        acute=False,
    ),
    _t(
        S,
        r"(?:plus|pas|perdu) (?:\w+ )?(?:envie|le gout|gout|la force|le courage|l envie) de"
        r" (?:vivre|me battre)|plus (?:le )?gout a rien"
        r"|(?:marre|assez|fatiguee?|lasse?|usee?) de (?:vivre|la vie|ma vie|cette vie)"
        r"|(?:a|ca sert a) (?:quoi bon|rien de) (?:vivre|continuer)|a quoi bon (?:vivre|continuer"
        r"|tout ca|me lever|se lever)|la vie n a plus (?:de sens|d interet|de gout)"
        r"|(?:ne )?(?:veux|veut|voudrais) (?:plus|pas) vivre(?! (?:en|dans|a (?:la|l|domicile"
        r"|cote)|chez|avec|la|ici|comme|ainsi|loin|sans|seule?|dans))"
        r"|(?:serait|seraient|seriez|serais|seront|serez)"
        r" (?:\w+ )?mieux sans moi|je suis un poids|(?:dormir|m endormir|s endormir) (?:\w+ )"
        r"{0,3}(?:ne (?:plus|pas) (?:me |se )?reveiller|pour toujours|pour de bon)"
        r"|(?:idees?|pensees?) (?:noires|suicidaires|de mort|de suicide)|idees de me"
        r"|(?:veux|voudrais|veut|voudrait|aimerais) (?:plus|pas|ne plus|ne pas) (?:me |se )?"
        r"reveiller|mettre fin a (?:mes|ses|leurs|tes) jours|(?:voulait|voulais|parle de"
        r"|parlait de|menace de|dit vouloir|a envie de) (?:\w+ ){0,2}?(?:mourir|en finir|se tuer"
        r"|se suicider|me tuer|me suicider|disparaitre)|(?:suis|etre|serai) un (?:poids|fardeau)"
        r"|tentative de suicide|suicide|suicidaire|suicider|suicidee?"
        rf"|{EN_FINIR}"
        r"|(?:vais|va|pourrais|risque de|peur de|envie de) faire une (?:grosse )?(?:betise"
        r"|connerie)|me tuer(?! (?:a la tache|au travail|a petit feu))|(?:envie|veux|voudrais"
        r"|aimerais) (?:de )?ne plus etre la|plus rien a faire (?:ici|sur terre)"
        r"|disparaitre (?:pour toujours|de ce monde|de la surface)|partir rejoindre"
        r"|rejoindre (?:mon|ma) (?:mari|femme|epoux|epouse|defunt\w*) (?:la haut|au ciel)",
        acute=False,
        negative=True,
    ),
    _t(
        S,
        r"(?:prefere|prefererais|plutot) (?:\w+ ){0,2}(?:mourir|crever|etre morte?)"
        r"|(?:veux|veut|voudrais) (?:plus|pas) vivre (?:comme ca|ainsi)|j en ai assez de tout"
        r"|plus la force de continuer|plus la peine de continuer|envie de tout arreter"
        r"|plus envie de continuer|je vais mourir|on va mourir|marre de tout|assez de tout"
        r"|a quoi bon$",
        acute=False,
        strong=False,
    ),
    # --- suicide: a plan, the means, an act -----------------------------------------------------
    _t(
        P,
        r"lettres? d adieu|mots? d adieu|(?:me|se) pendre|pendaison|(?:me|se) couper les veines"
        r"|(?:me|se) noyer|(?:sauter|me jeter|se jeter) (?:\w+ ){0,3}(?:pont|fenetre|balcon"
        r"|train|falaise|loire|sous|par la|du haut)|(?:ce soir|cette nuit|demain) (?:c est|ca sera"
        r"|ce sera|tout sera) (?:fini|la fin|termine)|(?:dernier|derniere) (?:soir|nuit|jour)"
        r" de ma vie|(?:avaler|prendre|vais prendre|vais avaler|va avaler|va prendre) (?:\w+ )"
        rf"{{0,2}}(?:toute la boite|tous mes {PILLS}|tous ses {PILLS}|tout (?:le tube|la boite"
        r"|mes cachets|ses cachets))|(?:tous|toutes) les (?:prendre|avaler)|(?:compte|vais|veux"
        rf"|va) (?:\w+ ){{0,1}}(?:prendre|avaler) (?:tous|toutes|tout) (?:mes|ses|les) {PILLS}",
        acute=False,
    ),
    _t(
        P,
        r"(?:ce soir|cette nuit|demain|tout a l heure|apres) (?:je |j |il |elle )?(?:\w+ ){0,2}"
        r"(?:prends|prend|avale|prendrai|prendra|avalerai|avalera|vais prendre|vais avaler"
        r"|va prendre|va avaler) (?:\w+ ){0,1}(?:tout|toute|tous|la boite|les boites)",
        acute=False,
    ),
    # Gathering the means: a plan only when suicidal words are said too (safety/reading.py).
    _t(
        P,
        rf"(?:garde|gardee|gardes|stocke|stockee|stockes|mis de cote|met de cote|rassemble"
        rf"|amasse|accumule|cache|cachee|economise|compte|achete) (?:\w+ ){{0,3}}{PILLS}"
        r"|(?:ai|a) (?:tout )?(?:prepare|prevu|organise|decide|regle)|corde|fusil|pistolet"
        r"|(?:ecrit|ecrits|laisse|laisses) (?:mes|ses|des|les) lettres|(?:cachets|comprimes"
        r"|medicaments) (?:\w+ ){0,2}prets|lame de rasoir|rasoir|rempli la baignoire"
        r"|range la maison|(?:partira|partirons|partirai|partiront) (?:tous les deux|ensemble)"
        r"|ca n aura plus d importance|donne (?:\w+ ){0,3}(?:ses|mes) (?:cles|papiers|affaires)"
        r"|vide (?:la|une|sa|ma|toute la) boite"
        r"|(?:dit|fait|ecrit) (?:ses |mes )?adieux|mes adieux",
        acute=False,
        strong=False,
        ceiling=Level.UNCLEAR,
    ),
    # --- violence now ---------------------------------------------------------------------------
    _t(
        V,
        r"(?:leve|levee|lever|levait) la main sur (?:moi|elle|lui|nous|ma|mon)"
        r"|(?:m|l|lui|me|la|le) (?:a |avait )?(?:serre|serree|serrer|serrait|prend|pris|prise"
        r"|attrape|attrapee) (?:\w+ )?(?:le cou|la gorge|par le cou|a la gorge|par les cheveux)"
        r"|(?:essaie|essaye|tente|essayent|tentent|essaient|a essaye|ont essaye) (?:d ouvrir|de"
        r" casser|de fracturer|de forcer) (?:ma|la|notre|les|mes) (?:porte|fenetre|volets?"
        r"|fenetres|serrure)",
        acute=False,
    ),
    _t(
        V,
        rf"{OBJ} (?:frapper|battre|cogner|tabasser|gifler|etrangler|brutaliser|bousculer"
        r"|secouer|agresser|tuer|egorger|frappe|frappent|frappait|frappaient|bat|battent|battait"
        r"|cogne|cognent|tape|tapent|tapait|tapaient"
        r"|tabasse|tabassent|gifle|giflent|etrangle|etranglent|brutalise|brutalisent|bouscule"
        r"|bousculent|rudoie|rudoient|secoue|secouent|agresse|agressent)(?! (?:a la porte"
        r"|sur les nerfs|pour|a manger|la tete|les puces))"
        rf"|{OBJ} (?:pousse|poussent|poussait|jette|jettent|traine|trainent) (?:\w+ ){{0,2}}"
        r"(?:contre|par terre|violemment|dans l escalier|au sol|a terre|dehors|par les cheveux)"
        r"|(?:me|m|nous|te|lui) (?:menace|menacent)(?: (?:de|avec|si|quand|tout le temps"
        r"|sans cesse))?"
        r"|(?:il|elle|ils) (?:la|le|les) (?:menace|menacent) (?:de|avec|si)",
        acute=False,
    ),
    _t(
        V,
        rf"{OBJ} (?:a|ont|avait|avaient) (?:encore |deja |souvent |plusieurs fois |de nouveau "
        r"|une fois de plus |meme )?(?:frappe|frappee|frappes|battu|battue|cogne|cognee"
        r"|tabasse|tabassee|gifle|giflee|etrangle|etranglee|secoue|secouee|brutalise"
        r"|brutalisee|bouscule|bousculee|pousse|poussee|jete|jetee|menace|menacee|agresse"
        r"|agressee|viole|violee|blesse|blessee|attache|attachee|enferme|enfermee|insulte"
        r"|insultee|humilie|humiliee|tire les cheveux|crache dessus|tordu le bras)",
        acute=False,
    ),
    _t(
        V,
        r"coups? de (?:poing|pied|pieds|ceinture|canne|baton|couteau|tete)|roue de coups"
        r"|(?:donne|donnent|donnait|donner|porte|portent|recoit|recu|recoivent|prend|prennent"
        r"|met|mis) (?:\w+ ){0,2}(?:des |de )?(?:coups|gifles|claques|baffes)"
        r"|menaces? de mort|(?:veut|va|menace de|a dit qu il allait|dit qu il va|dit qu elle va)"
        rf" (?:{OBJ} )?(?:tuer|frapper|faire du mal|egorger|buter|crever|casser la gueule)"
        r"|(?:avec|sort|a sorti|tient|brandit|pointe|menace avec) (?:un |une |son |sa )?"
        r"(?:couteau|arme|fusil|pistolet|hache|marteau|revolver)"
        r"|(?:essaie|essaye|tente|essayent|tentent|essaient) (?:d entrer|de rentrer|de forcer"
        r"|d enfoncer|de casser)|(?:force|forcent|enfonce|enfoncent|defonce|defoncent) (?:la|ma"
        r"|notre) porte|(?:un|des) (?:inconnus?|individus?|cambrioleurs?|voleurs?) (?:\w+ ){0,3}"
        r"(?:est entre|sont entres|s est introduit|se sont introduits|rode|rodent|force|forcent"
        r"|a force|ont force|est dans|sont dans|tape a|frappe a ma)|(?:on|ils) (?:\w+ )?(?:me|nous)"
        r" cambriol\w*"
        r"|(?:est|sont) en train de (?:cambrioler|voler|casser|tout casser|frapper)"
        r"|(?:est|devient|devenu|devenue|etait|sont|deviennent|reste|peut etre) (?:tres |de plus "
        r"en plus |parfois |souvent |vraiment |super )?violente?s? (?:avec|envers|contre)"
        r"|(?:il|elle) (?:est|devient) (?:tres )?violente?\b|agression|agresse|agressee"
        r"|peur (?:pour ma vie|qu il me tue|qu il (?:me )?frappe|de lui|de mon fils|de mon mari"
        r"|de mon petit fils|de rentrer)|il va me tuer|elle va me tuer",
        acute=False,
    ),
    _t(
        V,
        r"violence|violences|violent|violente|frappe|frapper|frappee|coups|battue",
        strong=False,
        acute=False,
    ),
    # --- maltreatment ---------------------------------------------------------------------------
    _t(
        MT,
        r"maltrait\w*|mal traite\w*|mauvais traitements?|abus de faiblesse|abuse de (?:sa|son"
        r"|leur) (?:faiblesse|confiance|etat)|(?:escroqu|arnaqu|extorqu|spoli)\w*"
        r"|(?:prend|prennent|prenait|prendre|a pris|ont pris|vole|volent|volait|voler|a vole"
        r"|ont vole|pique|piquent|piquer|a pique|detourne|detournent|detourner|a detourne|vide"
        r"|vident|vider|a vide|ont vide|ponctionne|ponctionnent|confisque|confisquent|pompe"
        r"|pompent|soutire|soutirent|soutirer|se sert dans|se servent dans|se sert sur"
        r"|se servent sur|se sert de|retire|retirent"
        r"|subtilise|empoche|encaisse) (?:\w+ ){0,5}(?:son|sa|ses|mon|ma|mes|notre|nos|leur"
        r"|leurs|le|la|les|l) (?:argent|sous|carte bleue|carte bancaire|carte de credit|cb|retraite"
        r"|cheques?|chequier|pension|economies|comptes?|livret|bijoux|code|allocations?"
        r"|compte en banque)|profite (?:\w+ ){0,2}(?:de la|de sa|de son|de leur) (?:demence"
        r"|faiblesse|maladie|confusion|alzheimer|vulnerabilite|solitude|etat)"
        r"|faux (?:artisans?|plombiers?|policiers?|gendarmes?|agents?|techniciens?"
        r"|demarcheurs?|infirmiers?|neveux?|electriciens?|couvreurs?)|exigen?t? qu (?:elle|il)"
        r" (?:paie|paye|signe|donne|verse)|(?:force|forcee|oblige|obligee|obligent|forcent"
        r"|pousse|poussee|fait|contraint|contraignent|exige|exigent) (?:\w+ ){0,4}(?:a |de |d )?"
        r"(?:signer|donner|remettre|payer|verser|retirer|faire des cheques|lui faire"
        r" un cheque)|(?:signer|signe|signee) (?:\w+ ){0,4}(?:sous la pression|sous la contrainte"
        r"|de force"
        r"|sous la menace|sans comprendre)|(?:bleus|hematomes|ecchymoses|marques de coups"
        r"|griffures|traces de coups) (?:\w+ ){0,4}(?:inexpliques?|partout|sur les bras|sur le"
        r" visage|bizarres|que personne n explique|a chaque visite)",
        acute=False,
    ),
    _t(
        MT,
        r"(?:pourrais|vais|risque de|peur de|envie de|j ai peur de) (?:lui|la|le) faire du mal"
        r"|(?:peur de|risque de|envie de) (?:la|le) (?:frapper|secouer|brusquer|taper)"
        r"|se (?:fait|font|faisait) (?:frapper|battre|taper|maltraiter"
        r"|brutaliser|insulter|secouer|voler|racketter|depouiller|arnaquer|menacer)",
        acute=False,
    ),
    _t(
        MT,
        r"(?:laisse|laissee|laisses|laissees|laissent|laissait|laissaient|reste|restee|restent"
        r"|trouve|trouvee|retrouve"
        r"|retrouvee|retrouvons|trouvons) (?:\w+ ){0,4}(?:dans (?:ses|son|sa|leurs|les) "
        r"(?:couches?|protections?|urines?|excrements|selles|pipi|caca|souillures|draps sales"
        r"|draps mouilles)|souillee?|sans (?:manger|boire|eau|nourriture|soins|etre changee?"
        r"|etre lavee?|sonnette|repas)|des heures (?:sans|dans|par terre|seule?))"
        r"|personne ne (?:la|le|les|l|lui) (?:change|lave|nourrit|aide|leve|couche)"
        r"|(?:ne|n) (?:lui|la|le|leur|les) (?:donne|donnent|donnait|fait|font|apporte|apportent)"
        r" (?:pas|plus|jamais|rien) (?:a boire|a manger|ses medicaments|son traitement|de quoi)"
        r"|denutrie?|denutrition|escarres? (?:\w+ ){0,3}(?:pas soignee?s?|infectee?s?)"
        r"|(?<!je )(?:ne|n) (?:la|le|les|l|lui|leur) (?:change|changent|lave|lavent|nourrit"
        r"|nourrissent|donne a manger|donnent a manger|fait manger|font manger|donne a boire"
        r"|donnent a boire) (?:pas|plus|jamais|presque jamais)|(?:n est|ne sont) (?:jamais|pas"
        r"|plus) (?:changee?s?|lavee?s?|nourrie?s?)|(?<! s est )(?<! s )(?:attache|attachee"
        r"|attaches|attachent"
        r"|sangle|sanglee|(?<! s est )(?<! s )enferme|(?<! s est )(?<! s )enfermee|enferment"
        r"|sequestr\w*) (?:\w+ ){0,3}(?:lit|fauteuil"
        r"|chambre|cle|clef|dans|a son)|(?:prive|privee|prives|privent) (?:\w+ ){0,2}(?:de "
        r"nourriture|de manger|de sortie|de visites?|de ses medicaments|de telephone|de ses "
        r"lunettes|de son appareil)|(?:interdit|empeche|interdisent|empechent) (?:\w+ ){0,2}de"
        r" (?:voir|sortir|telephoner|appeler|parler a|recevoir)|(?:aide soignante?|aide a "
        r"domicile|auxiliaire de vie|auxiliaire|infirmiere?|personnel|soignants?|aidante?|aide"
        r" menagere|dame de compagnie|curateur|curatrice|tuteur|tutrice|mon fils|ma fille|mon "
        r"neveu|ma niece|son fils|sa fille|son neveu|sa niece|petit fils|petite fille|mon frere"
        r"|ma soeur|son gendre|sa belle fille|le gendre|le fils|la fille|le petit fils|le neveu)"
        r" (?:\w+ ){0,5}(?:l |la |le |lui |les |me"
        r" |m )?(?:insulte|insultent|humilie|humilient|hurle dessus|crie dessus|rudoie|rudoient"
        r"|brusque|brusquent|menace|menacent|secoue|secouent|frappe|frappent|brutalise"
        r"|brutalisent|crient sur|crie sur|hurlent sur|hurle sur|secouer|frapper|brutaliser"
        r"|insulter|menacer|rudoyer|humilier|taper|gifler|traite comme un chien"
        r"|traite comme une chienne|se moque|rabaisse"
        r"|terrorise|terrorisent)|personne ne (?:s occupe d elle|s occupe de lui|vient la voir"
        r"|vient le changer|repond a sa sonnette)|sonnette (?:\w+ ){0,3}(?:personne ne|jamais"
        r"|pas) (?:vient|repond)",
        acute=False,
        negative=True,
    ),
    # --- a vulnerable person missing ------------------------------------------------------------
    _t(
        MS,
        r"(?:est|a) (?:\w+ ){0,1}(?:parti|partie|sorti|sortie) (?:\w+ ){0,5}(?:et"
        r" (?:on|je|personne|nous) (?:ne )?(?:la|le|l) (?:trouve|retrouve)|sans (?:prevenir"
        r"|son telephone|rien dire|ses cles|manteau|chaussures|ses lunettes))"
        r"|(?:on|je|nous|ils) (?:la|le|l) (?:cherche|cherchons|cherchent) (?:\w+ ){0,2}(?:depuis"
        r"|partout|dans)|(?:on|je|nous|personne) (?:ne )?(?:la|le|l) (?:trouve|retrouve"
        r"|retrouvons|trouvons"
        r"|voit|vois|voyons) (?:plus|pas|pa|nulle part)|introuvable|disparition inquietante"
        r"|fugue|a fugue|en fugue|errance|erre (?:dans|seule?|la nuit|dehors|en pyjama)"
        r"|(?:pas|plus|personne n a|personne ne l a|personne ne la|jamais) (?:\w+ ){0,2}(?:vu"
        r"|vue|apercu|apercue|croise|croisee|de nouvelles|de signe de vie|signe de vie|entendu"
        r"|entendue) (?:\w+ ){0,4}depuis (?:\w+ ){0,2}(?:jours|semaine|hier|avant hier"
        r"|plusieurs|lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche|ce week end"
        r"|le week end|ce matin|des jours|48|72|24)",
        acute=False,
        negative=True,
    ),
    _t(
        MS,
        r"(?:a|est|ont|sont) (?:\w+ ){0,1}(?:disparu|disparue|disparus|introuvable|introuvables)"
        r"|(?:est|sont) (?:partie?s?|sortie?s?) de (?:la maison|chez (?:elle|lui|eux)|l ehpad"
        r"|sa chambre|la residence)",
        acute=False,
    ),
    # Signs that alone leave a doubt; two of them, or a word of now, make it danger.
    _t(
        MS,
        r"(?:volets|rideaux) (?:\w+ ){0,3}(?:fermes|clos|tires)|(?:boite aux lettres|courrier)"
        r" (?:\w+ ){0,3}(?:deborde|s accumule|s entasse|pleine)|(?:n ouvre|ne repond|n a pas"
        r" ouvert|ne decroche) (?:plus|pas) (?:\w+ ){0,2}(?:porte|telephone|tel|portable)"
        r"|(?:n )?a (?:pas|plus|pa) ouvert (?:ses|les|son|sa) (?:volets|rideaux|portail|porte)"
        r"|s est perdue?(?! (?:dans|avec) (?:les|ces|mes|la|le|l|son|ses) (?:papiers|demarches"
        r"|dossiers?|formulaires?|sigles|comptes|calculs))|(?:perdue?|egaree?|desorientee?)"
        r" (?:dans la rue|dehors|en ville|dans le quartier|la nuit|en pleine nuit|sur la route)"
        r"|sans nouvelles (?:de (?:lui|elle)|d elle)|(?:n est|ne sont|n etait) (?:toujours |pas "
        r"encore )?(?:pas )?(?:rentree?s?|revenue?s?)|sortie? (?:\w+ ){0,2}en (?:chemise de nuit"
        r"|pyjama|chaussons|robe de chambre)",
        strong=False,
        acute=False,
        negative=True,
        not_after=_ADMIN_BEFORE,
    ),
    _t(
        MS,
        r"(?:ne )?(?:repond|decroche|ouvre|rappelle) (?:plus|pas|pa) (?:\w+ ){0,3}"
        r"(?:telephone|tel|portable|porte|appels|sonnette|messages) (?:\w+ ){0,4}depuis"
        r" (?:\w+ ){0,2}(?:jours|hier|avant hier|plusieurs|ce matin|cette nuit|48|72|24"
        r"|lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche)",
        acute=False,
        negative=True,
        not_after=_ADMIN_BEFORE,
    ),
    # --- more ways, added after the first blind measure (docs/safety.md, "honesty") -----------
    _t(
        M,
        r"(?:visage|langue|levres?|gorge|bouche) (?:\w+ ){0,3}(?:gonfle|gonflent|gonflee|enfle"
        r"|enflent|enflee)|(?:du mal|de la peine|n arrive plus|n arrive pas) a avaler"
        r"|(?:ne )?sait plus (?:ou|qui) (?:il|elle|je) (?:est|suis)|(?:ne )?(?:me |nous |la |le )?"
        r"reconnai(?:t|s) plus|dit des choses (?:bizarres|incoherentes|sans sens)|mots qui n ont"
        r" (?:aucun|pas de) sens|(?:vois|voit|voyait) double|moitie du (?:corps|visage)"
        r"|glisse de sa chaise|pilulier (?:\w+ ){0,4}vide|(?:a|ai) tout pris|(?:pris"
        r"|avale) (?:\w+ )"
        r"{0,3}(?:traitement|medicaments|cachets) (?:\w+ ){0,4}(?:a la place|de ma femme"
        r"|de mon mari"
        r"|de quelqu un d autre|de sa femme|de son mari)|(?:pris"
        r"|avale) (?:\w+ ){0,3}(?:anticoagulants?"
        r"|somniferes?)|(?:pris|avale) (?:\w+ )"
        r"{0,2}(?:deux|2|trois|3) fois|(?:brule|brulee|ebouillantee?|s est brulee?) (?:avec|a|au"
        r"|par"
        r"|sur)|(?:fait|a fait) une crise|repond plus a (?:mes|nos|ses) questions"
        r"|n arrive plus a (?:la|le) faire parler",
        strong=False,
        negative=True,
    ),
    # Common signs: danger only with another one ("en sueur… ne répond plus à mes questions").
    _t(
        M,
        r"(?:en )?sueurs?|transpire|tremble|tremblements?|grelotte|confuse?|fievre|tete qui tourne"
        r"|vertiges?|s endort (?:a table|tout le temps|d un coup)|dort tout le temps"
        r"|(?:je me sens|se sent) (?:pas bien|tres mal|mal)|vomit|vomi|vomissements?",
        strong=False,
        alone=False,
    ),
    _t(
        S,
        r"(?:plus|aucun|pas d|pas l) (?:l )?interet (?:de|a) (?:continuer|vivre)|partir pour de bon"
        r"|ne plus etre la(?! (?:pour|quand|a|au))|mieux (?:que je|qu il|qu elle|que tu)"
        r" (?:me|se|te) tue|(?:pense|pensee|songe) (?:\w+ ){0,2}a (?:ne plus me reveiller|en finir"
        r"|mourir|me tuer|tout arreter|me supprimer|partir pour de bon)|la vie ne vaut plus"
        r" (?:rien|la peine)|vaut plus la peine de vivre|(?:aimerait|aimerais|voudrait|voudrais"
        r"|veut|veux|envie de) (?:\w+ )?crever|pour (?:la|le|les) rejoindre|(?:me|se|te) supprimer"
        r"|que (?:ca|tout) s arrete|(?:m endormir|s endormir|dormir) (?:\w+ ){0,3}ne (?:plus|pas)"
        r" jamais (?:me |se )?reveiller",
        acute=False,
        negative=True,
    ),
    _t(
        P,
        r"(?:ne veux|ne veut|veux pas|veut pas) (?:pas )?que ce soit (?:moi|toi|vous|lui|elle|mes"
        r" enfants|ma fille|mon fils) qui (?:me|la|le|les) trouve|(?:message|texto|sms|lettre"
        r"|mot)s? d adieu|(?:dire|dit|dis) (?:au revoir|adieu) (?:a|aux|pour toujours)"
        r"|(?:serai|sera) plus la (?:demain|ce soir|cette nuit)|plus besoin (?:\w+ ){0,3}apres"
        r" (?:ce soir|demain|cette nuit)|(?:arme|fusil|revolver|pistolet|carabine) (?:\w+ ){0,4}"
        r"(?:charge|chargee|sorti|sur la table|a cote de|pres de)|(?:ouvert|ouverts|coupe"
        r"|coupes|taillade|tailladee) (?:\w+ ){0,1}(?:les|mes|ses) (?:veines|poignets)"
        r"|(?:enferme|enfermee|s est enfermee?) (?:\w+ ){0,6}(?:voiture|moteur) qui tourne"
        r"|voiture qui tourne (?:\w+ ){0,3}garage|gaz d echappement|(?:va|vais|veut|menace de"
        r"|dit qu (?:il|elle) va) (?:\w+ )?(?:sauter|se jeter|se pendre|se tirer une balle"
        r"|me jeter|me pendre)|(?:jambe|pied) (?:\w+ ){0,3}par dessus (?:le|la) (?:balcon"
        r"|rambarde|parapet|garde corps)|je sais (?:ou|comment) je vais le faire"
        r"|(?:pris|prend|achete|achetee) (?:la|une) corde|(?:me|se) (?:jette|jettent) (?:\w+ ){0,3}"
        r"(?:pont|fenetre|balcon|train|falaise|loire|eau|sous|par)|(?:ouvert|ouvre|laisse ouvert)"
        r" (?:le|les) (?:gaz|robinets? du gaz)|(?:demain|ce soir|cette nuit) (?:\w+ ){0,2}(?:je "
        r"|il |elle )?"
        r"(?:serai|sera) plus la|(?:arme|fusil|revolver|pistolet|carabine) (?:\w+ ){0,6}(?:charge"
        r"|chargee|sur la table)|(?:j en finis|en finis ce soir|j en finirai)",
        acute=False,
        negative=True,
    ),
    # Taking all of one's pills at once may be an act: the 3114 with the 15 (not "par erreur").
    _t(
        P,
        rf"(?:avale|a pris|ai pris|pris|vide|a vide|ai vide) (?:\w+ ){{0,3}}(?:toute la boite|toute"
        rf" une boite|toute sa boite|toute ma boite|tou[st]? (?:ses|mes|les) {PILLS}|(?:\d+|trente"
        rf"|vingt|quarante|cinquante|une dizaine de|une vingtaine de) {PILLS}|la boite entiere"
        r"|une boite entiere|tout le tube)",
        acute=False,
    ),
    _t(
        V,
        r"(?:il|elle|ils|elles|et|qui) (?:la|le|les) (?:menace|menacent|menacait)\b"
        r"|(?:m a|ma|l a|la) (?:encore |de nouveau )?(?:jetee? par terre|tiree? par les cheveux"
        r"|serre le cou|serree au cou|frappee|giflee|battue|cognee|etranglee)"
        r"|(?:se faire|s est fait|s est faite) (?:\w+ )?(?:arracher|voler|agresser|frapper|jeter"
        r"|bousculer|braquer)|(?:arrache|arrachee|arracher) (?:\w+ )?(?:son|mon|le|sa|ma) (?:sac"
        r"|collier|portefeuille)|(?:il|elle|ils|et|qui) (?:la|le|les|me|nous) menacer\b"
        r"|(?:frappe|frappent|frappait|bat|battent|battait|cogne|gifle|giflent|secoue|brutalise"
        r"|tabasse|etrangle|frapper|battre|secouer|brutaliser|gifler|tabasser|etrangler)"
        r" (?:ma|mon|sa|son|notre|leur) (?:mere|pere|femme|mari|epouse|epoux"
        r"|compagne|compagnon|grand mere|grand pere|soeur|frere)"
        r"|(?:va|vais|veut) (?:me|nous|la|lui) le faire payer|(?:est|sont|suis)"
        r" (?:entre|entres|entree|rentre|rentres) (?:\w+ ){0,2}(?:par|dans) (?:la|ma|notre|le|mon)"
        r" (?:fenetre|porte|maison|garage|jardin|chambre)|(?:quelqu un|un homme|une femme|des"
        r" jeunes|des gens|un inconnu|des inconnus|un individu) (?:\w+ ){0,2}(?:est|sont) (?:\w+ )?"
        r"(?:dans|entre|rentre|entres)|(?:casse|cassent|ont casse|a casse|brise|ont brise|a brise)"
        r" (?:\w+ ){0,1}(?:ma|la|les|mes|notre) (?:vitre|vitres|fenetre|fenetres|porte|serrure)"
        r"|forcer (?:la|ma|notre) porte|tambourine (?:a|sur) (?:la|ma) porte"
        r"|(?:deux|trois|des|plusieurs) (?:hommes|individus|personnes|types|jeunes|inconnus)"
        r" (?:\w+ ){0,2}(?:dans|devant) (?:ma|la|notre|mon|le) (?:cour|maison|jardin|garage|entree"
        r"|escalier|couloir)|(?:casse|cassent|a casse|ont casse|brise|a brise) (?:le|les|la|un)"
        r" (?:carreau|carreaux|vitre|vitres|fenetre|porte)",
        acute=False,
    ),
    _t(
        MT,
        r"(?:fait faire|a fait faire|fait signer|a fait signer|fait rediger) (?:\w+ ){0,2}(?:un|des"
        r"|une) (?:virement|virements|cheque|cheques|testament|donation|procuration)"
        r"|testament (?:\w+ ){0,2}a son nom|(?:n a pas ete|pas ete|jamais ete|n est pas)"
        r" (?:changee?|lavee?|levee?|nourrie?) depuis|escarres? (?:\w+ ){0,2}(?:a vif|infectee?s?"
        r"|ouvertes?|pas soignees?)|personne ne vient quand (?:elle|il) (?:sonne|appelle)"
        r"|qu (?:elle|il) puait|traite (?:\w+ ){0,2}de (?:sale|vieille|vieux)",
        acute=False,
        negative=True,
    ),
    # Signs of neglect or of money taken: together, or with a word of now, they are danger.
    _t(
        MT,
        r"(?:plus de|pas de|n a plus de|n a pas de|sans) (?:ses |son |sa )?(?:lunettes|appareil"
        r" auditif|appareils auditifs|dentier|appareil dentaire)|frigo (?:\w+ ){0,2}vide"
        r"|refuse de (?:me |nous )?montrer (?:les|ses) comptes|(?:a )?perdu (?:\d+|\w+) kilos"
        r"|pas assez de personnel|(?:garde|gardent|conserve) (?:\w+ ){0,3}(?:la|sa|ses|son)"
        r" (?:monnaie|carte bleue|carte|chequier|argent)|(?:ma|sa) (?:retraite|pension)"
        r" disparait|a peur (?:quand|des soignants|de l aide|de lui|d elle)"
        r"|(?:vetements|habits) (?:\w+ ){0,2}(?:trop petits|sales|troues)|plus rien sur (?:son|mon"
        r"|le|leur) compte|(?:son|mon|le) compte (?:est )?(?:vide|a sec)",
        strong=False,
        acute=False,
        negative=True,
        alone=False,
    ),
    _t(
        MS,
        r"sans (?:le|la|les|l) (?:trouver|retrouver)|(?:ne )?(?:repond|decroche) (?:plus|pas)"
        r" depuis (?:\w+ ){0,2}(?:hier|avant hier|deux jours|trois jours|plusieurs jours|\d+"
        r" jours|lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche|ce matin)"
        r"|(?:l|la|le) (?:entends|entend|vois|voit|avons vu|ai vue?) (?:plus|pas)"
        r" (?:\w+ ){0,2}depuis",
        acute=False,
        negative=True,
        not_after=_ADMIN_BEFORE,
    ),
    _t(
        MS,
        r"(?:journaux|journal|courrier|colis) (?:\w+ ){0,2}(?:s accumulent|s accumule|s entassent"
        r"|devant la porte)|(?:est|sont) (?:parti|partie|sorti|sortie) (?:\w+ ){0,2}(?:a pied"
        r"|seule?|sans (?:\w+ ){0,2}(?:rien|personne|prevenir))|(?:connait|sait) plus (?:le|son)"
        r" chemin|en pyjama|(?:ne )?repond (?:plus|pas|pa) quand (?:je|on|nous) (?:sonne|frappe"
        r"|appelle)",
        strong=False,
        acute=False,
        negative=True,
    ),
    # --- more ways, from the training examples of a second author (data/nlu) ------------------
    _t(
        M,
        r"(?:enclume|poids|etau|barre|brique|elephant) (?:\w+ ){0,2}sur (?:la|sa|ma) poitrine"
        r"|(?:sourire|bouche) (?:\w+ ){0,3}(?:d un seul cote|d un cote)|la bouche pleine"
        r"|plus de force dans (?:la|le|sa|son) (?:main|bras|jambe)|(?:lache|lachent) (?:sa|ses|la"
        r"|les)"
        r" (?:tasse|verre|fourchette|objets)|(?:renverse|renverser) (?:\w+ ){0,4}(?:eau bouillante"
        r"|casserole|huile bouillante)|peau (?:\w+ ){0,2}(?:en lambeaux|qui part)|(?:a|ont|avait)"
        r" pris feu|brulure sur (?:tout|toute|tous)|(?:fait|faire) une hypo|repond n importe quoi"
        r"|(?:bu|avale|boire|avaler) (?:\w+ ){0,5}(?:javel|produit menager|produit vaisselle"
        r"|detergent|desherbant)",
        strong=False,
    ),
    _t(
        M,
        r"(?:devenue?|est) (?:tout |toute )?(?:grise?|pale|blanche?|livide)|moite|a soif",
        strong=False,
        alone=False,
    ),
    _t(
        S,
        r"(?:aller|va|vais|veux|voudrais) (?:la|le|les) rejoindre|(?:ne pas|ne plus) me reveiller"
        r"|si je (?:disparaissais|n etais plus la|mourais|partais pour de bon)|(?:voulait|voulais"
        r"|veut|veux) plus vivre|passe a l acte|passer a l acte|(?:assez|trop) vecu|se laisser"
        r" mourir|se laisse mourir|me laisser mourir|(?:serai|sera) plus la (?:\w+ ){0,2}pour"
        r"|se tirer une balle|me tirer une balle|(?:ne me|ne nous) cherchez pas|c est le moment",
        acute=False,
        negative=True,
    ),
    _t(
        S,
        r"(?:pas|plus) envie de continuer|plus personne (?:\w+ ){0,2}plus rien"
        r"|ne parle (?:plus )?que"
        r" de (?:la )?mort|parle de la mort",
        acute=False,
        strong=False,
        negative=True,
    ),
    _t(
        P,
        rf"(?:vais|va|veux|compte) (?:les|la|le) (?:prendre|avaler) (?:\w+ ){{0,2}}(?:ce soir|cette"
        rf" nuit|demain|tout a l heure)|(?:pris|avale) tou(?:t|s|te|tes) (?:ses|mes|les) {PILLS}"
        r"|(?:entaille|entailles|tailladee?) (?:\w+ ){0,1}(?:les|mes|ses) (?:veines|poignets)"
        r"|enjambe|enjambee|(?:demain|ce soir|cette nuit|dimanche|samedi) (?:ce serait|ce sera"
        r"|tout sera|ca sera) fini|tuyau (?:\w+ ){0,4}(?:pot d echappement|echappement)"
        r"|(?:ouvrir|ouvre|vais ouvrir|va ouvrir) le gaz|pierres dans (?:mes|ses) poches"
        r"|sur le pont (?:\w+ ){0,6}(?:regarde l eau|le moment|sauter)",
        acute=False,
        negative=True,
    ),
    _t(
        P,
        r"(?:rassemble|rassemblee|reuni) (?:\w+ ){0,3}(?:boites|medicaments|cachets)|fixe la date"
        r"|ce sera (?:dimanche|lundi|mardi|mercredi|jeudi|vendredi|samedi)|j ai ce qu il faut"
        r"|plus besoin de rien|(?:laisse|ecrit|laisser) (?:un|une|des) (?:mot|lettre|message)"
        r"|(?:cachets|comprimes|medicaments) (?:\w+ ){0,2}a cote de moi|merci pour tout"
        r"|prenez soin de|distribue (?:ses|mes) affaires|mis (?:mes|ses) papiers en ordre",
        acute=False,
        strong=False,
        ceiling=Level.UNCLEAR,
    ),
    _t(
        V,
        r"(?:a|avec|tient|tenait|pris|prend|sorti|sort) (?:un|une|son|sa) (?:couteau|tournevis"
        r"|barre"
        r" de fer|marteau|hache|arme|fusil|batte)|(?:entre|rentre) de force|fouille (?:mes|ses)"
        r" (?:tiroirs|affaires)|(?:quelqu un|qqn|un mec|1 mec|un type|un gars|un homme)"
        r" (?:\w+ ){0,3}(?:est entre|est rentre|s est introduit|dans mon jardin|dans ma cour"
        r"|dans le jardin)|(?:la|le|me|les|nous|lui) (?:pousser|bousculer|secouer|frapper|menacer)"
        r"\b|menace (?:\w+ ){0,3}avec (?:un|une) (?:couteau|tournevis|barre|arme|fusil|marteau"
        r"|hache)|menace de (?:mettre le feu|tout bruler|me tuer|la tuer|le tuer|nous tuer|tout"
        r" casser)|verse (?:\w+ ){0,2}(?:essence|de l essence)|(?:me|lui|nous) crache dessus"
        r"|force a (?:avoir des rapports|coucher)|(?:lui|m|l|me) a casse (?:des|les|une|la|deux"
        r"|trois)"
        r" (?:cotes|cote|bras|nez|dents?|jambe|poignet|doigts?)|(?:lance|lancer|jete|jeter)"
        r" (?:\w+ ){0,2}(?:un couteau|une assiette|des objets|une chaise)|(?:ecrase|coince)"
        r" (?:\w+ ){0,3}(?:la main|les doigts) (?:\w+ ){0,5}expres|rode encore|rodent encore",
        acute=False,
    ),
    _t(
        MT,
        r"personne (?:\w+ ){0,4}ne (?:la|le|les|l) (?:soigne|change|leve|lave|nourrit)"
        r"|personne ne vient|(?:fait|a fait) virer|virer (?:toutes )?(?:ses|les|leurs) economies"
        r"|ne (?:lui|leur) laisse (?:pas|plus|rien) (?:\w+ ){0,2}(?:euro|un sou|d argent)"
        r"|(?:sanglent|sanglee|sangle|attachent|attache) (?:\w+ ){0,2}(?:au|a son|a leur) (?:lit"
        r"|fauteuil)|(?:nourrie?|mange) qu une fois par jour|(?:est|toujours|encore|tjs)"
        r" (?:\w+ )?(?:dans|ds) (?:ses|son|sa) (?:excrements|selles|urines?|couches|pipi)"
        r"|ni (?:changee?|lavee?) ni (?:levee?|changee?|lavee?|nourrie?)|(?:ne recoit|recoit) plus"
        r" (?:ses|son) (?:medicaments|traitement)|(?:enferme|enfermee) (?:\w+ ){0,3}par (?:son|sa"
        r"|le"
        r"|la|ses)|brutaliser (?:des|les) residents|(?:trainee?|traine) par (?:le|les) (?:bras"
        r"|cheveux)",
        acute=False,
        negative=True,
    ),
    _t(
        MT,
        r"(?:lui|leur) (?:crie|crient|hurle|hurlent) dessus|rient quand|se moquent d (?:elle|lui)"
        r"|sans qu (?:elle|il) le sache|retraits (?:\w+ ){0,3}(?:euros|partent)|change les serrures"
        r"|(?:dort|dorment|dormir) (?:dans|au) (?:le |la )?(?:garage|cave|grenier|voiture)"
        r"|sans chauffage|sonne depuis (?:\w+ ){0,2}(?:heures?|longtemps)",
        strong=False,
        acute=False,
        alone=False,
    ),
    _t(
        MS,
        r"(?:est |sont )?(?:partie?|sortie?) (?:\w+ ){0,2}(?:a velo|a pied|en voiture) (?:il y a"
        r"|depuis) (?:\w+ ){0,2}(?:heures?|heure)|(?:l ai|l avons|on l a) perdue? (?:dans|au|a|en)"
        r"|ca fait (?:\w+ ){0,2}(?:jours?|heures?|quarts? d heure) qu (?:il|elle|on) (?:ne |n )?"
        r"(?:repond|decroche|a pas vu|a pas vue|l a pas vu)|(?:personne|on) (?:ne "
        r"|n )?l a (?:pas )?"
        r"(?:vue?|vu) depuis",
        acute=False,
        negative=True,
    ),
    _t(
        MS,
        r"(?:est |sont )?(?:partie?|sortie?) (?:pendant que|sans (?:manteau|chaussures"
        r"|son telephone"
        r"|personne))|puis plus rien|plus de nouvelles|n ouvre (?:pas|plus)(?: la porte)?$"
        r"|odeur (?:\w+ )?(?:sort|vient) de chez|lumiere (?:\w+ ){0,2}allumee (?:\w+ ){0,3}depuis"
        r"|chat (?:\w+ )?miaule|n est (?:jamais )?(?:pas )?(?:venu|venue|arrive|arrivee)"
        r"|(?:n est|est) pas chez (?:lui|elle)",
        strong=False,
        acute=False,
        negative=True,
        not_after=_ADMIN_BEFORE,
    ),
)

# Someone who cannot call: the 114 by SMS comes first.
CANNOT_CALL = re.compile(
    r"\b(?:sourd|sourde|sourds|malentendant|malentendante|muet|muette|aphasique|aphasie"
    rf"|(?:ne )?{CAN} (?:pas|plus|pa) (?:\w+ )?(?:parler|telephoner|appeler|entendre|articuler"
    r"|crier)|impossible de (?:parler|telephoner|appeler)|(?:sans|plus de|perdu (?:ma|sa)|n ai"
    r" plus de|pas de) voix|(?:il|elle|ils) (?:est|peut|sont|pourrait) (?:\w+ ){0,2}(?:a cote"
    r"|m entendre|nous entendre|ecoute|dans la piece)|discretement|en cachette|en douce"
    r"|sans (?:qu il|qu elle|qu ils) (?:l |m |me |nous )?entende|(?:il|elle) (?:surveille"
    r"|controle|ecoute) (?:mon|mes) (?:telephone|appels|portable)|je chuchote|a voix basse"
    r"|peux (?:que|seulement) ecrire|ne peux qu ecrire)\b"
)
# In the couple: the 3919 too. Parents count ("papa frappe maman").
COUPLE = re.compile(
    rf"\b(?:(?:mon|ma|son|sa|notre) {SPOUSE}|conjugal\w*|mon homme)\b"
    r"|\b(?:mon pere|papa)\b.{0,200}\b(?:ma mere|maman)\b"
    r"|\b(?:ma mere|maman)\b.{0,200}\b(?:mon pere|papa)\b"
)
# The writer is the victim, at home with the aggressor: most often the couple.
AT_HOME_VICTIM = re.compile(
    r"\b(?:m a|ma|me) (?:\w+ )?(?:frappee?|battue?|giflee?|cognee?|serre|jetee?|poussee?|tape"
    r"|frappe"
    r"|bat|cogne|gifle|menace|etrangle)\b"
)
AGGRESSOR_AROUND = re.compile(
    r"\b(?:il|elle) (?:est|dort|reste) (?:\w+ )?(?:a cote|dans (?:la|le|l)|la|toujours)"
)
OTHER_AGGRESSOR = re.compile(
    r"\b(?:fils|fille|petit fils|petite fille|neveu|niece|gendre|belle fille|frere|soeur|voisin"
    r"|voisine|inconnu|individu|homme que|jeunes|aide|soignant\w*|auxiliaire|infirmier\w*"
    r"|curat\w*|tut\w*)\b"
)
# Family members whose violence to an older person is maltreatment too (the 3977).
FAMILY = re.compile(
    r"\b(?:mon fils|ma fille|son fils|sa fille|le fils|la fille|petit fils|petite fille|neveu"
    r"|niece|gendre|belle fille)\b"
)
