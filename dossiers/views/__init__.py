"""Candidate pages, one module per part of the journey (see ``dossiers/urls.py``)."""
