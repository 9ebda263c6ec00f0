"""Shared by the back-office views: every view is certifier-only, and a form view calls one
service, shows a domain error on the form (keeping what was typed) or redirects (``core.actions``)."""

from core.actions import button_action, form_action
from core.errors import error_text

__all__ = ["button_action", "error_text", "form_action"]
