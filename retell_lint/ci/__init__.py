"""GitHub Actions support: the platform's limits, Markdown that fits a pull-request
comment, and the steps of the repository's composite action (``action.yml``)."""
