"""Shared pytest wiring: makes the ``fake_retell`` fixture available to all tests."""

pytest_plugins = ["fake_retell"]
