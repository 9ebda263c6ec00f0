"""Moved to ``core.pdf_safety`` (below dossiers, whose upload check uses it); kept for the
documents pipeline's imports until it imports ``core.pdf_safety`` itself."""

from core.pdf_safety import DROPPED_ANNOTATIONS, TooComplex, find_scripts, strip_document, strip_page

__all__ = ["DROPPED_ANNOTATIONS", "TooComplex", "find_scripts", "strip_document", "strip_page"]
