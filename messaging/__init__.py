"""The message thread of a dossier (its candidate ↔ the certifier's staff) and the staff's
annotations (issue #15). Layer: above ``notifications``, below ``backoffice``
(docs/architecture.md, docs/messaging.md).

It fills ``dossiers.hooks.decision_blockers`` (annotations "à traiter avant décision"),
registers its attachments in ``dossiers.scanning`` and ``core.file_access``, and tells people
through ``messaging.notify`` (the single call site of the notifications app).
"""
