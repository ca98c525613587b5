"""A generated development set for stance judging (no article text is stored in the repo)."""
