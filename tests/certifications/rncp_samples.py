"""RNCP XML flux samples, written the way France Compétences writes them (../shared/RNCP_EXPORT.md).

``fiche(...)`` builds one ``<FICHE>``; text fields hold HTML escaped as the register does
(``&lt;p&gt;``) unless given as ``Raw`` (written as is: CDATA, undeclared entities, nested tags).
``flux(...)`` wraps fiches in ``<FICHES>`` with ``VERSION_FLUX``.
"""

from __future__ import annotations

import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

APTIM = {
    "name": "PROMOTION DES TECHNIQUES INTERNATIONALES DE MANAGEMENT",
    "siret": "33138377800031",
    "commercial_name": "APTIM",
    "website": "http://www.ecole3a.edu",
}
IRCOM = {
    "name": "ASSOCIATION SAINTE ANNE",
    "siret": "32949147600019",
    "commercial_name": "IRCOM",
    "website": "https://www.ircom.fr/",
}


class Raw(str):
    """Text written into the XML as it is (already XML)."""


def _text(value: str) -> str:
    return str(value) if isinstance(value, Raw) else escape(value)


def _el(tag: str, value: str | None) -> str:
    return "" if value is None else f"<{tag}>{_text(value)}</{tag}>"


def _items(container: str, item: str, codes) -> str:
    if codes is None:
        return ""
    inner = "".join(f"<{item}><CODE>{escape(c)}</CODE><LIBELLE>{escape(c)}</LIBELLE></{item}>" for c in codes)
    return f"<{container}>{inner}</{container}>"


def bloc(code: str, title: str, competencies: str = "", assessment: str = "") -> str:
    return (
        "<BLOC_COMPETENCES>"
        f"{_el('CODE', code)}{_el('LIBELLE', title)}"
        f"{_el('LISTE_COMPETENCES', competencies)}{_el('MODALITES_EVALUATION', assessment)}"
        "</BLOC_COMPETENCES>"
    )


