"""The API's documents, each field described in French and English (« FR — EN »)."""

from __future__ import annotations

import datetime as dt
from typing import Any, Generic, Literal, TypeVar

from ninja import Schema
from pydantic import ConfigDict, Field

T = TypeVar("T")


def F(fr: str, en: str, default: Any = ..., **kwargs) -> Any:  # noqa: N802 - reads like Field
    return Field(default, description=f"{fr} — {en}", **kwargs)


class Problem(Schema):
    """Erreur au format RFC 9457 — RFC 9457 problem details."""

    type: str = F("Type d'erreur (about:blank)", "Error type (about:blank)")
    title: str = F("Intitulé de l'erreur", "Error title")
    status: int = F("Code HTTP", "HTTP status code")
    detail: str = F("Explication en français", "Explanation, in French")
    erreurs: list[dict[str, Any]] | None = F(
        "Champs non conformes (422)", "Fields that do not follow the schema (422)", None
    )


class Page(Schema, Generic[T]):
    total: int = F("Nombre total de résultats", "Total number of results")
    decalage: int = F("Résultats sautés", "Results skipped (offset)")
    limite: int = F("Résultats par page (100 au plus)", "Results per page (at most 100)")
    donnees: list[T] = F("Résultats de la page", "Results of this page")


# --- certifications ------------------------------------------------------------------------


class CertificationSummary(Schema):
    id: int = F("Identifiant de la version", "Version id")
    lignee: str = F("Identifiant commun à toutes les versions", "Id shared by every version (lineage)")
    version: int = F("Numéro de version", "Version number")
    statut: str = F("Statut : draft, published, archived", "Status: draft, published, archived")
    codeRncp: str = F("Code RNCP ou RS", "RNCP or RS code")
    intitule: str = F("Intitulé", "Title")
    niveau: int | None = F("Niveau européen (3 à 8)", "European level (3 to 8)")
    publieeLe: dt.datetime | None = F("Date de publication", "Publication date")


class Competence(Schema):
    id: int = F("Identifiant", "Id")
    code: str = F("Code (non unique)", "Code (not unique)")
    groupe: str = F("Intitulé de groupe", "Group heading")
    enonce: str = F("Énoncé", "Statement")
    ordre: int = F("Ordre dans le bloc", "Order in the bloc")


class Modalite(Schema):
    id: int = F("Identifiant", "Id")
    bloc: int | None = F("Bloc évalué (vide : épreuve transversale)", "Assessed bloc (empty: transversal)")
    type: str = F("Type de modalité", "Kind of assessment")
    intitule: str = F("Intitulé", "Title")
    description: str = F("Description", "Description")
    duree: str = F("Durée", "Duration")
    longueur: str = F("Longueur attendue", "Expected length")


class Niveau(Schema):
    id: int = F("Identifiant", "Id")
    libelle: str = F("Libellé", "Label")
    points: int = F("Points", "Points")


class Critere(Schema):
    id: int = F("Identifiant", "Id")
    texte: str = F("Critère", "Criterion")
    ponderation: float = F("Pondération", "Weight")
    competences: list[int] = F("Compétences évaluées", "Competencies assessed")


class Grille(Schema):
    id: int = F("Identifiant", "Id")
    bloc: int | None = F("Bloc (vide : épreuve transversale)", "Bloc (empty: transversal assessment)")
    modalite: int | None = F("Épreuve transversale évaluée", "Transversal assessment")
    intitule: str = F("Intitulé", "Title")
    seuilReussitePourcent: int = F("Seuil de réussite (% des points)", "Pass threshold (% of points)")
    aucunNiveauMinimal: bool = F("Aucun critère au niveau le plus bas", "No criterion may sit at the lowest level")
    niveaux: list[Niveau] = F("Niveaux", "Levels")
    criteres: list[Critere] = F("Critères", "Criteria")


class Bloc(Schema):
    id: int = F("Identifiant", "Id")
    code: str = F("Code du bloc", "Bloc code")
    intitule: str = F("Intitulé", "Title")
    ordre: int = F("Ordre", "Order")
    competences: list[Competence] = F("Compétences", "Competencies")


class Certification(CertificationSummary):
    certificateurs: list[str] = F("Organismes certificateurs", "Certifier organisations")
    validationPartielle: bool = F("Validation partielle par blocs possible", "Partial validation by blocs")
    blocs: list[Bloc] = F("Blocs de compétences", "Competency blocs")
    modalites: list[Modalite] = F("Modalités d'évaluation", "Assessment methods")
    grilles: list[Grille] = F("Grilles critériées", "Rubrics")


