"""The certifier back office, one module per area: dashboard, referential, review, sessions."""