def fiche(
    number: str = "RNCP90001",
    title: str = "Chargé de médiation sociale",
    *,
    fiche_id: str = "1001",
    state: str = "Publiée",
    active: str | None = "Oui",
    level: str | None = "NIV5",
    level_label: str | None = "Niveau 5",
    level_label_tag: str = "LIBELLE",
    abbreviation: str | None = "TP",
    end_of_registration: str | None = "31/12/2028",
    decision_date: str | None = "01/01/2024",
    partial_validation: str | None = "Oui",
    vae: str | None = "Oui",
    vae_jury: str | None = "<p>Un professionnel du secteur</p><p>Un représentant du certificateur</p>",
    nsf: list[str] | None = ("332",),
    rome: list[str] | None = ("K1204",),
    formacodes: list[str] | None = ("44028",),
    certifiers: list[dict] | None = None,
    blocs: list[str] | None = None,
    replaces: list[str] | None = None,
    replaced_by: list[str] | None = None,
    prerequisites: str | None = "<p>Aucun</p>",
    extra: str = "",
) -> str:
    certifiers = (
        [{"name": "ASSOCIATION MEDIATION", "siret": "11122233300044", "commercial_name": "AM"}]
        if certifiers is None
        else certifiers
    )
    blocs = (
        [
            bloc(
                f"{number}BC01",
                "Accueillir les publics",
                "<p>Accueillir le public</p><p>Orienter le public</p>",
            ),
            bloc(f"{number}BC02", "Prévenir les conflits", "<ul><li>Repérer les tensions</li></ul>"),
        ]
        if blocs is None
        else blocs
    )
    parts = [
        _el("ID_FICHE", fiche_id),
        _el("NUMERO_FICHE", number),
        _el("INTITULE", title),
    ]
    if abbreviation is not None:
        parts.append(f"<ABREGE><CODE>{escape(abbreviation)}</CODE><LIBELLE>Abrégé</LIBELLE></ABREGE>")
    parts += [
        _el("ETAT_FICHE", state),
        _el("ACTIF", active),
        _el("TYPE_ENREGISTREMENT", "Enregistrement sur demande"),
    ]
    if level is not None or level_label is not None:
        parts.append(
            f"<NOMENCLATURE_EUROPE>{_el('NIVEAU', level)}{_el(level_label_tag, level_label)}</NOMENCLATURE_EUROPE>"
        )
    parts += [
        _el("DATE_FIN_ENREGISTREMENT", end_of_registration),
        _el("DATE_DECISION", decision_date),
        _el("ACTIVITES_VISEES", "<p>Accueil, médiation.</p>"),
        _el("CAPACITES_ATTESTEES", "<ul><li>Accueillir</li></ul>"),
        _el("PREREQUIS_ENTREE_FORMATION", prerequisites),
        _el("VALIDATION_PARTIELLE", partial_validation),
        "<SI_JURY_FI><ACTIF>Oui</ACTIF><COMPOSITION>Jury de formation</COMPOSITION></SI_JURY_FI>",
    ]
    if vae is not None:
        parts.append(f"<SI_JURY_VAE>{_el('ACTIF', vae)}{_el('COMPOSITION', vae_jury)}</SI_JURY_VAE>")
    parts += [_items("CODES_NSF", "NSF", nsf), _items("CODES_ROME", "ROME", rome)]
    parts.append(_items("FORMACODES", "FORMACODE", formacodes))
    if certifiers:
        inner = "".join(
            "<CERTIFICATEUR>"
            f"{_el('NOM_CERTIFICATEUR', c['name'])}{_el('SIRET_CERTIFICATEUR', c.get('siret'))}"
            f"{_el('NOM_COMMERCIAL', c.get('commercial_name'))}{_el('SITE_INTERNET', c.get('website'))}"
            "</CERTIFICATEUR>"
            for c in certifiers
        )
        parts.append(f"<CERTIFICATEURS>{inner}</CERTIFICATEURS>")
    if blocs:
        parts.append(f"<BLOCS_COMPETENCES>{''.join(blocs)}</BLOCS_COMPETENCES>")
    if replaces:
        inner = "".join(f"<ANCIENNE_CERTIFICATION>{c}</ANCIENNE_CERTIFICATION>" for c in replaces)
        parts.append(f"<ANCIENNES_CERTIFICATIONS>{inner}</ANCIENNES_CERTIFICATIONS>")
    if replaced_by:
        inner = "".join(f"<NOUVELLE_CERTIFICATION>{c}</NOUVELLE_CERTIFICATION>" for c in replaced_by)
        parts.append(f"<NOUVELLES_CERTIFICATIONS>{inner}</NOUVELLES_CERTIFICATIONS>")
    parts.append(
        "<STATISTIQUES_PROMOTIONS><STATISTIQUES_PROMOTION><ANNEE>2023</ANNEE>"
        "<NOMBRE_CERTIFIES>12</NOMBRE_CERTIFIES><NOMBRE_CERTIFIES_VAE>3</NOMBRE_CERTIFIES_VAE>"
        "</STATISTIQUES_PROMOTION></STATISTIQUES_PROMOTIONS>"
    )
    parts.append(extra)
    return "<FICHE>\n" + "\n".join(p for p in parts if p) + "\n</FICHE>"


def flux(*fiches: str, version: str = "4.1", root: str = "FICHES") -> str:
    body = "\n".join(fiches)
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<{root}>\n<VERSION_FLUX>{version}</VERSION_FLUX>\n{body}\n</{root}>\n'
    )


def write(tmp_path: Path, content: str, name: str = "flux.xml") -> Path:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    return path


def write_zip(tmp_path: Path, content: str, name: str = "export-fiches-rncp-v4-1.zip") -> Path:
    path = tmp_path / name
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("export_fiches_RNCP_V4_1_2026-01-01.xml", content)
    return path


# --- two real fiches, written from ../shared/seeds/001 (RNCP35203) and 003 (RNCP41296) ----------

