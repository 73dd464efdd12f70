"""HTML clean-up of the renderer's output: tidy (HTML5 tree building) and the sanitizer."""
