"""kiteboard: a keyboard-first terminal client for Kitemaker."""

__version__ = "0.1.0"