class ReferentialDocument(Schema):
    """Document au format d'échange des référentiels (docs/referential-format.md) — exchange format document."""

    model_config = ConfigDict(extra="allow")
    format: str | None = F("Identifiant du format", "Format identifier", None)
    certifications: list[dict[str, Any]] = F("Certifications à importer", "Certifications to import")


# --- candidatures --------------------------------------------------------------------------


class Candidat(Schema):
    nom: str = F("Nom", "Last name")
    prenom: str = F("Prénom", "First name")
    email: str = F("Adresse e-mail", "E-mail address")


class CertificationRef(Schema):
    id: int = F("Identifiant de la version", "Version id")
    codeRncp: str = F("Code RNCP ou RS", "RNCP or RS code")
    intitule: str = F("Intitulé", "Title")
    version: int = F("Numéro de version", "Version number")


class BlocRef(Schema):
    id: int = F("Identifiant", "Id")
    code: str = F("Code", "Code")
    intitule: str = F("Intitulé", "Title")


class Evenement(Schema):
    de: str = F("État de départ", "From state")
    vers: str = F("État d'arrivée", "To state")
    le: dt.datetime = F("Date", "Date")
    par: str = F("Auteur (vide : le système)", "Actor (empty: the system)")
    commentaire: str = F("Motif ou commentaire", "Reason or comment")


class Candidature(Schema):
    id: int = F("Identifiant du dossier", "Dossier id")
    etat: str = F("État (code)", "State (code)")
    etatLibelle: str = F("État (libellé)", "State (label)")
    candidat: Candidat = F("Identité du candidat telle qu'il l'a donnée", "Candidate's identity as given")
    certification: CertificationRef = F("Certification et version visées", "Certification and version")
    estViseePartiellement: bool = F("Seuls certains blocs sont visés", "Only some blocs are targeted")
    blocsVises: list[BlocRef] = F("Blocs à démontrer", "Blocs to prove")
    blocsAcquis: list[BlocRef] = F("Blocs déjà acquis", "Blocs already acquired")
    recevabiliteDemandeeLe: dt.datetime | None = F("Recevabilité demandée le", "Recevabilité requested on")
    dossierDeValidationDeposeLe: dt.datetime | None = F(
        "Dossier de validation déposé le", "Dossier de validation submitted on"
    )
    creeLe: dt.datetime = F("Créé le", "Created on")
    modifieLe: dt.datetime = F("Modifié le", "Updated on")


class CandidatureDetail(Candidature):
    historique: list[Evenement] = F("Changements d'état", "State changes")


class Experience(Schema):
    id: int = F("Identifiant", "Id")
    nature: str = F("Nature", "Kind")
    structure: str = F("Structure", "Organisation")
    fonction: str = F("Fonction ou poste", "Role")
    debut: str = F("Début (AAAA-MM-JJ)", "Start (YYYY-MM-DD)")
    fin: str | None = F("Fin (vide : en cours)", "End (empty: ongoing)")
    heuresParSemaine: str | None = F("Heures par semaine", "Hours per week")
    heuresTotales: int | None = F("Nombre total d'heures", "Total hours")
    activites: str = F("Activités exercées", "Activities")


class Fichier(Schema):
    nom: str = F("Nom du fichier", "File name")
    sha256: str = F("Empreinte SHA-256", "SHA-256 hash")


class Document(Schema):
    id: int = F("Identifiant du document", "Document id")
    nature: str = F("Nature", "Kind")
    statut: str = F("queued, running, done, failed", "queued, running, done, failed")
    sha256: str = F("Empreinte SHA-256 du PDF (vide tant qu'il n'est pas prêt)", "PDF SHA-256 (empty until ready)")
    taille: int | None = F("Taille (octets)", "Size (bytes)")
    pages: int | None = F("Pages", "Pages")
    url: str = F("Adresse de téléchargement", "Download URL")


class Decision(Schema):
    decision: str = F("Décision", "Decision")
    le: dt.datetime = F("Date", "Date")
    par: str = F("Auteur", "Actor")
    commentaire: str = F("Motif", "Reason")


class Positionnement(Schema):
    competence: int = F("Compétence", "Competency")
    code: str = F("Code", "Code")
    enonce: str = F("Énoncé", "Statement")
    autoPositionnement: str = F("yes, partly, no ou vide", "yes, partly, no or empty")
    commentaire: str = F("Commentaire du candidat", "Candidate's comment")