_35203_BC01 = [
    "Délimiter le territoire afin de déterminer son ancrage territorial",
    "Croiser les enjeux socio-économiques des différents pays afin d’avoir une vision géopolitique d’ensemble",
    "Repérer des initiatives innovantes en réponse à des problématiques du territoire afin de les intégrer "
    "dans le développement de projet",
    "S’approprier les études des institutions publiques, privées et territoriales afin d’analyser les besoins "
    "du territoire",
    "Sélectionner, utiliser et croiser des sources pertinentes d’informations afin de mettre en place une "
    "analyse efficace",
    "Analyser les données primaires, incorporer des données secondaires afin d’interpréter des résultats complets",
    "Synthétiser les données d’analyses afin de produire un rapport mettant en évidence l’interpénétration des "
    "dispositifs, des besoins et des acteurs",
]
_35203_BC02 = [
    "Faire émerger les axes d’utilité sociale du projet afin d’être en accord avec les besoins de la population cible",
    "Mettre en œuvre le projet de manière congruente afin de prendre en compte aux besoins sociaux du territoire "
    "et la vision stratégique de l’organisation",
    "Suivre la planification du projet et l’assignation des ressources dans un souci d’efficience",
    "Gérer les écarts entre les moyens, les résultats attendus et les ressources engagées afin de faire les "
    "ajustements nécessaires",
    "Evaluer la pertinence des projets afin d’en mesurer l’adéquation avec les objectifs initiaux et d’établir "
    "les reporting destinés à la Direction de l’organisation",
    "Réaliser un suivi du cahier des charges pour garantir une exécution efficace et conforme du produit / "
    "service rendu",
    "Communiquer sur les démarches mises en place dans l’organisation afin de mettre en avant le produit et les "
    "valeurs incarnées par l’organisation",
    "Concevoir une charte éthique sous la supervision de son manager afin d’encadrer les relations et les "
    "échanges avec les partenaires",
    "Coordonner des équipes multiculturelles et fluidifier la transmission des valeurs, les comportements et "
    "les attitudes appropriées pour garantir la réussite du projet",
    "Repérer les écarts culturels et les écarts déontologiques afin de limiter les risques dans le pilotage "
    "des projets",
]
_35203_BC03 = [
    "Identifier les différentes parties prenantes afin de réaliser une cartographie des acteurs",
    "Dresser un inventaire des ressources des acteurs afin de mutualiser les bonnes pratiques",
    "Repérer les besoins et les attentes et les enjeux des parties prenantes afin de proposer des partenariats",
    "Négocier des produits / services / projets à vocation solidaire, afin de respecter les objectifs de "
    "développement de l’activité",
    "Négocier au meilleur compte afin d’être en cohérence avec les ressources nécessaires au projet",
    "Concevoir et animer des formations avec les parties prenantes dans un objectif de transmission efficace "
    "des informations",
    "Produire des supports de formation / guides afin d’accompagner les parties prenantes à l’utilisation du "
    "produit / service",
    "Animer avec les parties prenantes des comités de réflexion et de perfectionnement afin de mettre évidence "
    "l’utilité sociale des actions sur les territoires",
]


def rncp35203() -> str:
    """RNCP35203 as the register writes it: each bloc in a different HTML habit (paragraphs,
    list items, line breaks with dashes), text with non-breaking spaces and curly apostrophes."""
    bc01 = "".join(f"<p>{c}</p>" for c in _35203_BC01)
    bc02 = "<ul>" + "".join(f"<li>{c.replace(' afin', '&nbsp;afin', 1)}</li>" for c in _35203_BC02) + "</ul>"
    bc03 = "<p>" + "<br>".join(f"- {c} ;" for c in _35203_BC03) + "</p>"
    return fiche(
        "RNCP35203",
        "Coordinateur de projets alternatifs et solidaires",
        fiche_id="35203",
        level="NIV6",
        level_label="Niveau 6",
        end_of_registration="20/01/2026",
        decision_date="20/01/2021",
        nsf=["310p"],
        rome=["M1705", "K1802"],
        formacodes=["32135", "13175"],
        certifiers=[APTIM],
        vae_jury=(
            "<p>Un Dirigeant d’entreprise ou un DRH (Président du jury)</p><p>Deux Responsables de "
            "développement/projet</p><p>Un représentant de l’APTIM : Directeur des études ou des programmes</p>"
        ),
        blocs=[
            bloc(
                "RNCP35203BC01",
                "Analyse et synthèse des enjeux sociaux du territoire",
                bc01,
                "<p>Mémoire professionnel</p><p>Travail écrit limité à 60 pages et soutenance orale "
                "individuelle d’une durée de 20 minutes.</p><p>Support d’évaluation : grille critériée</p>",
            ),
            bloc(
                "RNCP35203BC02",
                "Gestion des projets alternatifs et solidaires et coordination des acteurs",
                bc02,
                "<p>Mise en situation simulée : Serious Game</p><p>Exercice pratique</p>",
            ),
            bloc(
                "RNCP35203BC03",
                "Négociation entre les parties prenantes, animation et formation des réseaux",
                bc03,
                "<p>Cas pratique de cartographie des acteurs / ressources</p><p>Jeux de rôles</p>",
            ),
        ],
        replaces=["RNCP28157"],
        prerequisites="<p>Pour candidater au titre professionnel, les candidats doivent justifier soit :</p>"
        "<p>· d’un diplôme équivalent au niveau 4</p>",
    )


