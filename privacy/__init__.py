"""Personal data (RGPD): a candidate's copy of their data, the deletion of their account, and
the purge of abandoned drafts. One job per module: ``export`` (the ZIP), ``erasure`` (what is
deleted, what is kept anonymised, and when deletion is refused), ``retention`` (the purge),
``views`` and ``forms`` (``/accounts/mes-donnees/``, ``/accounts/supprimer/``), ``tasks`` (the
daily purge).

It reads and deletes what every app holds of a person (dossiers, jury documents, the audit
trail, the account), so it sits above them all but the API (docs/architecture.md).
"""
