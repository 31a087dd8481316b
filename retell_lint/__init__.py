"""retell-lint: configuration-as-code checks for Retell AI phone numbers."""

__version__ = "0.1.0"