_41296 = {
    "RNCP41296BC01": (
        "Analyser les déterminants stratégiques d’une organisation de solidarité et concevoir une stratégie ad hoc",
        [
            "Organiser un système de veille globale de l’écosystème d’une organisation et de son/ses activité(s), "
            "afin de décrire et qualifier cet écosystème, notamment dans une logique de réponse aux besoins non "
            "pourvus de populations vulnérables.",
            "Intégrer au sein de son système de veille la captation de signaux faibles, pour susciter "
            "l’innovation au sein de son organisation, en tenant compte particulièrement des enjeux "
            "environnementaux, sociétaux, politiques et d’inclusion.",
            "Évaluer le contexte d’intervention d’une organisation solidaire, c’est-à-dire les défis, menaces et "
            "opportunités auxquels elle est confrontée, ainsi que les obligations et incitations réglementaires, "
            "afin de nourrir sa réflexion stratégique.",
            "Analyser la performance financière, opérationnelle, sociale, sociétale et l’impact environnemental "
            "d’une organisation, pour bâtir la réflexion stratégique de cette organisation.",
            "Préconiser des ajustements stratégiques aux dirigeants d’une organisation, voire de nouvelles "
            "orientations, en fonction de l'analyse préalable de la performance et du contexte d’intervention "
            "d’une organisation de solidarité, sous forme de plans d’actions, afin de conduire le changement ou "
            "d’impulser celui-ci.",
            "Evaluer l’efficacité des plans d’actions menés dans le cadre d’une organisation de solidarité, pour "
            "s'assurer qu'ils atteignent les objectifs fixés et pour ajuster ou optimiser les méthodes et moyens "
            "engagés, afin d’obtenir de meilleurs résultats.",
        ],
        "Mémoire professionnel et soutenance orale",
    ),
    "RNCP41296BC02": (
        "Concevoir un projet de solidarité, en réponse aux besoins de populations cibles",
        [
            "Elaborer un diagnostic des besoins, des problématiques et des capacités d’une population cible, en "
            "incluant spécifiquement la prise en compte des facteurs de vulnérabilité dont par exemple le "
            "handicap, pour en présenter un rapport d’analyse, dans le cadre de la mise en place d’un projet de "
            "solidarité.",
            "Concevoir la stratégie d'intervention d’un projet de solidarité, en réponse aux besoins d’une "
            "population cible et en fonction du contexte, de l’environnement et de la stratégie de "
            "l’organisation opérante, afin de déterminer les objectifs visés.",
            "Développer un réseau de partenaires diversifiés et complémentaires aux acteurs de son organisation, "
            "pour collaborer avec eux, dans le cadre d’un projet d’intervention de solidarité.",
            "Définir le plan de mise en œuvre et les moyens d’actions nécessaires au développement d’un projet "
            "de solidarité, en fonction du contexte, de la stratégie et du budget, en tenant compte des risques, "
            "afin de permettre la mise en œuvre opérationnelle du projet.",
            "Rédiger des réponses à appels à projet et/ou des dossiers de demande de financement, avec la "
            "méthodologie adaptée, pour obtenir les moyens de développer les projets de solidarité envisagés ou "
            "s’inscrire dans une démarche instaurée par des bailleurs/financeurs institutionnels, publics ou "
            "privés de l’économie sociale et solidaire.",
            "Définir des indicateurs de suivi d’un projet de solidarité et les méthodes de récolte de données "
            "correspondantes, pour pouvoir contrôler l’avancement des étapes, l’atteinte des objectifs et "
            "identifier les écarts.",
        ],
        "Etude de cas",
    ),
    "RNCP41296BC03": (
        "Piloter un projet solidaire",
        [
            "Décliner le plan d’actions et les différentes activités d’un projet de solidarité, en les déployant "
            "dans le temps et en désignant les professionnels responsables, afin de se donner les moyens de le "
            "piloter et de partager les attendus.",
            "Déployer une stratégie de communication efficace pour un projet de solidarité national ou "
            "international, incluant la participation à la création de contenus, la gestion des relations avec "
            "les médias, et l'utilisation des plateformes numériques, pour sensibiliser et mobiliser les parties "
            "prenantes.",
            "Piloter la mise en œuvre d’un projet de solidarité, en coordonnant les actions des parties "
            "prenantes et en mobilisant les moyens adéquats par l’utilisation des outils adaptés, pour atteindre "
            "les objectifs stratégiques initiaux.",
            "Développer des modes de collaboration et de contractualisation avec des partenaires, en s’assurant "
            "de la déontologie de chacun, et en sachant traiter les aléas, pour bénéficier des moyens nécessaires "
            "à la réussite d’un projet de solidarité.",
            "Elaborer un budget opérationnel détaillé, en tenant compte des modalités de financement, dans "
            "l’objectif de financer le plan de mise en œuvre et les moyens d’actions déterminés, en phase de "
            "conception d’un projet solidaire.",
            "Assurer l'analyse, le suivi et la gestion budgétaire d’actions de projets solidaires, pour optimiser "
            "leur équilibre financier à court, moyen et long termes et par extension contribuer à la santé "
            "financière de la structure portant les projets.",
            "Piloter une démarche d'évaluation d’un projet de solidarité, en développant les outils adaptés de "
            "suivi des actions, afin de mener les ajustements nécessaires pour l’atteinte finale des résultats.",
            "Capitaliser sur les résultats obtenus et les expériences vécues, en examinant à la fois les "
            "résultats immédiats et les effets à long terme, pour analyser de quelle façon et dans quelle mesure "
            "les objectifs du projet ont été atteints, et pour rendre des comptes aux donateurs, financeurs, aux "
            "bénéficiaires et aux autres parties prenantes.",
            "Présenter son organisation, ses missions et ses domaines d’intervention dans le secteur de la "
            "solidarité, en tant que manager en organisation de solidarité, en s’adaptant à ses interlocuteurs, "
            "pour sensibiliser aux enjeux sociaux, sociétaux, économiques et territoriaux de la solidarité et "
            "promouvoir les actions correspondantes.",
            "Communiquer à l’écrit et oralement en anglais professionnel, afin de pouvoir piloter des projets "
            "solidaires nationaux et internationaux intégrant des équipes multiculturelles.",
        ],
        "<p>Mise en situation</p><p>Analyse réflexive</p><p>Epreuves d'anglais professionnel</p>",
    ),
    "RNCP41296BC04": (
        "Manager des équipes pluridisciplinaires internes, externes et bénévoles",
        [
            "Construire une équipe projet en organisant la diversité et la complémentarité des compétences, en "
            "tenant compte du caractère bénévole de certains acteurs, de la multiculturalité et d’éventuels "
            "besoins particuliers de collaborateurs en situation de handicap, afin de s'assurer de la mise en "
            "présence des ressources humaines nécessaires à la réalisation d’un projet et du respect de leurs "
            "besoins.",
            "Coordonner les activités d’équipes très diversifiées, de façon à favoriser de bonnes conditions de "
            "réalisation des missions correspondantes pour les acteurs, tout en se donnant les moyens de la "
            "diversité et de l’inclusion au travail.",
            "Piloter le travail d’une ou de plusieurs équipes en organisant les activités et en assignant un rôle "
            "précis à chaque acteur, afin que cette organisation soit efficace, adaptée à la structure concernée "
            "et permette l’atteinte des objectifs fixés.",
            "Adopter une communication managériale permettant de partager l’information, de convaincre et de "
            "faire adhérer, afin de donner du sens à une équipe, au sein d’un projet solidaire.",
            "Générer les conditions d’un travail collaboratif, au sein d’une équipe dont on a la responsabilité "
            "hiérarchique ou fonctionnelle, afin de favoriser l’engagement et la mobilisation de celle-ci autour "
            "des objectifs visés, au sein d’un projet solidaire.",
        ],
        "<p>Mémoire professionnel</p><p>Epreuve orale</p>",
    ),
}


