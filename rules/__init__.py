"""The rule catalogue: one YAML file per rule (see docs/rules.md)."""
