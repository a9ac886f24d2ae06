"""The Kitemaker REST client: models, errors, client. Never imports textual."""
