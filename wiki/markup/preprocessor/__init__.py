"""The preprocessor: templates, arguments, parser functions and magic words."""
