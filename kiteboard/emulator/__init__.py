"""A stateful, in-memory stand-in for the Kitemaker REST API."""
