"""The builder's layers; :mod:`retell_lint.build` is what the rest of the code imports."""
