"""What may be shown, decided once per bundle: suppression, the audits (per view and over linked tables), the
published municipality view, the national view, and the Publication that owns them. Builds on the table."""