class DossierDeFaisabilite(Schema):
    candidature: int = F("Identifiant du dossier", "Dossier id")
    numero: int = F("Numéro de la demande", "Request number")
    deposeLe: dt.datetime = F("Déposé le", "Submitted on")
    sha256: str = F("Empreinte du contenu gelé", "SHA-256 of the frozen content")
    experiences: list[Experience] = F("Expériences", "Experiences")
    positionnement: list[Positionnement] = F("Auto-positionnement par compétence", "Self-assessment")
    pieceIdentite: Fichier | None = F("Pièce d'identité déposée", "Identity document")
    documents: list[Document] = F("PDF de la demande", "PDF of the request")
    decisions: list[Decision] = F("Décisions de recevabilité", "Recevabilité decisions")


class Preuve(Schema):
    id: int = F("Identifiant", "Id")
    titre: str = F("Titre", "Title")
    nature: str = F("Nature", "Kind")
    nomFichier: str = F("Nom du fichier", "File name")
    typeMime: str = F("Type MIME", "MIME type")
    taille: int = F("Taille (octets)", "Size (bytes)")
    sha256: str = F("Empreinte SHA-256 déposée", "SHA-256 as submitted")
    telechargeable: bool = F(
        "Fichier déposé encore présent et libéré par l'antivirus", "Submitted file present and released by antivirus"
    )
    url: str | None = F("Adresse de téléchargement", "Download URL")


class CompetenceDeclaree(Schema):
    competence: int = F("Compétence", "Competency")
    code: str = F("Code", "Code")
    enonce: str = F("Énoncé", "Statement")
    autoPositionnement: str = F("Auto-positionnement", "Self-assessment")
    recit: str = F("Récit de situations de travail", "Narrative")
    preuves: list[int] = F("Preuves liées", "Linked proofs")
    experiences: list[int] = F("Expériences liées", "Linked experiences")


class BlocDeclare(Schema):
    id: int = F("Bloc", "Bloc")
    code: str = F("Code", "Code")
    intitule: str = F("Intitulé", "Title")
    competences: list[CompetenceDeclaree] = F("Compétences", "Competencies")


class DossierDeValidation(Schema):
    candidature: int = F("Identifiant du dossier", "Dossier id")
    numero: int = F("Numéro du dépôt", "Submission number")
    deposeLe: dt.datetime = F("Déposé le", "Submitted on")
    sha256: str = F("Empreinte du contenu gelé", "SHA-256 of the frozen content")
    blocs: list[BlocDeclare] = F("Blocs, compétences et récits", "Blocs, competencies and narratives")
    experiences: list[Experience] = F("Expériences", "Experiences")
    preuves: list[Preuve] = F("Preuves", "Proofs")
    documents: list[Document] = F("PDF du dossier", "PDF of the dossier")
    decisions: list[Decision] = F("Examens du dossier", "Reviews of the dossier")


class FeasibilityDecisionIn(Schema):
    decision: Literal["RECEVABLE", "A_COMPLETER", "NON_RECEVABLE"] = F(
        "Décision de recevabilité", "Recevabilité decision"
    )
    commentaire: str = F(
        "Motif, obligatoire sauf pour RECEVABLE (lu par le candidat)",
        "Reason, required unless RECEVABLE (read by the candidate)",
        "",
        max_length=5000,
    )


class ValidationDecisionIn(Schema):
    decision: Literal["PRET_POUR_JURY", "A_COMPLETER"] = F(
        "Examen du dossier de validation", "Review of the dossier de validation"
    )
    commentaire: str = F(
        "Ce qui manque, obligatoire pour A_COMPLETER", "What is missing, required for A_COMPLETER", "", max_length=5000
    )


# --- jury ----------------------------------------------------------------------------------


class Membre(Schema):
    id: int = F("Identifiant du siège", "Seat id")
    nom: str = F("Nom et prénom", "Full name")
    role: str = F("Rôle (code)", "Role (code)")
    roleLibelle: str = F("Rôle (libellé)", "Role (label)")
    present: bool = F("Présent à la session", "Present at the session")


class Convocation(Schema):
    id: int = F("Identifiant", "Id")
    session: int = F("Session de jury", "Jury session")
    candidature: int = F("Dossier convoqué", "Convoked dossier")
    debut: dt.datetime = F("Début du créneau", "Slot start")
    fin: dt.datetime = F("Fin du créneau", "Slot end")
    statut: str = F("convoked, rescheduled, cancelled", "convoked, rescheduled, cancelled")
    presence: str = F("present, absent, excused ou vide", "present, absent, excused or empty")
    motif: str = F("Motif du dernier report ou de l'annulation", "Reason of the last change")


