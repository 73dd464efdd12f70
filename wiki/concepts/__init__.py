"""Concept pages as a knowledge base: their structure (wiki.concepts.reader), the tables it is kept
in (store), alias keys for search (keys, aliases), the genus hierarchy (tree) and timelines."""
