"""The actions the audit trail knows, with their French labels.

An action is a dotted code, ``<subject>.<verb>``. An unknown code is shown as it is: adding an
action is one ``record()`` call (a label here is welcome, not required). The jury actions are
declared ahead of the jury app's scoring and deliberation (see docs/audit.md).
"""

from django.utils.translation import gettext_lazy as _

LABELS = {
    # the candidate's dossier
    "statement.saved": _("Déclaration de compétence enregistrée"),
    "transversal.saved": _("Récit transversal enregistré"),
    "experience.added": _("Expérience ajoutée"),
    "experience.updated": _("Expérience modifiée"),
    "experience.deleted": _("Expérience supprimée"),
    "experience.moved": _("Expériences réordonnées"),
    "proof.added": _("Preuve déposée"),
    "proof.updated": _("Preuve modifiée"),
    "proof.deleted": _("Preuve supprimée"),
    "proof.quarantined": _("Preuve infectée, mise en quarantaine par l'antivirus"),
    "dossier.identity_quarantined": _("Pièce d'identité infectée, mise en quarantaine par l'antivirus"),
    "dossier.sworn_statement": _("Attestation sur l'honneur"),
    "dossier.identity_document": _("Pièce d'identité déposée"),
    "feasibility.saved": _("Rubrique du dossier de faisabilité enregistrée"),
    "feasibility.block_saved": _("Activité d'un bloc enregistrée (dossier de faisabilité)"),
    "dossier.implicit_admissibility": _("Recevable par décision implicite (silence de deux mois du certificateur)"),
    "dossier.purge_notice": _("Avis de suppression d'un brouillon inactif envoyé"),
    "dossier.erased": _("Contenu du dossier effacé à la demande du candidat"),
    "dossier.purged": _("Brouillon inactif supprimé"),
    "proof.read": _("Preuve consultée"),
    "dossier.identity_read": _("Pièce d'identité consultée"),
    "francevae.document_read": _("Document France VAE consulté"),
    # the dossier's thread and the staff's annotations (messaging/)
    "message.posted": _("Message envoyé"),
    "message.correction_requested": _("Message du certificateur : correction demandée"),
    "message_attachment.read": _("Pièce jointe d'un message consultée"),
    "message_attachment.quarantined": _("Pièce jointe infectée, mise en quarantaine par l'antivirus"),
    "annotation.added": _("Annotation interne ajoutée"),
    "annotation.resolved": _("Annotation interne traitée"),
    # the accompaniment of a dossier (accompaniment app)
    "accompaniment.requested": _("Accompagnement demandé à un organisme"),
    "accompaniment.accepted": _("Accompagnement accepté par l'organisme"),
    "accompaniment.declined": _("Accompagnement refusé par l'organisme"),
    "accompaniment.ended": _("Accompagnement terminé par l'organisme"),
    "accompaniment.left": _("Organisme d'accompagnement quitté par le candidat"),
    "accompaniment.comment_added": _("Commentaire de l'accompagnateur"),
    "accompaniment.comment_done": _("Commentaire de l'accompagnateur marqué comme traité"),
    "accompaniment.comment_reopened": _("Commentaire de l'accompagnateur marqué comme à traiter"),
    "accompaniment.opinion_given": _("Avis de l'organisme d'accompagnement sur la recevabilité"),
    "accompaniment.parcours_accepted": _("Parcours d'accompagnement accepté par le candidat"),
    "accompaniment.meeting_recorded": _("Rendez-vous d'accompagnement enregistré"),
    # accounts
    "account.data_exported": _("Données personnelles téléchargées"),
    "account.deleted": _("Compte supprimé à la demande de son titulaire"),
    # the referential
    "referential.updated": _("Identité de la certification modifiée"),
    "referential.draft_deleted": _("Brouillon de certification supprimé"),
    "referential.block_added": _("Bloc ajouté"),
    "referential.block_updated": _("Bloc modifié"),
    "referential.block_deleted": _("Bloc supprimé"),
    "referential.block_moved": _("Bloc déplacé"),
    "referential.competency_added": _("Compétence ajoutée"),
    "referential.competency_updated": _("Compétence modifiée"),
    "referential.competency_deleted": _("Compétence supprimée"),
    "referential.competency_moved": _("Compétence déplacée"),
    "referential.group_renamed": _("Intitulé de groupe renommé"),
    "referential.method_added": _("Modalité d'évaluation ajoutée"),
    "referential.method_updated": _("Modalité d'évaluation modifiée"),
    "referential.method_deleted": _("Modalité d'évaluation supprimée"),
    "referential.rubric_created": _("Grille critériée créée"),
    "referential.rubric_updated": _("Grille critériée modifiée"),
    "referential.rubric_deleted": _("Grille critériée supprimée"),
    "referential.criterion_added": _("Critère ajouté"),
    "referential.criterion_updated": _("Critère modifié"),
    "referential.criterion_deleted": _("Critère supprimé"),
    "referential.criterion_moved": _("Critère déplacé"),
    "referential.level_added": _("Niveau ajouté"),
    "referential.level_updated": _("Niveau modifié"),
    "referential.level_deleted": _("Niveau supprimé"),
    "referential.level_moved": _("Niveau déplacé"),
    # the jury (hooks for the scoring and deliberation services)
    "jury.conflict_declared": _("Déclaration de lien d'intérêt"),
    "jury.evaluation_submitted": _("Évaluation d'un bloc transmise"),
    "jury.evaluation_reopened": _("Évaluation d'un bloc rouverte par le président"),
    "jury.decision": _("Décision du jury"),
    "jury.decision_revoked": _("Décision du jury révoquée"),
    "jury.minutes_signed": _("Procès-verbal signé"),
    "jury.composition_override": _("Dérogation à la règle de composition du jury"),
    "jury.divergence_settled": _("Divergence entre membres du jury tranchée par le président"),
    # the interop API (api/)
    "api.token_created": _("Jeton d'API créé"),
    "api.token_revoked": _("Jeton d'API révoqué"),
    "api.webhook_created": _("Webhook ajouté"),
    "api.webhook_enabled": _("Webhook réactivé"),
    "api.webhook_disabled": _("Webhook désactivé"),
    "api.webhook_deleted": _("Webhook supprimé"),
    "api.webhook_replayed": _("Événement de webhook renvoyé"),
    "api.results_imported": _("Résultat du jury importé par l'API"),
    # Open Badges (credentials/)
    "credentials.badge_issued": _("Open Badge émis"),
    "credentials.badges_revoked": _("Open Badges révoqués avec la décision"),
    # Declaration to the Caisse des Dépôts (accrochage/)
    "cdc.account_saved": _("Identifiants CDC de l'organisme enregistrés"),
    "cdc.identity_saved": _("Identité pour la Caisse des Dépôts enregistrée"),
    "cdc.flux_requested": _("Flux de déclaration à la Caisse des Dépôts demandé"),
    "cdc.report_applied": _("Compte rendu de la Caisse des Dépôts importé"),
    "cdc.passage_put_back": _("Passage refusé par la CDC remis à déclarer"),
}

# Labels of keys of ``changes`` that are not model fields (links, files, counts).
FIELD_LABELS = {
    "proofs": _("preuves reliées"),
    "experiences": _("expériences reliées"),
    "competencies": _("compétences reliées"),
    "file": _("fichier"),
    "file_name": _("nom du fichier"),
    "sha256": _("empreinte SHA-256"),
    "size": _("taille (octets)"),
    "count": _("nombre"),
    "order": _("ordre"),
    "levels": _("niveaux"),
    "criteria": _("critères"),
    "block": _("bloc"),
    "result": _("résultat"),
    "link": _("lien avec le candidat"),
    "validated_blocks": _("blocs validés"),
    "text": _("texte"),
    "attachments": _("pièces jointes"),
    "blocks_not_validated": _("blocs non validés"),
}


def label(action: str) -> str:
    return str(LABELS.get(action, action))
