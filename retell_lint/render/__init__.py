"""Renderers: each turns a lint result (or a drift plan) into text for one format."""
