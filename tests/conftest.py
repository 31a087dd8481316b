"""Shared pytest wiring: the fake Retell API fixtures, for every test module."""

pytest_plugins = ["fake_retell", "drift_support"]