def rncp41296(certifiers: list[dict] | None = None) -> str:
    """RNCP41296 with its lists as bullet paragraphs ("  • …") inside CDATA, as seed 003 shows them.
    ``certifiers`` replaces IRCOM, its certifier (a forged fiche, for the ownership tests)."""
    blocs = []
    for code, (title, competencies, assessment) in _41296.items():
        items = "".join(f"<p>  • {c}</p>" for c in competencies)
        blocs.append(bloc(code, title, Raw(f"<![CDATA[{items}]]>"), assessment))
    return fiche(
        "RNCP41296",
        "Manager en organisation de solidarité",
        fiche_id="41296",
        level="NIV7",
        level_label="Niveau 7",
        level_label_tag="INTITULE",
        abbreviation=None,
        end_of_registration="24/09/2028",
        decision_date="24/09/2025",
        nsf=["310m", "330p", "332n"],
        rome=["K1403", "K1802", "K1201", "K1800"],
        formacodes=["32135", "44056"],
        certifiers=[IRCOM] if certifiers is None else certifiers,
        vae_jury=(
            "<p>Deux professionnels professionnels qui exercent des fonctions de direction ou de management en "
            "organisation de solidarité, extérieurs à l’Ircom, sans lien avec les candidats</p>"
            "<p>Un des membres de la direction de l’Ircom</p>"
        ),
        blocs=blocs,
    )