class ResultatBloc(Schema):
    bloc: int | None = F("Bloc (vide : épreuve transversale)", "Bloc (empty: transversal assessment)")
    modalite: int | None = F("Épreuve transversale", "Transversal assessment")
    libelle: str = F("Libellé", "Label")
    valide: bool = F("Validé", "Validated")
    justification: str = F("Justification", "Justification")
    competencesADemontrer: list[int] = F("Compétences restant à démontrer", "Competencies still to prove")
    preconisations: str = F("Préconisations", "Recommendations")


class Resultat(Schema):
    candidature: int = F("Dossier", "Dossier")
    convocation: int = F("Convocation", "Convocation")
    resultat: str = F("Résultat (valeurs de France VAE)", "Result (France VAE values)")
    resultatLibelle: str = F("Résultat (libellé)", "Result (label)")
    commentaire: str = F("Observations du jury", "Jury's remarks")
    decideLe: dt.datetime = F("Décidé le", "Decided on")
    blocs: list[ResultatBloc] = F("Résultat par bloc", "Result per bloc")


class ProcesVerbal(Schema):
    statut: str = F("draft ou final", "draft or final")
    sha256: str = F("Empreinte du contenu définitif", "SHA-256 of the final content")
    definitifLe: dt.datetime | None = F("Définitif le", "Final on")
    document: int | None = F("PDF du procès-verbal (documentsJury)", "Minutes PDF (documentsJury)")


class SessionJury(Schema):
    id: int = F("Identifiant", "Id")
    certification: CertificationRef = F("Certification", "Certification")
    debut: dt.datetime = F("Début", "Start")
    lieu: str = F("Lieu", "Place")
    lienVisio: str = F("Lien de visioconférence", "Video link")
    capacite: int = F("Candidats au plus", "Capacity")
    statut: str = F("planned, cancelled, closed", "planned, cancelled, closed")


class SessionJuryDetail(SessionJury):
    membres: list[Membre] = F("Membres (sans coordonnées)", "Members (no contact data)")
    convocations: list[Convocation] = F("Convocations", "Convocations")
    procesVerbal: ProcesVerbal | None = F("Procès-verbal", "Minutes")
    resultats: list[Resultat] = F(
        "Résultats, une fois le procès-verbal définitif", "Results, once the minutes are final"
    )


class InformationJury(Schema):
    candidature: int = F("Dossier", "Dossier")
    convocations: list[Convocation] = F("Convocations, la plus récente d'abord", "Convocations, newest first")
    resultat: Resultat | None = F("Résultat, une fois le procès-verbal définitif", "Result, once the minutes are final")


class ConvocationIn(Schema):
    session: int | None = F("Session (vide : la même)", "Session (empty: the same)", None)
    debut: dt.datetime = F("Début du nouveau créneau", "New slot start")
    fin: dt.datetime = F("Fin du nouveau créneau", "New slot end")
    motif: str = F("Motif du report (lu par le candidat)", "Reason (read by the candidate)", max_length=2000)


class DocumentJury(Schema):
    id: int = F("Identifiant", "Id")
    nature: str = F("minutes, decision_letter, attestation", "minutes, decision_letter, attestation")
    session: int = F("Session", "Session")
    statut: str = F("queued, running, done, failed", "queued, running, done, failed")
    sha256: str = F("Empreinte SHA-256 du PDF", "PDF SHA-256")
    taille: int | None = F("Taille (octets)", "Size (bytes)")
    url: str = F("Adresse de téléchargement", "Download URL")


class DocumentDossier(Document):
    candidature: int = F("Dossier", "Dossier")


class ResultatBlocIn(Schema):
    bloc: int | None = F("Bloc (identifiant)", "Bloc id", None)
    epreuveTransversale: int | None = F(
        "Ou l'épreuve transversale (identifiant de la modalité)", "Or the transversal assessment (method id)", None
    )
    resultat: Literal["ACQUIS", "NON_ACQUIS"] = F("Acquis ou non acquis", "Acquired or not")


class ResultatIn(Schema):
    candidature: int = F("Dossier convoqué à cette session", "Dossier convoked to this session")
    presence: Literal["present", "absent", "excused"] = F("Présence du candidat", "Attendance", "present")
    blocs: list[ResultatBlocIn] = F(
        "Un résultat par bloc visé (aucun si absent ou excusé)", "One result per targeted bloc (none if absent)", []
    )
    commentaire: str = F("Observations du jury", "Jury's remarks", "", max_length=5000)


class ResultatImporte(Resultat):
    importeLe: dt.datetime = F("Importé le", "Imported at")
    importePar: str = F("Jeton qui l'a importé", "Token that imported it")
